"""The HTTP API end to end through TestClient, reading side: ask, documents, tasks, health.

The answerer is a fake; the catalogue, ingestor, vector index (fake embedder) and the
ingest pipeline are real, over a real seed document of the bundled corpus. Writing (auth,
uploads, deletes) and limits are in test_api_writes.py; shared fixtures in api_helpers.py.
"""
from __future__ import annotations

import json
import logging
import sys
import threading
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_helpers import assert_error, client, fresh, seed_id, shared  # noqa: E402,F401 (fixtures)
from conftest_api import CORPUS, SEED, make_settings  # noqa: E402

from assistant.api import create_app  # noqa: E402


# -- ask -----------------------------------------------------------------------------------
def test_ask_returns_the_answer_contract(shared):
    client, answerer = shared
    r = client.post("/v1/ask", json={"question": "  cơ quan nào chủ trì nhiệm vụ số hóa hồ sơ?  ",
                                     "conversation_id": "conv-1", "top_k": 3})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"status", "answer", "conversation_id", "citations", "tasks", "intent", "fields", "reason"}
    assert body["reason"] is None  # set only when not_found
    assert body["status"] == "answered" and body["conversation_id"] == "conv-1"
    assert answerer.calls[-1] == ("cơ quan nào chủ trì nhiệm vụ số hóa hồ sơ?", "conv-1", 3)
    task = body["tasks"][0]
    assert task["task_number"] == "35" and task["lead"] == ["Các bộ, ngành, địa phương"]
    assert task["deadline"]["text"] == "01 tháng 06 năm 2023" and task["deadline"]["end"] == "2023-06-01"
    cite = body["citations"][0]
    assert cite["source"] == SEED and cite["task_number"] == "35"
    text = client.get(f"/v1/documents/{cite['document_id']}/text").json()["text"]
    assert text[cite["start"]:cite["end"]] == cite["quote"] and "số hóa hồ sơ" in cite["quote"]


def test_ask_not_found_status(client):
    body = client.post("/v1/ask", json={"question": "không có câu trả lời"}).json()
    assert body["status"] == "not_found" and body["citations"] == [] and body["conversation_id"]


@pytest.mark.parametrize("question", ["", "   ", "\n\t"])
def test_ask_empty_question_is_422(client, question):
    err = assert_error(client.post("/v1/ask", json={"question": question}), 422, "validation_error")
    assert "question" in err["message"]


@pytest.mark.parametrize("payload", [{}, {"question": 5}, {"question": "x", "top_k": 0}, [1, 2]])
def test_ask_invalid_body_is_422(client, payload):
    assert_error(client.post("/v1/ask", json=payload), 422, "validation_error")


def test_ask_malformed_json_is_422(client):
    r = client.post("/v1/ask", content=b"{not json", headers={"Content-Type": "application/json"})
    assert_error(r, 422, "validation_error")


def test_ask_too_long_question_is_413(fresh):
    client, settings = fresh(seed=False, max_question_chars=50)
    err = assert_error(client.post("/v1/ask", json={"question": "hỏi " * 20}), 413, "question_too_long")
    assert "tối đa 50" in err["message"]
    assert client.post("/v1/ask", json={"question": "không có " + "a" * 30}).status_code == 200


