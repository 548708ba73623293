"""Reminders: the pure choice of due and overdue tasks (window edges, undated tasks never listed,
agencies through the alias table), the subscriptions in the catalogue, and the digest text."""
from __future__ import annotations

import html
import sqlite3
from datetime import date, timedelta

import pytest

from assistant.reminder_service import MAX_PER_CHAT, ReminderService
from assistant.reminders import TaskRow, resolve_agency, select_due
from bots.formatting import MAX_OVERDUE_SHOWN, render_digests, to_plain
from index.catalogue import Catalogue
from ingest.agencies import load_aliases
from ingest.types import Deadline, Document, DocumentMeta, Task

TODAY = date(2024, 3, 10)
TABLE = load_aliases()


def task(number: str, end: date | None, lead=("Bộ Nội vụ",), coordinate=(), kind="date",
         text: str | None = None, start: date | None = None) -> Task:
    written = text or (f"Trước ngày {end:%d/%m/%Y}" if end else "Thường xuyên")
    deadline = Deadline(written, start or end, end, kind if end else "ongoing")
    return Task(number, ("II. NHIỆM VỤ",), f"Nhiệm vụ thử số {number}", tuple(lead), tuple(coordinate),
                deadline, None, (0, 10))


def rows(*tasks: Task, number: str | None = "01/KH-BNV") -> list[TaskRow]:
    return [TaskRow("ke-hoach.txt", number, t) for t in tasks]


def numbers(items) -> list[str]:
    return [d.row.task.number for d in items]


# -- the pure selection -----------------------------------------------------------------------

def test_window_edges_today_last_day_and_the_day_after():
    found = select_due(rows(
        task("today", TODAY), task("last", TODAY + timedelta(days=7)), task("after", TODAY + timedelta(days=8)),
        task("yesterday", TODAY - timedelta(days=1)), task("old", date(2023, 6, 30)),
    ), "Bộ Nội vụ", TABLE, TODAY, 7)
    assert numbers(found.due) == ["today", "last"]
    assert [d.days_left for d in found.due] == [0, 7]
    assert numbers(found.overdue) == ["yesterday", "old"]  # the most recent first
    assert [d.days_left for d in found.overdue] == [-1, -254] and all(d.overdue for d in found.overdue)


def test_a_period_is_due_by_its_end_not_its_start():
    quarter = task("Q1", date(2024, 3, 31), start=date(2024, 1, 1), kind="range", text="Quý I/2024")
    ending = task("march", date(2024, 3, 15), start=date(2024, 3, 1), kind="range", text="Tháng 3/2024")
    found = select_due(rows(quarter, ending), "BNV", TABLE, TODAY, 7)
    assert numbers(found.due) == ["march"] and not found.overdue
    assert numbers(select_due(rows(quarter), "BNV", TABLE, TODAY, 21).due) == ["Q1"]


def test_days_zero_lists_only_today_and_the_overdue():
    found = select_due(rows(task("a", TODAY), task("b", TODAY + timedelta(days=1)), task("c", TODAY - timedelta(days=3))),
                       "Bộ Nội vụ", TABLE, TODAY, 0)
    assert numbers(found.due) == ["a"] and numbers(found.overdue) == ["c"]


def test_tasks_without_a_date_are_never_listed():
    undated = [
        task("ongoing", None),
        Task("recurring", (), "Báo cáo", ("Bộ Nội vụ",), (), Deadline("Hằng năm", kind="recurring"), None, (0, 1)),
        Task("unknown", (), "Việc", ("Bộ Nội vụ",), (), Deadline("Khi có yêu cầu", kind="unknown"), None, (0, 1)),
        Task("none", (), "Việc", ("Bộ Nội vụ",), (), None, None, (0, 1)),
    ]
    for day in (TODAY, date(1990, 1, 1), date(2100, 1, 1)):
        assert select_due(rows(*undated), "Bộ Nội vụ", TABLE, day, 366).empty


def test_agency_through_the_alias_table_lead_and_coordinate():
    table_rows = rows(
        task("1", TODAY, lead=("Bộ Giáo dục và Đào tạo",)),
        task("2", TODAY, lead=("Bộ GD&ĐT", "Bộ Nội vụ")),
        task("3", TODAY, lead=("Văn phòng Chính phủ",), coordinate=("BGDĐT",)),
        task("4", TODAY, lead=("Bộ Nội vụ",)),
        task("5", TODAY, lead=("Các bộ, ngành, địa phương",)),  # a group names no ministry
    )
    agency = resolve_agency("bo gddt", TABLE)
    assert agency == "Bộ Giáo dục và Đào tạo"
    found = select_due(table_rows, agency, TABLE, TODAY, 7)
    assert numbers(found.due) == ["1", "2", "3"]
    assert [d.role for d in found.due] == ["lead", "lead", "coordinate"]
    assert numbers(select_due(table_rows, resolve_agency("BNV", TABLE), TABLE, TODAY, 7).due) == ["2", "4"]


