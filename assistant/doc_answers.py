"""Answers about a document itself: who signed it, when it was issued, from when it applies,
what it replaces or repeals, to whom it is sent, its number. Values are quoted from the text."""
from __future__ import annotations

import re

from assistant.compose import fixed, not_found
from assistant.evidence import Doc, DocumentStore, citation
from assistant.matching import years_missing
from assistant.plan import Context, words_beyond_title
from assistant.types import Answer
from assistant.understand import Question
from assistant.verify import retrieved_enough

_HEADER_FIELDS = ("signer", "number", "date")
_EFFECT_HEAD = re.compile(r"^(?:(?:văn bản|quyết định|nghị định|thông tư|kế hoạch)\s+)?(?:này\s+)?(?:có\s+)?hiệu lực(?:\s+thi hành)?\s*", re.I)


def metadata_route(q: Question, ctx: Context, doc_ids: frozenset[str] | None) -> Answer | None:
    """Fields of the named document; with none named, of the one retrieval finds, when it is the
    one described: every topic word in its title or issuer ("ai ký kế hoạch khắc phục … của UBND
    thị xã Bỉm Sơn"). A short question about another text ("luật đất đai 2024 có hiệu lực …")
    is refused; a longer one may ask about content and goes on to search (None)."""
    if not doc_ids:
        found = ctx.retrieval.search(q.search_text, k=3)
        if not found or not retrieved_enough(found, ctx.calibration):
            return None
        doc = found[0].doc
        if words_beyond_title(q, ctx.docs, {doc.id}) or years_missing(q, "", doc):
            return not_found("document_absent", "doc") if len(words_beyond_title(q, ctx.docs, None)) <= 3 else None
        doc_ids = frozenset({doc.id})
    return metadata_answer(q, ctx.docs.docs[sorted(doc_ids)[0]], ctx.docs)


def metadata_answer(q: Question, doc: Doc, store: DocumentStore) -> Answer | None:
    parts, cites = [], []
    for field in q.doc_fields:
        value, span = _value(doc, field)
        span = span or _locate(doc, field)
        if value:
            parts.append(value)
            if span:
                found = store.article_at(doc.id, span[0])
                cites.append(citation(doc, span[0], span[1], found[2] if found else None, None))
    if not parts:
        if q.doc_field in _HEADER_FIELDS:  # read from the header or not at all: say so, never guess
            return not_found("field_missing", "doc", fixed("meta_missing", document=doc.label,
                                                           field=fixed(f"field_{q.doc_field}")))
        return None
    return Answer("answered", fixed("meta_answer", document=doc.label, parts="; ".join(parts)), "", tuple(cites), (), "doc")


def _quoted(doc: Doc, name: str, fallback: str | None) -> tuple[str | None, tuple[int, int] | None]:
    span = dict(doc.meta.spans).get(name)
    if span:
        return " ".join(doc.text[span[0] : span[1]].split()), tuple(span)
    return fallback, None


def _value(doc: Doc, field: str) -> tuple[str | None, tuple[int, int] | None]:
    meta, spans = doc.meta, dict(doc.meta.spans)
    if field == "signer" and meta.signer:
        value = meta.signer + (f" ({' '.join(meta.signer_title.split())})" if meta.signer_title else "")
        return fixed("meta_signer", value=value), spans.get("signer")
    if field == "date":
        text, span = _quoted(doc, "date", meta.date.strftime("%d/%m/%Y") if meta.date else None)
        return (fixed("meta_date", value=text) if text else None), span
    if field == "effective":
        text, span = _quoted(doc, "effective", meta.effective)
        # "Quyết định này có hiệu lực kể từ ngày …" -> "hiệu lực kể từ ngày …"
        return (fixed("meta_effective", value=_EFFECT_HEAD.sub("", text)) if text else None), span
    if field == "relations" and meta.relations:
        rel = [r for r in meta.relations if r.kind != "issued_by"] or list(meta.relations)
        value = "; ".join(fixed("meta_relation", verb=fixed(f"relation_verb_{r.kind}"), target=r.target) for r in rel)
        return value, rel[0].quote_span
    if field == "recipients" and meta.recipients:
        return fixed("meta_recipients", value="; ".join(meta.recipients)), None
    if field == "number" and meta.number:
        return fixed("meta_number", value=meta.number), spans.get("number")
    return None, None


def _locate(doc: Doc, field: str) -> tuple[int, int] | None:
    """An exact span for a metadata value that came without one (e.g. the first recipient)."""
    meta = doc.meta
    probe = {"recipients": meta.recipients[0] if meta.recipients else None, "signer": meta.signer,
             "number": meta.number}.get(field)
    if not probe:
        return None
    at = doc.text.find(probe)
    return (at, at + len(probe)) if at >= 0 else None
