"""Task drafts of a table -> ``Task`` objects (agencies split, deadline parsed)."""
from __future__ import annotations

import re

from ingest.agencies import split_agencies
from ingest.deadlines import parse_deadline
from ingest.tables import columns as C
from ingest.tables.grid import Draft, TableDraft
from ingest.text import squash
from ingest.types import Task

# "Ban Công tác đại biểu (Viện Nghiên cứu lập pháp phối hợp chuẩn bị dự thảo)":
# the bracket names a coordinator inside the lead cell.
_PAREN_COORDINATOR = re.compile(r"\(([^()]{3,120}?)\s+phối hợp[^()]*\)", re.I)


def build_tasks(table: TableDraft, aliases: object, doc_year: int | None) -> list[Task]:
    return [_task(table, d, pos, aliases, doc_year) for pos, d in enumerate(table.drafts, 1)]


def _task(t: TableDraft, d: Draft, pos: int, aliases: object, doc_year: int | None) -> Task:
    def value(role: str) -> str:
        i = t.role_index(role)
        return d.values.get(i, "") if i is not None else ""

    lead_text, moved = _split_lead_cell(value(C.LEAD))
    lead = _agencies(lead_text, aliases)
    coordinate = _dedupe(_agencies(value(C.COORDINATE), aliases)
                         + tuple(a for m in moved for a in _agencies(m, aliases)))
    when = value(C.DEADLINE)
    has_time = t.role_index(C.DEADLINE) is not None
    return Task(
        number=d.number or str(pos),  # no written number: the row's place in the table
        section=d.section,
        description=value(C.DESCRIPTION),
        lead=lead,
        coordinate=tuple(a for a in coordinate if a not in lead),
        deadline=parse_deadline(when, doc_year) if has_time and when else None,
        product=value(C.PRODUCT) or None,
        span=d.span,
        extra=_extra(t, d),
    )


def _split_lead_cell(cell: str) -> tuple[str, list[str]]:
    moved = [m.group(1) for m in _PAREN_COORDINATOR.finditer(cell)]
    return squash(_PAREN_COORDINATOR.sub(" ", cell)), moved


def _agencies(cell: str, aliases: object) -> tuple[str, ...]:
    cell = C.clean_agency(cell)
    if not cell:
        return ()
    found = (squash(a) for a in split_agencies(cell, aliases))
    return _dedupe(tuple(a for a in found if a))


def _dedupe(items: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(items))


def _extra(t: TableDraft, d: Draft) -> tuple[tuple[str, str], ...]:
    """Named columns without a main role: header text -> cell text."""
    out = []
    for i, col in enumerate(t.columns):
        if col.role == C.OTHER and col.name and d.values.get(i):
            out.append((col.name, d.values[i]))
    return tuple(out)
