"""A markdown-free view of a document's text for metadata extraction, and shared patterns.

Keywords are matched on a folded (accent-less, lower-case) twin of the view; values are cut
from the view and spans mapped back to the original text (``View.span``).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingest.text import fold, squash
from ingest.types import Span


def rx(pattern: str) -> re.Pattern[str]:
    """Compile a folded keyword pattern; each space may be any run of blanks/line breaks."""
    return re.compile(pattern.replace(" ", r"\s+"))


TYPES = ("Quyết định", "Kế hoạch", "Công văn", "Thông báo", "Chỉ thị", "Công điện",
         "Nghị quyết", "Nghị định", "Thông tư", "Tờ trình", "Quy chế", "Quy trình", "Báo cáo", "Luật",
         "Pháp lệnh")
DOC = (r"(quyet dinh|nghi dinh|nghi quyet|thong tu(?: lien tich)?|chi thi|ke hoach|cong van"
       r"|cong dien|quy che|quy dinh|quy trinh|thong bao|luat|phap lenh)")  # folded kinds
NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:/\d{4})?[/-][A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-Za-zĐđ0-9]+)*")
MOTTO = rx(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*[-–]\s*tu do\s*[-–]\s*hanh phuc")
DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})?\s*thang\s*(\d{1,2})?\s*nam\s*(\d{4})")
DATE_SLASH = re.compile(r"(?:ngay\s*)?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
_LINE = re.compile(r"[ \t|]*([^\n]*?)[ \t|]*(?:\n|$)")


@dataclass(frozen=True)
class View:
    """The text without markdown emphasis (s), its folded twin (f), and s -> text offsets."""

    s: str
    f: str
    pos: tuple[int, ...]

    def span(self, a: int, b: int) -> Span:
        return (self.pos[a], self.pos[b - 1] + 1) if b > a else (self.pos[a], self.pos[a])

    def cut(self, a: int, b: int) -> str:
        return squash(self.s[a:b])

    def lines(self, a: int, b: int):
        """(start, end) of each line from a to b, trimmed of blanks and table bars."""
        for m in _LINE.finditer(self.s, a, b):
            if m.end() > m.start():
                yield m.span(1)


def make_view(text: str) -> View:
    keep = [i for i, ch in enumerate(text) if ch not in "*#"]
    s = "".join(text[i] for i in keep)
    # One character -> one character, so f shares s's offsets ("Ủ" -> "u", "Đ" -> "d").
    table = {c: (fold(c)[:1] or " ") if c.isalpha() or not c.isascii() else c.lower() for c in set(s)}
    return View(s, "".join(map(table.__getitem__, s)), tuple(keep) + (len(text),))


def mkdate(d, m, y) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None


def number_at(v: View, i: int) -> tuple[str, int, int] | None:
    m = NUMBER.match(v.s, i)
    return (m.group(), m.start(), m.end()) if m else None


class FieldCollector:
    """Collects field values (first one wins) and their evidence spans in the original text."""

    def __init__(self, v: View) -> None:
        self.v, self.values, self.spans = v, {}, {}

    def put(self, name: str, value, span: tuple[int, int] | None = None) -> None:
        if value not in (None, "", ()) and name not in self.values:
            self.values[name] = value
            if span is not None:
                self.spans[name] = self.v.span(*span)

    def put_span(self, name: str, span: tuple[int, int] | None) -> None:
        if span:
            self.put(name, self.v.cut(*span), span)