def test_an_agency_covers_its_sub_bodies():
    found = select_due(rows(task("1", TODAY, lead=("UBND tỉnh Bắc Ninh",)), task("2", TODAY, lead=("Sở Nội vụ",))),
                       resolve_agency("UBND tỉnh", TABLE), TABLE, TODAY, 7)
    assert numbers(found.due) == ["1"]


@pytest.mark.parametrize("typed, agency", [
    ("BNV", "Bộ Nội vụ"), ("bộ nội vụ", "Bộ Nội vụ"), ("bo gddt", "Bộ Giáo dục và Đào tạo"),
    ("VPCP", "Văn phòng Chính phủ"), ("nhiệm vụ của Bộ Nội vụ", "Bộ Nội vụ"), ("xyz", None), ("  ", None),
])
def test_resolve_agency(typed, agency):
    assert resolve_agency(typed, TABLE) == agency


# -- the service over the catalogue -----------------------------------------------------------

def document(source: str, number: str, *tasks: Task) -> Document:
    return Document(source, "x" * 100, DocumentMeta(doc_type="Kế hoạch", number=number), tasks)


@pytest.fixture
def service(tmp_path):
    catalogue = Catalogue(tmp_path / "catalogue.sqlite3")
    catalogue.upsert(document("kh1.txt", "12/KH-BNV",
                              task("1", TODAY + timedelta(days=2)), task("2", TODAY - timedelta(days=5)),
                              task("3", TODAY + timedelta(days=30)), task("4", None),
                              task("5", TODAY, lead=("Trung tâm Phục vụ hành chính công tỉnh Hà Giang",))),
                     "sha", "txt")
    catalogue.upsert(document("kh2.txt", "7/KH-BGDĐT", task("1", TODAY + timedelta(days=40), lead=("Bộ GD&ĐT",))),
                     "sha", "txt")
    yield ReminderService(catalogue, TABLE)
    catalogue.close()


def test_follow_list_and_unfollow_by_any_spelling(service):
    result = service.follow(5, "bo noi vu", TODAY, 7)
    assert (result.status, result.agency, result.rows) == ("added", "Bộ Nội vụ", 4)
    assert numbers(result.digest.due) == ["1"] and numbers(result.digest.overdue) == ["2"]
    assert service.follow(5, "BNV", TODAY, 7).status == "already"
    assert service.follow(5, "Bộ GD&ĐT", TODAY, 7).status == "added"
    assert service.follow(-100, "BNV", TODAY, 7).status == "added"  # another chat, its own list
    assert service.following(5) == ("Bộ Nội vụ", "Bộ Giáo dục và Đào tạo")
    assert service.unfollow(5, "bo gddt") == ("Bộ Giáo dục và Đào tạo",)
    assert service.unfollow(5, "BGDĐT") == ()
    assert service.unfollow(5) == ("Bộ Nội vụ",) and service.following(5) == ()
    assert service.following(-100) == ("Bộ Nội vụ",)


def test_unknown_names_are_refused_unless_a_row_names_them(service):
    assert service.follow(5, "xyz abc", TODAY, 7).status == "unknown"
    assert service.follow(5, "nội", TODAY, 7).status == "unknown"  # one unknown word would match too much
    body = service.follow(5, "trung tâm phục vụ hành chính công tỉnh Hà Giang", TODAY, 7)
    assert (body.status, body.rows) == ("added", 1) and numbers(body.digest.due) == ["5"]
    assert service.unfollow(5, "Trung Tam Phuc Vu Hanh Chinh Cong Tinh Ha Giang") == (body.agency,)
    assert service.following(5) == ()


def test_a_chat_follows_at_most_max_per_chat(service):
    ministries = [a.name for a in TABLE.agencies if a.kind == "ministry"][:MAX_PER_CHAT + 1]
    assert len(ministries) == MAX_PER_CHAT + 1
    assert all(service.follow(9, m, TODAY, 7).status == "added" for m in ministries[:MAX_PER_CHAT])
    assert service.follow(9, ministries[-1], TODAY, 7).status == "too_many"
    assert service.follow(9, ministries[0], TODAY, 7).status == "already"


