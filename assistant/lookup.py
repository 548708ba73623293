"""Exact structured look-ups over the catalogue: tasks by agency, by period, by document."""
from __future__ import annotations

from datetime import date

from assistant.exports import ExportRow
from index.catalogue import Catalogue, meta_from_json
from ingest.agencies import load_aliases, mentions
from ingest.text import key
from ingest.types import Task


def task_to_json(source: str, task: Task) -> dict:
    d = task.deadline
    return {
        "source": source, "task_number": task.number, "section": " > ".join(task.section),
        "description": task.description, "lead": list(task.lead), "coordinate": list(task.coordinate),
        "deadline": {"text": d.text, "start": d.start.isoformat() if d.start else None,
                     "end": d.end.isoformat() if d.end else None, "kind": d.kind} if d else None,
        "product": task.product,
    }


def _due_between(task: Task, start: date | None, end: date | None) -> bool:
    """A task is due in [start, end] when its deadline period ends inside it."""
    d = task.deadline
    if d is None or d.end is None:
        return False
    return (start is None or d.end >= start) and (end is None or d.end <= end)


def filter_tasks(
    catalogue: Catalogue, agency: str | None = None, due_before: date | None = None,
    due_from: date | None = None, due_to: date | None = None, doc: str | None = None,
    role: str = "any", as_written: str | None = None,
) -> list[tuple[str, Task]]:
    """Tasks matching every given filter, as (source, task). role: "lead" | "coordinate" | "any"."""
    doc_id = None
    if doc:
        row = catalogue.document_row(doc)
        if row is None:
            return []
        doc_id = row["id"]
    sources = {row["id"]: row["source"] for row in catalogue.documents()}
    table = load_aliases()
    wanted = table.canonical(agency) if agency else None
    out = []
    for did, _, task in catalogue.tasks(doc_id):
        if wanted and not _has_agency(task, wanted, role, table, as_written):
            continue
        if due_before and not _due_between(task, None, due_before):
            continue
        if (due_from or due_to) and not _due_between(task, due_from, due_to):
            continue
        out.append((sources.get(did, did), task))
    return out


def _has_agency(task: Task, canonical: str, role: str, table, as_written: str | None = None) -> bool:
    # "Tổ công tác" as the user wrote it also matches a cell "thành viên Tổ công tác".
    surface = key(as_written) if as_written and len(as_written.split()) >= 2 else None

    def hit(cells: tuple[str, ...]) -> bool:
        return mentions(canonical, cells, table) or bool(surface and any(surface in key(c) for c in cells))

    in_lead, in_coord = hit(task.lead), hit(task.coordinate)
    return {"lead": in_lead, "coordinate": in_coord}.get(role, in_lead or in_coord)


def export_rows(catalogue: Catalogue, rows: list[tuple[str, Task]]) -> list[ExportRow]:
    """Rows with their document's number and the exact span each was read from."""
    docs: dict[str, tuple[str, str | None]] = {}
    out = []
    for source, task in rows:
        if source not in docs:
            row = catalogue.document_row(source)
            docs[source] = (row["text"], meta_from_json(row["meta"]).number) if row else ("", None)
        text, number = docs[source]
        out.append(ExportRow(source, number, task, text[task.span[0]:task.span[1]]))
    return out


def diff_documents(catalogue: Catalogue, old: str, new: str) -> dict | None:
    """The task rows of two documents (ids or file names) compared; None when one is unknown.
    Shape: {"old": source, "new": source, "added": [task], "removed": [task],
    "changed": [{"old": task, "new": task, "fields": [...]}]}, each task with its citation."""
    from assistant.plan_diff import diff_tasks

    docs = [catalogue.document_row(d) for d in (old, new)]
    if any(row is None for row in docs):
        return None
    (a, b) = [(row["source"], row["text"], tuple(t for _, _, t in catalogue.tasks(row["id"]))) for row in docs]

    def cited(doc: tuple, task: Task) -> dict:
        source, text, _ = doc
        return {**task_to_json(source, task), "quote": text[task.span[0]:task.span[1]],
                "start": task.span[0], "end": task.span[1]}

    d = diff_tasks(a[2], b[2])
    return {"old": a[0], "new": b[0], "added": [cited(b, t) for t in d.added],
            "removed": [cited(a, t) for t in d.removed],
            "changed": [{"old": cited(a, c.old), "new": cited(b, c.new), "fields": list(c.fields)} for c in d.changed]}
