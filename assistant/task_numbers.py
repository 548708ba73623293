"""Tasks asked by their number ("nhiệm vụ số 12 của Kế hoạch 157", "nhiệm vụ III.2").

A number names a row as the document writes it; the row's number may say more: a qualifier in
front ("III.2", "PL.2" for "2") or a sub-item after it ("2.a", "2(1)"). A number the named
document does not hold is not answered from the nearest row.
"""
from __future__ import annotations

from assistant.compose import fixed, not_found, task_result
from assistant.evidence import Doc
from assistant.passages import passage_result, row_answer
from assistant.matching import item_of, names_task
from assistant.plan import Context
from assistant.types import Answer
from assistant.understand import Question
from ingest.types import Task


def rows_numbered(q: Question, ctx: Context, doc_ids: frozenset[str]) -> list[tuple[Doc, Task]]:
    return [(ctx.docs.docs[d], t) for d in sorted(doc_ids) if d in ctx.docs.docs
            for t in ctx.docs.tasks(d) if names_task(t.number, q.task_number or "")]


def task_number_route(q: Question, ctx: Context, doc_ids: frozenset[str] | None) -> Answer | None:
    """The asked row of the named documents; None when no document is named (search decides)."""
    if not q.task_number or not doc_ids:
        return None
    rows = rows_numbered(q, ctx, doc_ids)
    if not rows:
        return not_found("task_number_absent", q.intent)
    items = {(d.id, item_of(t.number, q.task_number)) for d, t in rows}
    if len(items) > 1:
        return ambiguous(q, rows)
    doc, task = rows[0]
    if q.intent == "fact" and len(rows) == 1:
        found = passage_result(q, doc, task.span, " > ".join(task.section), task=task)
        if found.status == "answered":
            return found
    if len(rows) == 1:
        return row_answer(q, rows[0])
    # One item in parts ("5.a", "5.b"): every part is the answer.
    return task_result(q, rows, intro=fixed("item_parts_intro", number=q.task_number, count=len(rows)))


def ambiguous(q: Question, rows: list[tuple[Doc, Task]]) -> Answer:
    """Several items answer for the asked number: say so and name them, never pick one."""
    items = dict.fromkeys((d.label, item_of(t.number, q.task_number or "").upper()) for d, t in rows)
    return _candidates(q, list(items))


def tied_rows(q: Question, rows: list[tuple[Doc, Task]]) -> Answer:
    """Rows that match a question equally and answer it differently: named, not chosen."""
    return _candidates(q, list(dict.fromkeys((d.label, t.number) for d, t in rows)))


def _candidates(q: Question, items: list[tuple[str, str]]) -> Answer:
    names = "; ".join(fixed("task_ref", number=number, document=label) for label, number in items[:4])
    return not_found("ambiguous", q.intent, fixed("ambiguous", candidates=names))
