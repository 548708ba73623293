"""The HTTP API end to end through TestClient: contract, errors, auth, limits, uploads.

The answerer is a fake; the catalogue, ingestor, vector index (fake embedder) and the
ingest pipeline are real, over a real seed document of the bundled corpus.
"""
from __future__ import annotations

import json
import logging
import re
import sys
import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

sys.path.insert(0, str(Path(__file__).resolve().parent))
from conftest_api import API_KEY, CORPUS, SEED, build_services, make_settings  # noqa: E402

from assistant.api import create_app  # noqa: E402

KEY = {"X-API-Key": API_KEY}
PLAN = ("ỦY BAN NHÂN DÂN TỈNH THỬ\nKẾ HOẠCH\nThử nghiệm tải lên văn bản\n\n"
        "STT\tNội dung\tCơ quan chủ trì\tCơ quan phối hợp\tThời hạn\n"
        "1\tXây dựng cơ sở dữ liệu thử nghiệm về hộ tịch\tSở Tư pháp\tSở Nội vụ\tTháng 12 năm 2025\n"
        "2\tTập huấn cán bộ một cửa\tSở Nội vụ\tUBND cấp xã\tQuý IV năm 2025\n")


def start(settings, services):
    app = create_app(settings, services)
    client = TestClient(app, raise_server_exceptions=False)
    client.__enter__()
    assert app.state.ready.wait(10)
    return client


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    """A read-only app over the seed document (tests here must not write)."""
    settings = make_settings(tmp_path_factory.mktemp("shared"))
    services, answerer = build_services(settings)
    client = start(settings, services)
    yield client, answerer
    client.__exit__(None, None, None)


@pytest.fixture
def client(shared):
    return shared[0]


@pytest.fixture
def fresh(tmp_path):
    """A factory of apps with their own data dir, for tests that write or change settings."""
    clients = []

    def make(seed: bool = True, **overrides):
        settings = make_settings(tmp_path / f"d{len(clients)}", **overrides)
        services, answerer = build_services(settings, seed=seed)
        c = start(settings, services)
        clients.append(c)
        return c, settings

    yield make
    for c in clients:
        c.__exit__(None, None, None)


def assert_error(response, status: int, code: str | None = None) -> dict:
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"}
    assert isinstance(body["error"]["message"], str) and " / " in body["error"]["message"]
    if code:
        assert body["error"]["code"] == code
    return body["error"]


def seed_id(client) -> str:
    docs = client.get("/v1/documents").json()["documents"]
    return next(d["id"] for d in docs if d["source"] == SEED)


def wait_job(client, job_id: str, timeout: float = 30.0) -> dict:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        job = client.get(f"/v1/jobs/{job_id}").json()
        if job["status"] in ("done", "failed"):
            return job
        time.sleep(0.05)
    raise AssertionError(f"job {job_id} did not finish")


# -- ask -----------------------------------------------------------------------------------
def test_ask_returns_the_answer_contract(shared):
    client, answerer = shared
    r = client.post("/v1/ask", json={"question": "  cơ quan nào chủ trì nhiệm vụ số hóa hồ sơ?  ",
                                     "conversation_id": "conv-1", "top_k": 3})
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {"status", "answer", "conversation_id", "citations", "tasks", "intent", "fields"}
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


# -- auth ----------------------------------------------------------------------------------
def test_writing_needs_a_valid_key(client):
    files = {"files": ("a.txt", PLAN.encode(), "text/plain")}
    assert_error(client.post("/v1/documents", files=files), 401, "auth_required")
    assert_error(client.post("/v1/documents", files=files, headers={"X-API-Key": "wrong"}), 401, "invalid_key")
    assert_error(client.delete(f"/v1/documents/{seed_id(client)}"), 401, "auth_required")
    assert client.get("/v1/documents").json()["documents"]  # still there


def test_writing_is_refused_when_no_keys_are_configured(fresh):
    c, _ = fresh(seed=False, api_keys=[])
    err = assert_error(c.post("/v1/documents", files={"files": ("a.txt", b"x", "text/plain")}, headers=KEY),
                       403, "writing_disabled")
    assert "CCHC_API_KEYS" in err["message"]


def test_closed_reading_needs_a_key(fresh):
    c, _ = fresh(seed=False, open_read=False)
    assert_error(c.get("/v1/documents"), 401, "auth_required")
    assert_error(c.post("/v1/ask", json={"question": "x"}), 401, "auth_required")
    assert c.get("/v1/documents", headers=KEY).status_code == 200
    assert c.get("/healthz").status_code == 200  # probes stay open


