"""GET /v1/documents/{doc}/tasks/{number}/span: a task row with the text it was read from
(the web page's "Nhiệm vụ" view opens a row's source with it). Real seed document, TestClient."""
from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from api_helpers import assert_error, client, seed_id, shared  # noqa: E402,F401 (fixtures)
from conftest_api import SEED  # noqa: E402

from assistant.api_views import task_span_view  # noqa: E402
from ingest.types import Task  # noqa: E402


def test_span_of_a_listed_task_is_its_exact_text(client):
    listed = client.get("/v1/tasks", params={"agency": "VPCP", "page_size": 200}).json()["items"]
    item = next(i for i in listed if i["task_number"] == "35")
    body = client.get(f"/v1/documents/{SEED}/tasks/35/span").json()
    text = client.get(f"/v1/documents/{SEED}/text").json()["text"]
    assert body["task"] == item  # the same row the task list shows
    assert body["quote"] == text[body["start"]:body["end"]] and "số hóa hồ sơ" in body["quote"]
    assert body["length"] == len(text) and body["source"] == SEED
    # The context is whole lines of the document right around the span.
    assert text[body["start"] - len(body["before"]):body["start"]] == body["before"]
    assert text[body["end"]:body["end"] + len(body["after"])] == body["after"]
    assert body["before"] and body["after"]
    assert text[body["start"] - len(body["before"]) - 1] == "\n"
    assert text[body["end"] + len(body["after"])] == "\n"


def test_span_by_document_id_and_context(client):
    doc_id = seed_id(client)
    wide = client.get(f"/v1/documents/{doc_id}/tasks/1/span", params={"context": 2000}).json()
    none = client.get(f"/v1/documents/{doc_id}/tasks/1/span", params={"context": 0}).json()
    assert wide["id"] == doc_id and wide["task"]["task_number"] == "1"
    assert none["before"] == none["after"] == "" and none["quote"] == wide["quote"]
    assert len(wide["before"]) <= 2000 and len(wide["after"]) <= 2000 and len(wide["after"]) > 400


def test_unknown_task_or_document_is_404(client):
    err = assert_error(client.get(f"/v1/documents/{SEED}/tasks/999/span"), 404, "task_not_found")
    assert "999" in err["message"]
    assert_error(client.get("/v1/documents/nope/tasks/1/span"), 404, "document_not_found")
    assert_error(client.get(f"/v1/documents/{SEED}/tasks/3%2F5/span"), 404, "task_not_found")
    assert_error(client.get(f"/v1/documents/{SEED}/tasks/1/span", params={"context": -1}), 422)


def test_context_without_a_line_break_is_cut_where_it_falls():
    text = "đầu dòng rất dài " * 10 + "NHIỆM VỤ" + " đuôi rất dài" * 10
    start = text.index("NHIỆM VỤ")
    task = Task(number="1", section=(), description="NHIỆM VỤ", lead=(), coordinate=(),
                deadline=None, product=None, span=(start, start + len("NHIỆM VỤ")))
    view = task_span_view("d", "t.txt", text, task, 20)
    assert view["quote"] == "NHIỆM VỤ" and view["before"] == text[start - 20:start]
    assert view["after"] == text[view["end"]:view["end"] + 20]
    lines = "một\nhai ba\nNHIỆM VỤ\nbốn\nnăm sáu\n"
    start = lines.index("NHIỆM VỤ")
    task = replace(task, span=(start, start + len("NHIỆM VỤ")))
    view = task_span_view("d", "t.txt", lines, task, 6)  # the window starts inside "hai ba"
    assert view["before"] == "" and view["after"] == "\nbốn"  # not the cut "ai ba", nor "nă"
