"""Two versions of a plan compared: rows matched by content, renumbering is not a change."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

from assistant.plan_diff import diff_tasks
from ingest.readers import read_path
from ingest.tasks import parse_tasks
from ingest.types import Deadline, Task

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
PLAN = "001_ace935a932359564.txt"


def _plan() -> tuple[Task, ...]:
    read = read_path(CORPUS / PLAN)
    return parse_tasks(read.text, read.tables)


def test_exactly_the_four_changes_of_a_new_version_are_found():
    old = _plan()
    assert len(old) >= 10
    kept = list(old[1:])  # the first row removed
    kept[2] = replace(kept[2], lead=("Văn phòng Chính phủ",))  # one lead changed
    kept[4] = replace(kept[4], deadline=Deadline("Quý I/2024"))  # one deadline moved
    added = Task("99", (), "Tổ chức hội nghị tổng kết công tác cải cách thủ tục hành chính năm 2023 của Tổ công tác",
                 ("Văn phòng Chính phủ",), (), Deadline("Tháng 12/2023"), None, (0, 1))
    new = tuple(replace(t, number=str(i + 1)) for i, t in enumerate(kept + [added]))  # renumbered
    d = diff_tasks(old, new)
    assert [t.description for t in d.removed] == [old[0].description]
    assert [t.description for t in d.added] == [added.description]
    assert sorted((c.old.number, c.fields) for c in d.changed) == sorted(
        [(old[3].number, ("lead",)), (old[5].number, ("deadline",))])


def test_the_same_plan_has_no_changes():
    assert diff_tasks(_plan(), _plan()).empty


def test_cli_and_api_diff_two_ingested_versions(fake_services, tmp_path, monkeypatch, capsys):
    from fastapi.testclient import TestClient

    from assistant.api import create_app
    from cchc.cli import main

    text = (CORPUS / PLAN).read_text("utf-8")
    newer = tmp_path / "ban-moi.txt"
    newer.write_text(text.replace("Quý IV/2023", "Quý I/2024", 1), "utf-8")
    assert fake_services.ingestor.ingest_file(newer).status in ("added", "updated")
    monkeypatch.setenv("CCHC_DATA_DIR", str(fake_services.settings.data_dir))
    monkeypatch.setenv("CCHC_EMBEDDER", "fake")
    assert main(["diff", PLAN, "ban-moi.txt", "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert not found["added"] and not found["removed"] and [c["fields"] for c in found["changed"]] == [["deadline"]]
    change = found["changed"][0]
    assert change["new"]["deadline"]["text"] == "Quý I/2024" and "Quý IV/2023" in change["old"]["quote"]
    with TestClient(create_app(fake_services.settings, services=fake_services)) as client:
        assert client.get(f"/v1/documents/{PLAN}/diff/ban-moi.txt").json() == found
        assert client.get(f"/v1/documents/{PLAN}/diff/khong-co.txt").status_code == 404
    assert main(["diff", PLAN, "khong-co.txt"]) == 1
    fake_services.ingestor.remove("ban-moi.txt")