def test_digests_leave_out_chats_with_nothing_due(service):
    service.follow(1, "BNV", TODAY, 7)
    service.follow(2, "Bộ GD&ĐT", TODAY, 7)  # its only task is 40 days away
    by_chat = service.digests(TODAY, 7)
    assert list(by_chat) == [1]
    (digest,) = by_chat[1]
    assert digest.agency == "Bộ Nội vụ" and numbers(digest.due) == ["1"] and numbers(digest.overdue) == ["2"]
    assert digest.due[0].row.document_number == "12/KH-BNV"
    assert list(service.digests(TODAY + timedelta(days=33), 7)) == [1, 2]


def test_an_older_catalogue_gains_the_subscriptions_table(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE documents (id TEXT PRIMARY KEY, source TEXT UNIQUE NOT NULL, sha256 TEXT NOT NULL, "
                 "fmt TEXT, meta TEXT NOT NULL, text TEXT NOT NULL, ingested_at TEXT NOT NULL, original_path TEXT)")
    conn.execute("INSERT INTO documents VALUES ('a', 'a.txt', 's', 'txt', '{}', 'x', 'now', NULL)")
    conn.commit()
    conn.close()
    catalogue = Catalogue(path)
    assert catalogue.subscribe(3, "Bộ Nội vụ", "BNV") and not catalogue.subscribe(3, "Bộ Nội vụ", "bnv")
    assert [r["source"] for r in catalogue.documents()] == ["a.txt"]
    assert [(r["chat_id"], r["agency"], r["as_written"]) for r in catalogue.subscriptions()] == [(3, "Bộ Nội vụ", "BNV")]
    before = catalogue.version()
    catalogue.unsubscribe(3)
    assert catalogue.version() == before  # following changes no answer: the answerer must not reload
    catalogue.close()


# -- the digest's text ------------------------------------------------------------------------

def test_digest_text_cites_document_task_and_deadline_as_written():
    found = select_due(rows(task("III.4", TODAY + timedelta(days=3), text="Trước ngày 13/3/2024 <gấp> & ngay"),
                            task("7", date(2024, 1, 31), coordinate=("Bộ Nội vụ",), lead=("VPCP",), text="Tháng 01/2024")),
                       "Bộ Nội vụ", TABLE, TODAY, 7)
    (message,) = render_digests([found])
    plain = to_plain(message)
    assert "Nhắc hạn nhiệm vụ ngày 10/03/2024" in plain
    assert "Nhiệm vụ III.4 (chủ trì) — còn 3 ngày" in plain
    assert "Thời hạn: Trước ngày 13/3/2024 <gấp> & ngay (13/03/2024)" in plain
    assert "Nguồn: 01/KH-BNV · nhiệm vụ III.4" in plain
    assert "Nhiệm vụ 7 (phối hợp) — quá hạn 39 ngày" in plain and "Thời hạn: Tháng 01/2024" in plain
    assert "&lt;gấp&gt; &amp; ngay" in message  # escaped for Telegram's HTML
    assert plain.index("III.4") < plain.index("Nhiệm vụ 7")
    (unnumbered,) = render_digests([select_due(rows(task("1", TODAY), number=None), "BNV", TABLE, TODAY, 7)])
    assert "Nguồn: ke-hoach.txt · nhiệm vụ 1" in html.unescape(unnumbered)


def test_nothing_due_renders_nothing_and_old_overdue_rows_are_counted_not_listed():
    assert render_digests([select_due(rows(task("far", TODAY + timedelta(days=9))), "BNV", TABLE, TODAY, 7)]) == []
    many = rows(*(task(str(i), TODAY - timedelta(days=i)) for i in range(1, MAX_OVERDUE_SHOWN + 6)))
    parts = render_digests([select_due(many, "BNV", TABLE, TODAY, 7)])
    plain = "\n".join(to_plain(p) for p in parts)
    assert "25 nhiệm vụ quá hạn" in plain and "… và 5 nhiệm vụ quá hạn khác, cũ hơn." in plain
    assert f"Nhiệm vụ {MAX_OVERDUE_SHOWN} (" in plain and f"Nhiệm vụ {MAX_OVERDUE_SHOWN + 1} (" not in plain
    assert all(len(p) <= 4096 for p in parts)
