"""Answers from the duties of legal texts: "Bộ Công an có trách nhiệm gì theo NĐ 297?" lists
the khoản of its article; "những bộ nào có trách nhiệm …?" lists the agencies and articles.

The duties come from ``ingest.legal_duties.responsibilities`` (articles titled "Trách nhiệm
của X", khoản such as "X chủ trì, …"), matched through the same alias table as the plans.
"""
from __future__ import annotations

import re
from typing import TYPE_CHECKING

from assistant.compose import fixed
from assistant.evidence import DocumentStore, citation
from assistant.types import Answer
from assistant.understand import Question
from assistant.verify import retrieved_enough
from ingest.text import fold

if TYPE_CHECKING:
    from assistant.plan import Context

MAX_ITEMS = 6
ITEM_CHARS = 220
_ASKS_DUTIES = re.compile(r"\b(trach nhiem|nhiem vu) (gi|nhung gi|nao)\b|\bgiao\b.*\b(gi|nhung gi)\b|\blam gi\b")
_ASKS_OWNERS = re.compile(
    r"\b(nhung|cac)?\s*(bo|co quan|don vi|so|ban|nganh) nao\b.*\b(trach nhiem|chiu trach nhiem|giao)\b"
)


def duties_route(q: Question, ctx: Context, doc_ids: frozenset[str] | None) -> Answer | None:
    """Duties of an agency, or the agencies with duties, from the articles of legal texts: in
    the named documents, else in the documents retrieval ranks first, in that order."""
    if doc_ids:
        ordered = sorted(doc_ids)
    else:
        found = ctx.retrieval.search(q.search_text, k=10, kinds={"article"})
        strong = retrieved_enough(found, ctx.calibration)
        ordered = list(dict.fromkeys(ev.doc.id for ev in found if strong))
    if asks_duties(q):
        return duties_answer(q, ctx.docs, ordered)
    return owners_answer(q, ctx.docs, ordered)


def asks_duties(q: Question) -> bool:
    return bool(q.agencies) and _ASKS_DUTIES.search(q.folded) is not None


def asks_owners(q: Question) -> bool:
    return _ASKS_OWNERS.search(q.folded) is not None


def _short(body: str) -> str:
    return body if len(body) <= ITEM_CHARS else body[:ITEM_CHARS].rsplit(" ", 1)[0] + " …"


def _items(text: str, span: tuple[int, int]) -> list[str]:
    """A khoản as answer lines: its points a), b) … one per line when it has them."""
    body = " ".join(text[span[0] : span[1]].replace("*", "").split())
    body = re.sub(r"^(\d{1,3}\s?\.|[a-zđ]\s?\))\s*", "", body)
    parts = re.split(r"\s(?=[a-zđ]\)\s)", body)
    if len(parts) > 1 and len(parts[0]) <= 100:  # a heading such as "Trách nhiệm của UBND cấp xã"
        parts = [re.sub(r"^[a-zđ]\)\s*", "", p) for p in parts[1:]]
    elif len(parts) > 1:
        parts = [body]
    return [_short(p) for p in parts]


def duties_answer(q: Question, store: DocumentStore, doc_ids: list[str]) -> Answer | None:
    """The khoản a legal text gives the asked agency, grouped under their article."""
    for agency in q.agencies:
        for doc_id in doc_ids:
            doc = store.docs[doc_id]
            rows = [(path, span) for name, path, span in store.duties(doc_id) if store.same_agency(agency, name)]
            if not rows:
                continue
            path = rows[0][0]  # the first article naming the agency; its khoản in order
            spans = sorted({span for p, span in rows if p == path})
            lines = [fixed("duties_intro", document=doc.label, section=path.split(" > ")[-1], agency=agency)]
            items = [item for s in spans for item in _items(doc.text, s)]
            lines += [fixed("duties_item", value=item) for item in items[:MAX_ITEMS]]
            if len(items) > MAX_ITEMS:
                lines.append(fixed("duties_more", count=len(items) - MAX_ITEMS))
            cites = [citation(doc, a, b, path, None) for a, b in spans[:MAX_ITEMS]]
            return Answer("answered", "\n".join(lines), "", tuple(cites), (), "list")
    return None


def owners_answer(q: Question, store: DocumentStore, doc_ids: list[str]) -> Answer | None:
    """Which agencies a legal text makes responsible, each with its article."""
    m = _ASKS_OWNERS.search(q.folded)
    head = {"bo": "bo ", "so": "so ", "ban": "ban "}.get(m.group(2)) if m else None
    for doc_id in doc_ids:
        doc = store.docs[doc_id]
        duties = store.duties(doc_id)
        # Articles about an agency's responsibility say it best; other khoản only when there are none.
        titled = [d for d in duties if "trach nhiem" in fold(d[1].split(" > ")[-1])] or list(duties)
        firsts: dict[str, tuple[str, tuple[int, int]]] = {}
        for name, path, span in titled:
            if head is None or fold(name).startswith(head):
                firsts.setdefault(name, (path, span))
        if not firsts:
            continue
        lines = [fixed("owners_intro", document=doc.label)]
        lines += [fixed("owners_item", agency=name, section=path.split(" > ")[-1]) for name, (path, _) in firsts.items()]
        cites = [citation(doc, span[0], span[1], path, None) for path, span in firsts.values()]
        return Answer("answered", "\n".join(lines), "", tuple(cites[:10]), (), "list")
    return None
