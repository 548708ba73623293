"""Exports of task rows: CSV/XLSX hold every row `cchc tasks --json` gives, iCalendar one VTODO per
dated task with DUE the stored period end, UIDs the same on every export."""
from __future__ import annotations

import csv
import io
import json

import pytest

from cchc.cli import main
from assistant.exports import export_tasks
from assistant.lookup import export_rows, filter_tasks


@pytest.fixture(scope="module")
def rows(fake_services):
    return export_rows(fake_services.catalogue, filter_tasks(fake_services.catalogue))


def test_csv_holds_every_row_in_utf8_with_bom(rows):
    data = export_tasks(rows, "csv")
    assert data.startswith("\ufeff".encode())
    table = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert table[0][:3] == ["Văn bản", "Số văn bản", "Nhiệm vụ"] and len(table) == len(rows) + 1 > 100
    assert [(r[0], r[2]) for r in table[1:]] == [(r.source, r.task.number) for r in rows]


def test_xlsx_holds_every_row_with_a_frozen_header_and_citations(rows):
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(export_tasks(rows, "xlsx"))).active
    assert sheet.freeze_panes == "A2" and sheet.max_row == len(rows) + 1
    assert sheet.cell(1, 11).value == "Trích dẫn" and "“" in sheet.cell(2, 11).value
    assert sheet.column_dimensions["D"].width >= 40


def test_ics_has_one_todo_per_dated_task_due_at_its_period_end(rows):
    from icalendar import Calendar

    cal = Calendar.from_ical(export_tasks(rows, "ics"))
    todos = cal.walk("VTODO")
    dated = [r for r in rows if r.task.deadline and r.task.deadline.end]
    assert len(todos) == len(dated) > 10
    by_uid = {r.uid: r for r in dated}
    for todo in todos:
        row = by_uid[str(todo["UID"])]
        assert todo.decoded("DUE") == row.task.deadline.end
        assert row.task.number in str(todo["DESCRIPTION"])
    undated = [r for r in rows if r not in dated]
    assert undated and all(f"nhiệm vụ {r.task.number}" in str(cal["X-WR-CALDESC"]) for r in undated[:5])
    again = Calendar.from_ical(export_tasks(rows, "ics"))
    assert [str(t["UID"]) for t in again.walk("VTODO")] == [str(t["UID"]) for t in todos]


def test_cli_exports_what_tasks_json_lists(fake_services, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("CCHC_DATA_DIR", str(fake_services.settings.data_dir))
    monkeypatch.setenv("CCHC_EMBEDDER", "fake")
    assert main(["tasks", "--agency", "VPCP", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    out = tmp_path / "vpcp.csv"
    assert main(["tasks", "--agency", "VPCP", "--format", "csv", "--output", str(out)]) == 0
    table = list(csv.reader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [(r[0], r[2]) for r in table[1:]] == [(t["source"], t["task_number"]) for t in listed] and listed
    assert main(["tasks", "--due-after", "2023-13-01"]) == 2


def test_api_exports_every_matching_row(fake_services):
    from fastapi.testclient import TestClient

    from assistant.api import create_app

    with TestClient(create_app(fake_services.settings, services=fake_services)) as client:
        page = client.get("/v1/tasks", params={"agency": "VPCP"}).json()
        r = client.get("/v1/tasks", params={"agency": "VPCP", "format": "csv"})
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/csv")
        assert "attachment" in r.headers["content-disposition"]
        assert len(list(csv.reader(io.StringIO(r.content.decode("utf-8-sig"))))) == page["total"] + 1
        assert client.get("/v1/tasks", params={"format": "pdf"}).status_code == 422
