"""Plan: which look-ups answer a question, in which documents, tried in order.

Routes: ``task_number`` (a row asked by its number in the named documents), ``metadata`` (who signed a document, when, its number …), ``duties`` (an agency's
duties in legal articles, or the agencies a text makes responsible), ``task_list`` (rows of an
agency or due in a period), ``search`` (hybrid retrieval for everything else). A route that
finds nothing hands over to the next; the last one's answer stands.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from assistant.calibration import Calibration
from assistant.duties import asks_duties, asks_owners
from assistant.evidence import DocumentStore
from assistant.matching import topic_words
from assistant.retrieve import Retrieval
from assistant.understand import Question
from ingest.text import fold

Route = Literal["task_number", "metadata", "plan_owners", "duties", "task_list", "search"]

# Words that say what is asked of a task list rather than its subject.
TOPIC_GENERIC = frozenset(
    "nhiem vu viec cong nhung cac phai xong hoan thanh trong thang nam quy truoc sau giao chu tri phoi hop "
    "theo cua ve va co nao gi la duoc de yeu cau thuc hien nhom".split()
)


@dataclass(frozen=True)
class Context:
    """What every route reads: the catalogue, the documents, retrieval, the calibration."""

    catalogue: object
    docs: DocumentStore
    retrieval: Retrieval
    calibration: Calibration
    top_k: int


@dataclass(frozen=True)
class Plan:
    routes: tuple[Route, ...]
    doc_ids: frozenset[str] | None  # where to look; None: everywhere
    named: bool  # doc_ids are documents the question names (by number or by kind and subject)
    refuse: str | None = None  # a reason code known before any look-up


def make_plan(q: Question, docs: DocumentStore, named: set[str] | None, scope: set[str] | None) -> Plan:
    doc_ids = named or scope
    routes: list[Route] = ["task_number"] if q.task_number and doc_ids and q.intent not in ("list", "due") else []
    # A field of a document named by its full number is read from it, whatever else describes it.
    by_number = bool(named and q.full_numbers and q.doc_field in ("signer", "date"))
    if q.intent == "doc" and (not named or by_number or len(words_beyond_title(q, docs, named)) <= 3):
        routes.append("metadata")
    if named:
        routes.append("plan_owners")  # "… phân công cho những cơ quan nào": the named plan's leads
    if named and agency_absent(q, docs, named):
        return Plan(tuple(routes), frozenset(named), True, refuse="agency_not_in_document")
    if q.intent in ("list", "due") and not doc_ids and q.full_numbers:
        # Rows of a document named by a number that is not loaded: only the texts citing it may hold them.
        citing = set().union(*(docs.citing(n) for n in q.full_numbers))
        if not citing:
            return Plan(tuple(routes), None, False, refuse="document_absent")
        doc_ids = citing
    if asks_legal_duties(q, docs, doc_ids):
        routes.append("duties")
    routes.append("task_list" if q.intent in ("list", "due") else "search")
    return Plan(tuple(routes), frozenset(doc_ids) if doc_ids else None, bool(named))


def asks_legal_duties(q: Question, docs: DocumentStore, doc_ids: set[str] | None) -> bool:
    """Duties in articles are "trách nhiệm"; "những nhiệm vụ nào" of an agency are task rows of
    plans, unless the named document has no task rows."""
    if not (asks_duties(q) or (doc_ids and asks_owners(q))):
        return False
    return "trach nhiem" in q.folded or bool(doc_ids and not any(docs.tasks(d) for d in doc_ids))


def words_beyond_title(q: Question, docs: DocumentStore, doc_ids: set[str] | frozenset[str] | None) -> list[str]:
    """Topic words of the question that are not just the named document's own title."""
    metas = [docs.docs[d].meta for d in doc_ids or () if d in docs.docs]
    heads = " ".join(fold(f"{m.title or ''} {m.issuer or ''}") for m in metas) + " " + fold(" ".join(q.agency_texts))
    present = set(re.findall(r"\w+", heads)) | TOPIC_GENERIC
    return list(dict.fromkeys(w for w in topic_words(q) if w not in present))


def agency_absent(q: Question, docs: DocumentStore, doc_ids: set[str]) -> bool:
    """An agency the question asks about that none of the named documents mentions."""
    return any(not any(docs.mentions(d, agency) for d in doc_ids) for agency in q.agencies)
