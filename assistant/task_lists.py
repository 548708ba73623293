"""The task_list route: the rows of an agency (as lead, coordinator or either) and the rows due
in a period, from the catalogue, optionally within the named documents."""
from __future__ import annotations

import re
from dataclasses import replace

from assistant.compose import fixed, list_answer, not_found
from assistant.evidence import citation, task_view
from assistant.lookup import filter_tasks
from assistant.matching import topic_words
from assistant.plan import TOPIC_GENERIC, Context
from assistant.search_answer import search_answer
from assistant.types import Answer
from assistant.understand import Question
from ingest.text import fold
from ingest.types import Task


def list_route(q: Question, ctx: Context, doc_ids: frozenset[str] | None) -> Answer:
    if "trach nhiem" in q.folded and not q.period:
        return search_answer(q, ctx, doc_ids)
    role = q.roles[0] if q.roles else "any"
    candidates = candidate_tasks(period_issuer_dropped(q, ctx, doc_ids), ctx, doc_ids, role)
    candidates = filter_by_topic(q, candidates)
    if not candidates:
        # No row of the agency anywhere: not found. In a named document that mentions the
        # agency (checked by the plan), its part may be written in articles or prose.
        if (q.agencies and not doc_ids) or q.period:
            return not_found("no_rows", "list")
        return search_answer(q, ctx, doc_ids)
    items = [(ctx.docs.docs[d], t) for d, t in candidates if d in ctx.docs.docs]
    text = list_answer(items, "lead" if role == "any" else role)
    cites = [citation(doc, t.span[0], t.span[1], " > ".join(t.section), t.number) for doc, t in items[:10]]
    return Answer("answered", text, "", tuple(cites), tuple(task_view(doc, t) for doc, t in items), q.intent)


def period_issuer_dropped(q: Question, ctx: Context, doc_ids: frozenset[str] | None) -> Question:
    """"Nhiệm vụ nào trong kế hoạch của Ban Chỉ đạo … đến hạn quý I": the Ban issued the
    plan; with a period asked, it names the document, not the rows' agency."""
    if not doc_ids or not q.period or not q.agencies:
        return q
    issuers = " ".join(fold(ctx.docs.docs[d].meta.issuer or "") for d in doc_ids if d in ctx.docs.docs)
    kept = [(a, t) for a, t in zip(q.agencies, q.agency_texts) if fold(a) not in issuers and fold(t) not in issuers]
    return replace(q, agencies=tuple(a for a, _ in kept), agency_texts=tuple(t for _, t in kept))


def candidate_tasks(q: Question, ctx: Context, doc_ids: frozenset[str] | None, role: str) -> list[tuple[str, Task]]:
    by_source = {d.source: d.id for d in ctx.docs.docs.values()}
    start, end = q.period if q.period else (None, None)
    found: list[tuple[str, Task]] = []
    surfaces = dict(zip(q.agencies, q.agency_texts)) if len(q.agencies) == len(q.agency_texts) else {}
    for agency in q.agencies or (None,):
        if agency is None and not q.period:
            return []
        rows = filter_tasks(ctx.catalogue, agency=agency, due_from=start, due_to=end, role=role,
                            as_written=surfaces.get(agency))
        found += [(by_source[src], t) for src, t in rows if src in by_source]
    if doc_ids is not None:
        found = [(d, t) for d, t in found if d in doc_ids]
    unique = {(d, t.number, t.span): (d, t) for d, t in found}
    return list(unique.values())


def filter_by_topic(q: Question, candidates: list[tuple[str, Task]]) -> list[tuple[str, Task]]:
    """Keep the section(s) a question names ("về Chính phủ điện tử", "hoàn thiện thể chế")."""
    topic = {w for w in topic_words(q) if w not in TOPIC_GENERIC}
    if len(topic) < 2 or not candidates:
        return candidates
    scored = []
    for d, t in candidates:
        section_words = set(re.findall(r"\w+", fold(" ".join(t.section))))
        scored.append((len(topic & section_words), d, t))
    best = max(s for s, _, _ in scored)
    if best < 2:
        return candidates
    return [(d, t) for s, d, t in scored if s == best]


_ASKS_WHICH_AGENCIES = re.compile(
    r"\b(nhung|cac) (co quan|don vi|so|bo|nganh|ai)( nao)?\b|\bcho (nhung )?(ai|co quan nao|don vi nao)\b"
    r"|\b(co quan|don vi) nao (duoc giao|tham gia)\b")


def asks_plan_owners(q: Question) -> bool:
    """"KH 157 phân công nhiệm vụ cho những cơ quan nào?": the agencies a named plan gives work."""
    return not q.agencies and q.intent in ("list", "lead", "fact") and bool(_ASKS_WHICH_AGENCIES.search(q.folded)) \
        and re.search(r"\b(giao|phan cong|trach nhiem|chu tri|thuc hien)\b", q.folded) is not None


def plan_owners_route(q: Question, ctx: Context, doc_ids: frozenset[str] | None) -> Answer | None:
    """The leads of a named plan's task rows, each with the rows it leads."""
    if not doc_ids or not asks_plan_owners(q):
        return None
    rows = [(ctx.docs.docs[d], t) for d in sorted(doc_ids) if d in ctx.docs.docs for t in ctx.docs.tasks(d) if t.lead]
    if not rows:
        return None
    leads: dict[str, list[str]] = {}
    for _, task in rows:
        for name in task.lead:
            leads.setdefault(name, []).append(task.number)
    doc = rows[0][0]
    lines = [fixed("plan_owners_intro", document=doc.label, count=len(leads))]
    lines += [fixed("plan_owners_item", agency=name, numbers=", ".join(numbers[:8])) for name, numbers in leads.items()]
    cites = [citation(d, t.span[0], t.span[1], " > ".join(t.section), t.number) for d, t in rows[:10]]
    return Answer("answered", "\n".join(lines[:25]), "", tuple(cites), tuple(task_view(d, t) for d, t in rows), "list")
