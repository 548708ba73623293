"""Verify: before an answer is composed, check that the evidence holds what was asked.

"A wrong agency or a wrong date is worse than no answer": each verifier looks at the selected
evidence (best first) and either passes or names a reason; the first reason wins and the
answer is ``not_found`` with that reason. Order matters only for which reason is reported.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, Protocol, Sequence

from assistant.calibration import Calibration
from assistant.evidence import DocumentStore
from assistant.matching import folded_text, names_agency, names_task, topic_words, without_issuer, years_missing
from assistant.retrieve import Evidence
from assistant.sentences import has_money, has_percent
from assistant.understand import Question, has_diacritics
from ingest.text import fold

Reason = Literal[
    "empty_question",  # nothing was asked
    "empty_index",  # nothing is ingested yet
    "weak_evidence",  # nothing retrieved is close to the question
    "off_topic",  # the best evidence misses most of the question's own words
    "year_absent",  # a year asked that neither the evidence nor its document holds
    "agency_not_in_span",  # an agency asked that the answering span does not name
    "agency_not_in_document",  # an agency asked that the named document never mentions
    "value_missing",  # an amount or a share asked, none in the evidence
    "no_sentence",  # the span holds no sentence that could answer
    "field_missing",  # a document field (signer, number, date) the document does not state
    "document_absent",  # the document asked about is not the one found (not indexed)
    "no_rows",  # no task row of the asked agency or period
    "task_number_absent",  # a task asked by a number no (named) document gives a row
    "ambiguous",  # several rows answer equally and differ in what is asked
    "reference_absent",  # a numbered part asked (mẫu số 12, phụ lục III) that the evidence does not hold
]


@dataclass(frozen=True)
class Check:
    q: Question
    evidence: Sequence[Evidence]  # best first
    docs: DocumentStore
    calibration: Calibration

    @property
    def top(self) -> Evidence:
        return self.evidence[0]


class Verifier(Protocol):
    reason: Reason

    def passes(self, check: Check) -> bool: ...


class Retrieved:
    """Something close was retrieved: the dense or the keyword side clears its bar."""

    reason: Reason = "weak_evidence"

    def passes(self, check: Check) -> bool:
        return retrieved_enough(check.evidence, check.calibration)


def retrieved_enough(evidence: Sequence[Evidence], cal: Calibration) -> bool:
    head = evidence[:10]
    return bool(head) and (max(e.scores.dense for e in head) >= cal.dense_min
                           or max(e.scores.bm25 for e in head) >= cal.bm25_min)


class OnTopic:
    """Most of the question's own words are in the best evidence, or its meaning is close
    ("giá vé máy bay …" is not answered from a page footer). Without diacritics (typed so, and
    none restored) the dense score says little, so the words alone decide, at a lower bar."""

    reason: Reason = "off_topic"

    def passes(self, check: Check) -> bool:
        q, top, cal = check.q, check.top, check.calibration
        topic = list(dict.fromkeys(topic_words(q)))
        if not topic:
            return True
        meta = top.doc.meta
        # The words that name the document (its title, issuer, number) count as found in it.
        about = fold(f"{meta.title or ''} {meta.issuer or ''} {meta.number or ''}")
        words = set(re.findall(r"\w+", folded_text(top.text) + " " + about))
        coverage = sum(w in words for w in topic) / len(topic)
        if not has_diacritics(q.search_text):  # typed without accents and none could be restored
            return coverage >= cal.coverage_plain
        dense = max(e.scores.dense for e in check.evidence[:10])
        return dense >= cal.dense_topic or coverage >= cal.coverage


class TaskNumberInEvidence:
    """A task asked by its number is answered only from the row that bears it."""

    reason: Reason = "task_number_absent"

    def passes(self, check: Check) -> bool:
        asked = check.q.task_number
        return not asked or bool(check.top.task_number and names_task(check.top.task_number, asked))


class YearInEvidence:
    reason: Reason = "year_absent"

    def passes(self, check: Check) -> bool:
        return not years_missing(check.q, check.top.text, check.top.doc)


class AgencyInSpan:
    """A question about an agency is answered only from a span naming it (all of them, the
    document's own issuer aside, any spelling of the alias table, anywhere in the article):
    never from another agency's row or duty."""

    reason: Reason = "agency_not_in_span"

    def passes(self, check: Check) -> bool:
        return names_asked_agencies(check.q, check.top, check.docs)


class ReferenceInEvidence:
    """A numbered part the question names ("mẫu số 12", "phụ lục III", "khoản 4", "Điều 35") is in
    the evidence or its section path; else the document does not hold it."""

    reason: Reason = "reference_absent"

    def passes(self, check: Check) -> bool:
        top = check.top
        where = folded_text(f"{top.section_text}\n{top.text}\n{top.article or ''}")
        return all(re.search(rf"\b{kind}\s+(?:so\s+)?{re.escape(n)}\b", where)
                   or (kind == "muc" and re.search(rf"(?:^|\n|> )\W*{re.escape(n)}\s*[.)]", where))
                   for kind, n in check.q.references)


class NamedDocumentHeld:
    """A document named by its full number ("Kế hoạch 12/KH-UBND") is indexed, or the answering
    document cites it; else a neighbour with a close number or the same subject would answer
    for a document that is not there."""

    reason: Reason = "document_absent"

    def passes(self, check: Check) -> bool:
        missing = [n for n in check.q.full_numbers if not check.docs.resolve(check.q.doc_refs, (n,))]
        return all(check.top.doc.id in check.docs.citing(n) for n in missing)


class ValueInEvidence:
    reason: Reason = "value_missing"

    def passes(self, check: Check) -> bool:
        top = check.top
        span = top.doc.text[top.span[0] : top.span[1]]
        return not ((check.q.wants_money and not has_money(span)) or (check.q.wants_share and not has_percent(span)))


SEARCH_VERIFIERS: tuple[Verifier, ...] = (
    Retrieved(), NamedDocumentHeld(), TaskNumberInEvidence(), ReferenceInEvidence(), OnTopic(), YearInEvidence(), AgencyInSpan(),
    ValueInEvidence(),
)


def verify(check: Check, verifiers: Sequence[Verifier] = SEARCH_VERIFIERS) -> Reason | None:
    """The reason of the first verifier that fails, or None when the evidence holds."""
    if not check.evidence:
        return "weak_evidence"
    return next((v.reason for v in verifiers if not v.passes(check)), None)


def names_asked_agencies(q: Question, ev: Evidence, docs: DocumentStore) -> bool:
    """The evidence names every agency the question asks about, except the document's own
    issuer. An answer from an article is read from all of it, not only the khoản that ranked."""
    asked = without_issuer(q, ev.doc)
    if not asked.agencies:
        return True
    article = docs.article_at(ev.doc.id, ev.span[0]) if ev.kind == "article" else None
    raw = f"{ev.text}\n{ev.doc.text[article[0] : article[1]]}" if article else ev.text
    return names_agency(asked, raw, every=True, docs=docs)