def test_ask_stream_sends_answer_citations_done(client):
    r = client.post("/v1/ask?stream=true", json={"question": "ai chủ trì số hóa hồ sơ?"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
    events = []
    for block in r.text.strip().split("\n\n"):
        lines = dict(line.split(": ", 1) for line in block.split("\n"))
        events.append((lines["event"], json.loads(lines["data"])))
    names = [name for name, _ in events]
    answer = events[0][1]
    assert names == ["answer"] + ["citation"] * len(answer["citations"]) + ["done"]
    assert len(answer["citations"]) == 1 and events[1][1] == answer["citations"][0]
    assert events[-1][1] == {"conversation_id": answer["conversation_id"]}


def test_answerer_exception_is_generic_500_without_traceback(client, caplog):
    with caplog.at_level(logging.ERROR, logger="cchc.api"):
        r = client.post("/v1/ask", json={"question": "__boom__"})
    err = assert_error(r, 500, "internal_error")
    assert "Traceback" not in r.text and "secret" not in r.text and "passwd" not in r.text
    assert r.headers["X-Request-ID"]
    assert "secret internal detail" in caplog.text  # logged server-side


# -- routing errors ------------------------------------------------------------------------
def test_unknown_path_and_method_use_the_error_shape(client):
    assert_error(client.get("/v1/nothing-here"), 404, "not_found")
    assert_error(client.delete("/v1/ask"), 405, "method_not_allowed")
    assert_error(client.get("/v1/jobs/not-a-job"), 404, "job_not_found")


# -- documents -----------------------------------------------------------------------------
def test_documents_list_and_detail(client):
    listing = client.get("/v1/documents").json()
    (doc,) = listing["documents"]
    assert doc["source"] == SEED and doc["fmt"] == "txt"
    assert doc["tasks"] == listing["counts"]["tasks"] >= 35
    detail = client.get(f"/v1/documents/{doc['id']}").json()
    assert detail["document"] == {**doc, "has_original": True}
    assert len(detail["tasks"]) == doc["tasks"]
    task35 = next(t for t in detail["tasks"] if t["task_number"] == "35")
    assert task35["coordinate"] == ["Văn phòng Chính phủ"]
    # The same document is also found by its file name.
    assert client.get(f"/v1/documents/{SEED}").json()["document"]["id"] == doc["id"]


def test_unknown_document_is_404_everywhere(client):
    for path in ("/v1/documents/nope", "/v1/documents/nope/text", "/v1/documents/nope/original"):
        assert_error(client.get(path), 404, "document_not_found")


def test_text_view_with_span(client):
    doc_id = seed_id(client)
    full = client.get(f"/v1/documents/{doc_id}/text").json()
    assert full["length"] == len(full["text"]) and "start" not in full or full["start"] is None
    start = full["text"].index("Thực hiện việc số hóa hồ sơ")
    end = start + len("Thực hiện việc số hóa hồ sơ")
    view = client.get(f"/v1/documents/{doc_id}/text", params={"start": start, "end": end, "context": 40}).json()
    assert view["quote"] == "Thực hiện việc số hóa hồ sơ"
    assert view["before"] == full["text"][start - 40:start] and view["after"] == full["text"][end:end + 40]
    assert (view["start"], view["end"]) == (start, end)


@pytest.mark.parametrize("params", [{"start": 10, "end": 5}, {"start": 0, "end": 10**9}, {"start": 3},
                                    {"start": -1, "end": 2}])
def test_text_view_rejects_bad_spans(client, params):
    r = client.get(f"/v1/documents/{seed_id(client)}/text", params=params)
    assert_error(r, 422)


def test_original_download_is_the_ingested_file(client):
    r = client.get(f"/v1/documents/{seed_id(client)}/original")
    assert r.status_code == 200
    assert r.content == (CORPUS / SEED).read_bytes()
    assert SEED in r.headers["content-disposition"]


# -- tasks ---------------------------------------------------------------------------------
def numbers(page: dict) -> list[str]:
    return [t["task_number"] for t in page["items"]]


def test_tasks_filters(client):
    everything = client.get("/v1/tasks", params={"page_size": 200}).json()
    assert everything["total"] == len(everything["items"]) >= 35
    by_agency = client.get("/v1/tasks", params={"agency": "Văn phòng Chính phủ", "page_size": 200}).json()
    assert "35" in numbers(by_agency) and 0 < by_agency["total"] < everything["total"]
    due = client.get("/v1/tasks", params={"due_from": "2023-06-01", "due_to": "2023-06-01", "page_size": 200}).json()
    assert "35" in numbers(due) and all(t["deadline"]["end"] == "2023-06-01" for t in due["items"])
    for q in ("số hóa hồ sơ", "so hoa ho so"):  # accent-insensitive
        found = client.get("/v1/tasks", params={"q": q}).json()
        assert "35" in numbers(found) and found["total"] < everything["total"]
    assert client.get("/v1/tasks", params={"doc": "unknown.txt"}).json()["total"] == 0
    assert client.get("/v1/tasks", params={"doc": SEED}).json()["total"] == everything["total"]


def test_tasks_paging(client):
    everything = client.get("/v1/tasks", params={"page_size": 200}).json()["items"]
    page2 = client.get("/v1/tasks", params={"page": 2, "page_size": 5}).json()
    assert page2["page"] == 2 and page2["page_size"] == 5 and page2["items"] == everything[5:10]
    beyond = client.get("/v1/tasks", params={"page": 1000, "page_size": 5}).json()
    assert beyond["items"] == [] and beyond["total"] == len(everything)


@pytest.mark.parametrize("params", [{"page": 0}, {"page_size": 0}, {"page_size": 1000}, {"due_from": "June"}])
def test_tasks_bad_params_are_422(client, params):
    assert_error(client.get("/v1/tasks", params=params), 422, "validation_error")


# -- health --------------------------------------------------------------------------------
def test_healthz_and_readyz(client):
    health = client.get("/healthz").json()
    assert health["status"] == "ok" and health["ready"] and health["answerer_loaded"]
    assert health["index"]["documents"] == 1 and health["model"] == "fake-256"
    assert client.get("/readyz").json() == {"ready": True}


def test_readyz_is_503_until_startup_finished(tmp_path):
    from conftest_api import build_services as build

    gate = threading.Event()
    settings = make_settings(tmp_path)
    services, _ = build(settings, seed=False, gate=gate)
    app = create_app(settings, services)
    app.state.ready_wait_s = 0.2
    with TestClient(app, raise_server_exceptions=False) as c:
        assert_error(c.get("/readyz"), 503, "not_ready")
        assert c.get("/healthz").json()["status"] == "starting"
        assert_error(c.post("/v1/ask", json={"question": "x"}), 503, "not_ready")
        gate.set()
        assert app.state.ready.wait(5)
        assert c.get("/readyz").status_code == 200


# -- web page ------------------------------------------------------------------------------
def test_web_page_is_served(client):
    r = client.get("/")
    assert r.status_code == 200 and 'lang="vi"' in r.text and "charset" in r.headers["content-type"]
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200