# -- uploads -------------------------------------------------------------------------------
def test_upload_ingests_in_background_and_lists_the_document(fresh):
    c, settings = fresh(seed=False)
    r = c.post("/v1/documents", files=[("files", ("ke-hoach-thu.txt", PLAN.encode(), "text/plain"))], headers=KEY)
    assert r.status_code == 202
    accepted = r.json()
    assert accepted["status_url"] == f"/v1/jobs/{accepted['job_id']}"
    job = wait_job(c, accepted["job_id"])
    assert job["status"] == "done" and job["processed"] == job["total"] == 1
    (f,) = job["files"]
    assert (f["status"], f["source"], f["tasks"], f["error"]) == ("added", "ke-hoach-thu.txt", 2, None)
    docs = c.get("/v1/documents").json()["documents"]
    assert [d["source"] for d in docs] == ["ke-hoach-thu.txt"] and docs[0]["tasks"] == 2
    tasks = c.get("/v1/tasks", params={"agency": "Sở Tư pháp"}).json()["items"]
    assert [(t["task_number"], t["deadline"]["text"]) for t in tasks] == [("1", "Tháng 12 năm 2025")]
    assert c.get(f"/v1/documents/{docs[0]['id']}/original").content == PLAN.encode()


def test_upload_name_is_never_a_path(fresh, tmp_path):
    c, settings = fresh(seed=False)
    r = c.post("/v1/documents", files=[("files", ("../../evil.txt", PLAN.encode(), "text/plain")),
                                       ("files", ("..\\..\\win\\evil2.txt", PLAN.encode(), "text/plain")),
                                       ("files", ("..", b"data", "text/plain"))], headers=KEY)
    job = wait_job(c, r.json()["job_id"])
    statuses = [(f["source"], f["status"]) for f in job["files"]]
    assert statuses[:2] == [("evil.txt", "added"), ("evil2.txt", "added")]
    assert statuses[2] == (None, "error") and "invalid file name" in job["files"][2]["error"]
    stored = sorted(p.name for p in settings.uploads_dir.iterdir())
    assert len(stored) == 2 and all(re.fullmatch(r"[0-9a-f]{12}-[0-9a-f]{16}\.txt", n) for n in stored)
    assert not list(tmp_path.rglob("evil*.txt")) and not (tmp_path.parent / "evil.txt").exists()


def test_same_name_uploads_a_new_version(fresh):
    c, settings = fresh(seed=False)
    first = wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", PLAN.encode(), "text/plain")},
                               headers=KEY).json()["job_id"])
    v2 = PLAN.replace("Sở Tư pháp", "Sở Tài chính")
    second = wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", v2.encode(), "text/plain")},
                                headers=KEY).json()["job_id"])
    again = wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", v2.encode(), "text/plain")},
                               headers=KEY).json()["job_id"])
    assert [j["files"][0]["status"] for j in (first, second, again)] == ["added", "updated", "unchanged"]
    docs = c.get("/v1/documents").json()["documents"]
    assert len(docs) == 1
    assert len(list(settings.uploads_dir.iterdir())) == 1  # the old version's file is gone
    assert c.get(f"/v1/documents/{docs[0]['id']}/original").content == v2.encode()
    assert c.get("/v1/tasks", params={"agency": "Sở Tài chính"}).json()["total"] == 1


def test_failed_new_version_keeps_the_old_one(fresh):
    c, settings = fresh(seed=False)
    wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", PLAN.encode(), "text/plain")},
                       headers=KEY).json()["job_id"])
    bad = wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", b"\x00\x01\x02" * 50, "text/plain")},
                             headers=KEY).json()["job_id"])
    assert bad["files"][0]["status"] == "error"
    doc = c.get("/v1/documents").json()["documents"][0]
    assert doc["tasks"] == 2 and c.get(f"/v1/documents/{doc['id']}/original").content == PLAN.encode()


def test_unsupported_extension_is_a_job_error(fresh):
    c, settings = fresh(seed=False)
    job = wait_job(c, c.post("/v1/documents", files={"files": ("tool.exe", b"MZ\x90\x00", "application/x-msdownload")},
                             headers=KEY).json()["job_id"])
    assert job["status"] == "done"
    (f,) = job["files"]
    assert f["status"] == "error" and ".exe" in f["error"] and "chưa được hỗ trợ" in f["error"]
    assert c.get("/v1/documents").json()["documents"] == []
    assert not settings.uploads_dir.exists() or not list(settings.uploads_dir.iterdir())


