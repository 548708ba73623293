"""The search route: retrieve → select → verify → compose, for every question that is not a
structured look-up. The answer is read from the best task row, article or sentence."""
from __future__ import annotations

import re
from dataclasses import replace

from assistant.compose import not_found
from assistant.passages import passage_result, row_answer
from assistant.plan import Context
from assistant.retrieve import Evidence
from assistant.select import select, ties
from assistant.sentences import grams
from assistant.task_numbers import tied_rows
from assistant.understand import Question
from assistant.verify import Check, names_asked_agencies, retrieved_enough, verify
from ingest.text import key
from ingest.types import Task

WHO_WHEN_KINDS = {"task", "article"}


def search(q: Question, ctx: Context, doc_ids: frozenset[str] | None, k: int) -> list[Evidence]:
    """Task rows and articles first for who/when questions; all chunks when they are weak."""
    # "nhiệm vụ" in a who/when question names a task row; otherwise rows and articles compete.
    kinds = {"task"} if re.search(r"\bnhiem vu\b", q.folded) else WHO_WHEN_KINDS
    ids = set(doc_ids) if doc_ids else None
    if q.intent in ("lead", "coordinate", "deadline", "product", "list") or "trach nhiem" in q.folded:
        found = ctx.retrieval.search(q.search_text, k=k, doc_ids=ids, kinds=kinds)
        if found and retrieved_enough(found, ctx.calibration):
            return found
    return ctx.retrieval.search(q.search_text, k=k, doc_ids=ids)


def with_document_words(q: Question, ctx: Context, doc_ids: frozenset[str] | None) -> Question:
    """Restricted to one or two documents, their titles' words cannot tell their parts apart."""
    if not doc_ids or len(doc_ids) > 2:
        return q
    titles = " ".join(ctx.docs.docs[d].meta.title or "" for d in doc_ids if d in ctx.docs.docs)
    return replace(q, doc_words=grams(titles))


def search_answer(q: Question, ctx: Context, doc_ids: frozenset[str] | None):
    q = with_document_words(q, ctx, doc_ids)
    found = search(q, ctx, doc_ids, max(ctx.top_k, 8))
    if not found or not retrieved_enough(found, ctx.calibration):
        return not_found("weak_evidence", q.intent)
    evidence = select(q, found, ctx.calibration)
    reason = verify(Check(q, evidence, ctx.docs, ctx.calibration))
    if reason is not None:
        return not_found(reason, q.intent)
    return answer_from(q, ctx, evidence)


def answer_from(q: Question, ctx: Context, evidence: list[Evidence]):
    """Compose from the verified best evidence: a task row (its fields, or the sentence of it that
    answers), or the answering sentence of an article or passage."""
    top, extra = evidence[0], evidence[1 : ctx.top_k]
    if top.kind == "task":
        tied = decide_tie(q, ties(evidence, ctx.calibration), ctx)
        rows = [(ev.doc, ev.task) for ev in tied if ev.task is not None]
        if len(rows) > 1 and not agree(q, rows):
            return tied_rows(q, rows)  # equal matches that differ in what is asked: never pick one
        if rows:
            return row_answer(q, rows[0], extra)
    span = top.span
    article = ctx.docs.article_at(top.doc.id, span[0]) if top.kind == "article" else None
    if article is not None:  # a long article is chunked by khoản: read the answer from all of it
        span = (min(span[0], article[0]), max(span[1], article[1]))
    return passage_result(q, top.doc, span, top.section_text, extra)


def decide_tie(q: Question, tied: list[Evidence], ctx: Context) -> list[Evidence]:
    """Rows that match equally well are decided with more evidence: a row that does not name the
    asked agency drops out; the row whose sentences answer clearly better (by the calibrated
    margin of the re-rank score) stands alone. What remains is still tied."""
    if len(tied) > 1 and q.agencies:
        naming = [ev for ev in tied if names_asked_agencies(q, ev, ctx.docs)]
        tied = naming or tied
    if len(tied) > 1 and tied[0].scores.rerank >= tied[1].scores.rerank * (1 + ctx.calibration.tie_margin):
        return tied[:1]
    return tied


def agree(q: Question, rows: list[tuple]) -> bool:
    """Tied rows give the same answer to what is asked (the same lead, coordinators, deadline)."""
    field = q.intent if q.intent in ("lead", "coordinate", "deadline", "product") else "lead"
    values = {asked_value(task, field) for _, task in rows}
    return len(values) == 1


def asked_value(task: Task, field: str) -> tuple | str | None:
    if field == "deadline":
        return task.deadline.text if task.deadline else None
    if field == "product":
        return task.product
    return tuple(sorted(key(name) for name in (task.lead if field == "lead" else task.coordinate)))
