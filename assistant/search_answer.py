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
from assistant.understand import WHO_WHEN, Question
from assistant.verify import Check, names_asked_agencies, retrieved_enough, verify
from ingest.text import fold, key
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
    q, found = within_document(q, ctx, doc_ids, found)
    evidence = select(q, found, ctx.calibration)
    reason = verify(Check(q, evidence, ctx.docs, ctx.calibration))
    if reason is not None:
        return not_found(reason, q.intent)
    return answer_from(q, ctx, evidence)


FOCUS_DEPTH = 3  # the head of the search that, all from one document, says the answer is in it
FOCUS_K = 12  # passages of that document searched again


def within_document(q: Question, ctx: Context, doc_ids: frozenset[str] | None,
                    found: list[Evidence]) -> tuple[Question, list[Evidence]]:
    """One document holds the answer (named alone, or the whole head of the search is from it).
    Every passage of it carries its title, so the title's words rank them all alike: search
    that document again with the question's other words, and read sentences without them."""
    if q.intent in WHO_WHEN or q.intent == "list":
        return q, found  # task rows are indexed one by one: their own words rank them
    scope = set(doc_ids) if doc_ids and len(doc_ids) == 1 else None
    if scope is None and len(found) >= FOCUS_DEPTH and len({e.doc.id for e in found[:FOCUS_DEPTH]}) == 1:
        scope = {found[0].doc.id}
    doc = ctx.docs.docs.get(next(iter(scope))) if scope else None
    if doc is None:
        return q, found
    q = with_document_words(q, ctx, frozenset(scope))
    rest = beyond_title(q.search_text, f"{doc.meta.title or ''} {doc.meta.issuer or ''} {doc.meta.place or ''}")
    if rest is None:
        return q, found
    again = search(replace(q, search_text=rest), ctx, frozenset(scope), FOCUS_K)
    # The new order, each passage with the scores of the whole question where it had them
    # (how close the question is to the passage is still judged on all its words).
    before = {(e.doc.id, e.span): e for e in found}
    ordered = [before.get((e.doc.id, e.span), e) for e in again]
    seen = {(e.doc.id, e.span) for e in again}
    return q, ordered + [e for e in found if (e.doc.id, e.span) not in seen]


def beyond_title(text: str, title: str) -> str | None:
    """The question's words that its document's title does not hold, or None when fewer than
    three remain (the question is about the document as a whole)."""
    held = set(re.findall(r"\w+", fold(title)))
    words = [w for w in re.findall(r"\w+", text) if fold(w) not in held]
    return " ".join(words) if len(words) >= 3 else None


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