def test_too_many_files_is_413(fresh):
    c, _ = fresh(seed=False, max_upload_files=2)
    files = [("files", (f"f{i}.txt", b"abc", "text/plain")) for i in range(3)]
    err = assert_error(c.post("/v1/documents", files=files, headers=KEY), 413, "too_many_files")
    assert "tối đa 2 tệp" in err["message"]


def test_too_large_file_is_413(fresh):
    c, _ = fresh(seed=False, max_upload_mb=0.001)  # about 1 KB
    err = assert_error(c.post("/v1/documents", files={"files": ("big.txt", b"a" * 5000, "text/plain")},
                              headers=KEY), 413, "file_too_large")
    assert "big.txt" in err["message"] and "quá lớn" in err["message"]


def test_too_large_body_is_rejected_by_content_length(client):
    r = client.post("/v1/ask", content=b"x" * (2 * 1024 * 1024), headers={"Content-Type": "application/json"})
    assert_error(r, 413, "body_too_large")


def test_too_large_chunked_body_is_stopped_while_reading(client):
    def body():  # no Content-Length: the size is only known while reading
        for _ in range(40):
            yield b"x" * 65536

    r = client.post("/v1/ask", content=body(), headers={"Content-Type": "application/json"})
    assert "content-length" not in {k.lower() for k in r.request.headers}
    assert_error(r, 413, "body_too_large")


def test_delete_with_key_removes_document_and_original(fresh):
    c, settings = fresh(seed=False)
    job = wait_job(c, c.post("/v1/documents", files={"files": ("plan.txt", PLAN.encode(), "text/plain")},
                             headers=KEY).json()["job_id"])
    doc_id = job["files"][0]["doc_id"]
    r = c.delete(f"/v1/documents/{doc_id}", headers=KEY)
    assert r.status_code == 200 and r.json() == {"deleted": doc_id, "source": "plan.txt"}
    assert c.get("/v1/documents").json()["documents"] == []
    assert not list(settings.uploads_dir.iterdir())
    assert_error(c.delete(f"/v1/documents/{doc_id}", headers=KEY), 404, "document_not_found")
    assert c.get("/v1/tasks").json()["total"] == 0


# -- limits, request ids, logs ---------------------------------------------------------------
def test_rate_limit_429_with_retry_after(fresh):
    c, _ = fresh(seed=False, rate_limit_per_min=3)
    for _ in range(3):
        assert c.get("/v1/documents").status_code == 200
    r = c.get("/v1/documents")
    assert_error(r, 429, "rate_limited")
    assert 1 <= int(r.headers["Retry-After"]) <= 60
    # A client with a key is counted separately from the anonymous IP.
    assert c.get("/v1/documents", headers=KEY).status_code == 200
    assert c.get("/healthz").status_code == 200  # probes are not limited


def test_request_id_and_json_logs(fresh):
    records: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record):
            records.append(record.getMessage())

    handler = Collect()
    logging.getLogger("cchc.api").addHandler(handler)
    try:
        quiet, _ = fresh(seed=False)
        r = quiet.post("/v1/ask", json={"question": "không có gì bí mật"}, headers={"X-Request-ID": "req-123", **KEY})
        loud, _ = fresh(seed=False, log_questions=True)
        loud.post("/v1/ask", json={"question": "không có câu hỏi mở"})
    finally:
        logging.getLogger("cchc.api").removeHandler(handler)
    assert r.headers["X-Request-ID"] == "req-123"
    lines = [json.loads(m) for m in records if m.startswith("{") and '"request"' in m]
    first = next(x for x in lines if x["request_id"] == "req-123")
    assert first["method"] == "POST" and first["path"] == "/v1/ask" and first["status"] == 200
    assert first["duration_ms"] >= 0 and "question" not in first
    assert any(x.get("question") == "không có câu hỏi mở" for x in lines)
    assert API_KEY not in "\n".join(records)


def test_web_page_is_served(client):
    r = client.get("/")
    assert r.status_code == 200 and 'lang="vi"' in r.text and "charset" in r.headers["content-type"]
    assert "default-src 'self'" in r.headers["content-security-policy"]
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/static/style.css").status_code == 200
