"""Document metadata: type, number, issuer, place/date, trích yếu, signer, effect, relations.

``extract_metadata(text)`` is pure; whatever the document does not state stays None/empty.
- Website boilerplate (thuvienphapluat "Số hiệu:", "Người ký:" … pipe fields) is skipped to
  find the body, and only used as a fallback.
- The own number/place/date/title come from the header area (~60 content lines of the body),
  so cited documents ("Căn cứ Quyết định số …") are never taken. Without a "Số:" line, a
  caption "(Kèm theo <own type> số N ngày … của X)" names the document itself.
- The signature is the block after the first "Nơi nhận:" (between a decision and its
  appendices, not at the end of the file).
- News pages ("Ngày 11/3/2020, X đã ban hành Quyết định số N", no header) are "Tin tức" and
  carry the reported document's number, date (only if the year is written) and issuer.
Keywords are matched on a folded (accent-less, lower-case) twin of a markdown-free view of the
text; values are cut from the view and spans mapped back to the original text.

The view and shared patterns are in ``metadata_view``, the header area in ``metadata_header``,
the body up to the signature in ``metadata_body``; this module puts them together.
"""
from __future__ import annotations

import re

from ingest.metadata_body import (
    find_effective, find_plan_title, find_relations, find_signature, join_signer_title,
)
from ingest.metadata_header import (
    find_captions, find_recipients, header_end, read_header, read_news, website_fields,
)
from ingest.metadata_view import (
    DATE_SLASH, MOTTO, NUMBER, TYPES, FieldCollector, View, make_view, mkdate,
)
from ingest.text import fold
from ingest.types import DocumentMeta, Relation

__all__ = ["extract_metadata"]

_CODES = {"QĐ": "Quyết định", "KH": "Kế hoạch", "TB": "Thông báo", "CT": "Chỉ thị", "CĐ": "Công điện",
          "NQ": "Nghị quyết", "NĐ": "Nghị định", "TT": "Thông tư", "TTr": "Tờ trình", "BC": "Báo cáo",
          "QC": "Quy chế"}


def _fallbacks(v: View, out: FieldCollector, boiler: dict[str, tuple[int, int]], a: int) -> None:
    """Website fields, the document's own caption, then the number's type code."""
    kind = boiler.get("loai van ban")
    if kind:
        out.put("doc_type", next((t for t in TYPES if fold(t) == fold(v.cut(*kind))), None), kind)
    own = fold(out.values.get("doc_type") or "-")
    for typ, num, when, dspan, issuer, span in find_captions(v, a, len(v.s)):
        if typ == own and num:
            out.put("number", num[0], num[1:])
            out.put("date", when, dspan)
            out.put("issuer", issuer, span)
    for name, key in (("number", "so hieu"), ("signer", "nguoi ky"), ("issuer", "noi ban hanh")):
        if key in boiler and (name != "number" or NUMBER.fullmatch(v.cut(*boiler[key]))):
            out.put_span(name, boiler[key])
    if "ngay ban hanh" in boiler:
        day = DATE_SLASH.match(v.f, boiler["ngay ban hanh"][0])
        out.put("date", mkdate(*day.groups()) if day else None, boiler["ngay ban hanh"])
    codes = re.split(r"[/-]", out.values.get("number", ""))
    out.put("doc_type", next((_CODES[c] for c in codes if c in _CODES), None))


def extract_metadata(text: str) -> DocumentMeta:
    """Metadata the document states about itself; anything not stated is None/empty."""
    v = make_view(text)
    boiler = website_fields(v)
    body = v.s.find("\n", max(b for _, b in boiler.values())) + 1 if boiler else 0
    body = body or (len(v.s) if boiler else 0)
    head = header_end(v, body)
    out = FieldCollector(v)
    read_header(v, text, body, head, out)
    if not out.values and not MOTTO.search(v.f, body, head):
        read_news(v, body, head, out)
    _fallbacks(v, out, boiler, body)
    out.put("doc_type", "Khác")
    signer, parts = find_signature(v, body) if out.values["doc_type"] != "Tin tức" else (None, [])
    out.put_span("signer", signer)
    if parts:
        out.put("signer_title", join_signer_title(v, parts), (parts[0][0], parts[-1][1]))
    end = signer[0] if signer else (parts[0][0] if parts else len(v.s))
    out.put("effective", *find_effective(v, body, end))
    out.put_span("plan_title", find_plan_title(v, body, end))
    relations = [Relation(k, t, v.span(x, y)) for k, t, x, y in find_relations(v, body, end)]
    own = fold(out.values["doc_type"])
    relations += [Relation("issued_by", c[1][0], v.span(*c[5]))
                  for c in find_captions(v, body, head) if c[1] and c[0] != own]
    return DocumentMeta(**out.values, recipients=find_recipients(v, body, head, out.values["doc_type"]),
                        relations=tuple(relations), spans=tuple(out.spans.items()))
