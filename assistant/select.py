"""Select: order the retrieved evidence so the span that answers leads.

The head of the fused list is re-ranked by its best sentence (the question's words, bigrams and
trigrams, the asked part counted twice, the kind of value asked) and by article titles; then
evidence naming the asked agency, or holding the asked amount or share, is preferred. Ties
between task rows are reported, not decided here (the verify stage decides what to do).
"""
from __future__ import annotations

from assistant.calibration import Calibration
from assistant.grounds import asks_grounds, in_grounds
from assistant.matching import names_agency, names_task
from assistant.retrieve import Evidence
from assistant.sentences import best_sentences, has_money, has_percent, title_overlap
from assistant.understand import Question
from ingest.text import fold

RERANK_DEPTH = 8


def select(q: Question, evidence: list[Evidence], calibration: Calibration) -> list[Evidence]:
    return prefer_number(q, prefer_cited(q, prefer_value(q, prefer_agency(q, rerank(q, evidence, calibration)))))


def prefer_cited(q: Question, evidence: list[Evidence], depth: int = RERANK_DEPTH) -> list[Evidence]:
    """A document named by its full number but not indexed ("theo Quyết định 1085/QĐ-TTg") is
    asked about through the texts that cite it: evidence of the head naming the number leads.
    (An indexed document so named scopes the search instead; its own text need not cite itself.)"""
    if not q.full_numbers:
        return evidence
    cites = [ev for ev in evidence[:depth]
             if any(n in fold(ev.text).replace(" ", "") for n in q.full_numbers) and not _is_named(ev, q)]
    return cites + [ev for ev in evidence if all(ev is not c for c in cites)] if cites else evidence


def _is_named(ev: Evidence, q: Question) -> bool:
    number = fold(ev.doc.meta.number or "").replace(" ", "")
    return bool(number) and number in q.full_numbers


def prefer_number(q: Question, evidence: list[Evidence]) -> list[Evidence]:
    """A task asked by its number: the rows that bear it lead, in their order."""
    if not q.task_number:
        return evidence
    bearing = [ev for ev in evidence if ev.task_number and names_task(ev.task_number, q.task_number)]
    return bearing + [ev for ev in evidence if all(ev is not b for b in bearing)]


def sentence_evidence(q: Question, ev: Evidence, calibration: Calibration, grounds_ok: bool = False) -> float:
    """How well the span's best sentence and its title answer the question (the legal grounds
    count only when asked about)."""
    best = [b for b in best_sentences(ev.doc.text, ev.span[0], ev.span[1], q.text, q.value_kind, n=4,
                                      ignore=q.doc_words) if grounds_ok or not in_grounds(ev.doc.text, b[0])]
    return (best[0][2] if best else 0.0) + calibration.title_weight * title_overlap(ev.heading, q.text)


def rerank(q: Question, evidence: list[Evidence], calibration: Calibration, depth: int = RERANK_DEPTH) -> list[Evidence]:
    """Reorder the head of the fused list by its best sentence: the chunk that holds a sentence
    sharing the question's words (and the kind of value asked) should lead."""
    head = evidence[:depth]
    if not head:
        return evidence
    grounds_ok = asks_grounds(q)
    support = [sentence_evidence(q, ev, calibration, grounds_ok) for ev in head]
    top_rrf, top_support = head[0].scores.rrf, max(max(support), 1e-6)
    scored = [ev.with_rerank(ev.scores.rrf / top_rrf + calibration.rerank_weight * max(s, 0.0) / top_support)
              for ev, s in zip(head, support)]
    order = sorted(range(len(scored)), key=lambda i: (-scored[i].scores.rerank, i))
    return [scored[i] for i in order] + evidence[depth:]


def prefer_agency(q: Question, evidence: list[Evidence], depth: int = 5) -> list[Evidence]:
    """Evidence of the head that names an asked agency comes first."""
    if not q.agencies:
        return evidence
    good = [ev for ev in evidence[:depth] if names_agency(q, ev.text)]
    return good + [ev for ev in evidence if ev not in good] if good else evidence


def prefer_value(q: Question, evidence: list[Evidence], depth: int = RERANK_DEPTH) -> list[Evidence]:
    """An amount or a share asked: the first of the head that holds one leads."""
    holds = has_money if q.wants_money else has_percent if q.wants_share else None
    if holds is None or not evidence or holds(evidence[0].text):
        return evidence
    first = next((ev for ev in evidence[:depth] if holds(ev.text)), None)
    return [first] + [ev for ev in evidence if ev is not first] if first else evidence


def ties(evidence: list[Evidence], calibration: Calibration) -> list[Evidence]:
    """The task rows that match as well as the first one (the first included)."""
    top = evidence[0]
    tied = [top]
    for ev in evidence[1:3]:
        if (ev.kind == "task" and ev.scores.rrf >= top.scores.rrf * calibration.tie_rrf
                and abs(ev.scores.dense - top.scores.dense) < calibration.tie_dense):
            tied.append(ev)
    return tied
