"""What a question names, looked for in a span of evidence: agencies (through the alias table),
topic words, years. Shared by the select and verify stages."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from assistant.evidence import Doc, DocumentStore
from assistant.understand import Question
from ingest.text import fold

folded_text = lru_cache(maxsize=20_000)(fold)  # chunk texts are folded again on every question otherwise

_INTENT_VOCAB = frozenset(
    "chu tri phoi hop co quan don vi thoi gian thoi han han thuc hien san pham ket qua nhiem vu "
    "hoan thanh bao lau khi nao trach nhiem cac nhung theo so ky ban hanh ngay hieu luc thi "
    "nghi dinh quyet dinh ke hoach nghi quyet cong dien cong van thong tu qd nd kh nq cd tt "
    "gui thay the bai bo nguoi tu den".split()
)
_YEAR = re.compile(r"\b(?:19|20)\d{2}\b")


def topic_words(q: Question) -> list[str]:
    """The question's words that carry its subject: not question words, agency names, the
    vocabulary of roles and deadlines, nor numbers."""
    agency_words = set(" ".join(fold(a) for a in q.agencies).split())
    return [w for w in q.content_words if w not in agency_words and w not in _INTENT_VOCAB and not w.isdigit()]


def names_agency(q: Question, raw: str, every: bool = False, docs: DocumentStore | None = None) -> bool:
    """Does ``raw`` name an agency the question asks about: as canonical, as typed, or with
    ``docs`` under any spelling of the alias table? ``every``: all of them."""
    text = folded_text(raw)
    typed = dict(zip(q.agencies, q.agency_texts)) if len(q.agencies) == len(q.agency_texts) else {}
    named = [fold(a) in text or (a in typed and fold(typed[a]) in text)
             or (docs is not None and docs.text_mentions(raw, a)) for a in q.agencies]
    return all(named) if every else any(named)


def without_issuer(q: Question, doc: Doc | None) -> Question:
    """The question without the agencies that issued or signed the document: "QĐ 1696 của UBND
    tỉnh Lào Cai ủy quyền …" is about the Sở it names, not about the UBND."""
    if doc is None:
        return q
    issuer = fold(f"{doc.meta.issuer or ''} {doc.meta.signer_title or ''}")
    typed = dict(zip(q.agencies, q.agency_texts)) if len(q.agencies) == len(q.agency_texts) else {}
    asked = [a for a in q.agencies if fold(a) not in issuer and fold(typed.get(a, a)) not in issuer]
    return replace(q, agencies=tuple(asked), agency_texts=tuple(typed.get(a, a) for a in asked))


def years_missing(q: Question, text: str, doc: Doc | None) -> bool:
    """A year the question names ("hội nghị tổng kết năm 2024") that neither the evidence nor
    the document's number, date or title holds: the evidence is about another year."""
    meta = doc.meta if doc is not None else None
    about = " ".join(str(x) for x in (meta.number, meta.title, meta.date) if x) if meta else ""
    found = set(_YEAR.findall(f"{text} {about}"))
    return any(year not in found for year in q.years)


def names_task(number: str, asked: str) -> bool:
    """Does a row numbered ``number`` answer for the ``asked`` number?"""
    got, want = number.casefold(), asked.casefold().strip(" .")
    pattern = r"(?:.*[^\d.\s]\.)?" + re.escape(want) + r"(?:[.\s]?[a-zđ(].*)?"
    return re.fullmatch(pattern, got) is not None


def item_of(number: str, asked: str) -> str:
    """The item a row belongs to, as far as the asked number goes ("III.4(2)" -> "III.4" for "4")."""
    m = re.match(r"(.*?" + re.escape(asked.casefold()) + ")", number.casefold())
    return m.group(1) if m else number.casefold()
