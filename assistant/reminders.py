"""Which tasks of an agency a reminder digest lists on a given day. Pure: rows in, frozen values out.

A task is *due* when the end of its deadline period falls within ``[today, today + days]`` and
*overdue* when it ended before ``today``. A task without a parsed end (thường xuyên, hằng năm, a
deadline that was not understood) is never listed: a reminder must not invent a date. The agency
is compared through the alias table, as the task lists of the answerer do, so "BNV", "bo noi vu"
and "Bộ Nội vụ" are one agency, and an agency covers its sub-bodies ("UBND" covers "UBND tỉnh").
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from ingest.agencies import AliasTable, find_agencies, mentions
from ingest.types import Task

REMIND_TZ = "Asia/Ho_Chi_Minh"  # the day of a digest is the day in Việt Nam, whatever the server's zone
Role = Literal["lead", "coordinate"]


@dataclass(frozen=True)
class TaskRow:
    """A task with what its citation needs: the file it was read from and the document's number."""

    source: str
    document_number: str | None
    task: Task


@dataclass(frozen=True)
class DueTask:
    row: TaskRow
    due: date  # the end of the task's deadline period
    days_left: int  # negative when overdue
    role: Role  # what the agency does in the row: leads it or coordinates

    @property
    def overdue(self) -> bool:
        return self.days_left < 0


@dataclass(frozen=True)
class Digest:
    """One agency's reminder on one day: due soonest first, then overdue, most recent first."""

    agency: str
    today: date
    days: int
    due: tuple[DueTask, ...]
    overdue: tuple[DueTask, ...]

    @property
    def empty(self) -> bool:
        return not self.due and not self.overdue


def resolve_agency(text: str, table: AliasTable) -> str | None:
    """The canonical name of the agency a user typed, or None when the table does not know it.

    The whole text is tried first ("bo gddt", "BNV"); then a known name inside it, so
    "nhiệm vụ của Bộ Nội vụ" subscribes to Bộ Nội vụ."""
    text = " ".join(text.split())
    if not text:
        return None
    canonical = table.canonical(text)
    if canonical in table.by_name:
        return canonical
    found = find_agencies(text, table)
    return found[0][1] if len(found) == 1 and found[0][1] in table.by_name else None


def role_of(task: Task, agency: str, table: AliasTable) -> Role | None:
    """"lead" when the agency (or a body it covers) leads the row, "coordinate" when it only
    coordinates, None when the row does not name it."""
    if mentions(agency, task.lead, table):
        return "lead"
    if mentions(agency, task.coordinate, table):
        return "coordinate"
    return None


def select_due(rows: Iterable[TaskRow], agency: str, table: AliasTable, today: date, days: int) -> Digest:
    """The digest of ``agency`` on ``today``: its tasks due within ``days`` days and its overdue ones."""
    last_day = today + timedelta(days=max(0, days))
    due: list[DueTask] = []
    overdue: list[DueTask] = []
    for row in rows:
        deadline = row.task.deadline
        if deadline is None or deadline.end is None or deadline.end > last_day:
            continue
        role = role_of(row.task, agency, table)
        if role is None:
            continue
        item = DueTask(row, deadline.end, (deadline.end - today).days, role)
        (overdue if item.overdue else due).append(item)
    due.sort(key=lambda d: (d.due, d.row.source, d.row.task.number))
    overdue.sort(key=lambda d: (-d.due.toordinal(), d.row.source, d.row.task.number))
    return Digest(agency, today, days, tuple(due), tuple(overdue))


def agency_rows(rows: Iterable[TaskRow], agency: str, table: AliasTable) -> int:
    """How many rows name the agency at all (to tell a new subscriber whether anything is there)."""
    return sum(1 for row in rows if role_of(row.task, agency, table) is not None)
