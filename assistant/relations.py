"""Which indexed documents replace, repeal or amend a given one, and the note an answer adds.

Pure: takes the ``Doc`` objects of ``evidence.DocumentStore.docs`` and returns values.
Matching is by full document number only (``NN/YYYY/SYMBOL``): a number without a year,
such as "77/QĐ-UBND", is reused every year by the same issuer, so it is never matched.
"""
from __future__ import annotations

import re
from collections.abc import Mapping

from assistant.compose import fixed
from assistant.evidence import Doc
from ingest.text import fold
from ingest.types import Relation

# Relation kinds that make the target out of date, strongest first (the note names the strongest).
SUPERSEDING_KINDS = ("repeals", "replaces", "amends")
_VERB_KEYS = {kind: f"superseded_verb_{kind}" for kind in SUPERSEDING_KINDS}

_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
# "17 / 2024 / QĐ- UBND" is one number; "17/2024/QĐ-UBND - Quy chế" ends at the spaced dash.
_SPACED_SLASH = re.compile(r"\s*/\s*")
_HALF_SPACED_DASH = re.compile(r"(?<=\S)-\s+|\s+-(?=\S)")
# The first thing shaped like a document number: digits, a slash, then no spaces.
_NUMBER_TOKEN = re.compile(r"(?<![0-9a-z])[0-9]+[a-z]?/[^\s,;:()\[\]]+")
_FULL_NUMBER = re.compile(r"([0-9]+)([a-z]?)/((?:19|20)[0-9]{2})/([a-z][a-z0-9]*(?:[-/][a-z0-9]+)*)")


def full_number_key(text: str | None) -> str | None:
    """"Quyết định số 17/2024/QĐ-UBND ngày …" -> "17/2024/qd-ubnd"; None unless NN/YYYY/SYMBOL.

    Only the first number-like token counts: a target that starts with a year-less number
    and cites another document later is not guessed to mean the later one.
    """
    if not text:
        return None
    folded = _SPACED_SLASH.sub("/", _DASHES.sub("-", fold(text)))
    folded = _HALF_SPACED_DASH.sub("-", folded)
    token = _NUMBER_TOKEN.search(folded)
    if token is None:
        return None
    full = _FULL_NUMBER.fullmatch(token.group(0).rstrip(".-/"))
    if full is None:
        return None
    head, letter, year, symbol = full.groups()
    # "017" and "17" are the same number (lstrip, not int(): no digit-count limit to hit).
    return f"{head.lstrip('0') or '0'}{letter}/{year}/{symbol}"


def superseded_by(doc: Doc, docs: Mapping[str, Doc]) -> list[tuple[Doc, Relation]]:
    """Other indexed documents that replace, repeal or amend ``doc``, with the relation saying so.

    Ordered strongest kind first, then newest document first, so the first pair is the one
    an answer should mention.
    """
    own = full_number_key(doc.meta.number)
    if own is None:
        return []
    found = [
        (other, rel)
        for other in docs.values()
        if other.id != doc.id
        for rel in other.meta.relations
        if rel.kind in SUPERSEDING_KINDS and full_number_key(rel.target) == own
    ]
    return sorted(found, key=_strongest_newest)


def _strongest_newest(pair: tuple[Doc, Relation]) -> tuple[int, int, str]:
    """Sort key: kind rank, then newest date first (undated last), then id for a stable order."""
    other, rel = pair
    newest = -other.meta.date.toordinal() if other.meta.date else 0
    return SUPERSEDING_KINDS.index(rel.kind), newest, other.id


def replacement_note(doc: Doc, docs: Mapping[str, Doc]) -> str | None:
    """"Lưu ý: văn bản này đã bị bãi bỏ bởi Quyết định 78/2025/QĐ-UBND." or None.

    Names every document of the strongest relation kind found (usually one).
    """
    pairs = superseded_by(doc, docs)
    if not pairs:
        return None
    kind = pairs[0][1].kind
    labels = list(dict.fromkeys(other.label for other, rel in pairs if rel.kind == kind))
    return fixed("superseded_note", verb=fixed(_VERB_KEYS[kind]), label="; ".join(labels))

