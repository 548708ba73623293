"""Where a crawled page's own text begins and ends. Pure.

Pages copied from online legal libraries wrap the document in the site's text: a copyright notice
and a "loading" line before it; after it the site's summary line ("Công văn 5665/CT-CS năm 2025 về
… do Cục Thuế ban hành"), related documents, account notices. That text is no part of the
document: it makes no chunk and answers nothing (its summary line restates every question about
the document's subject).
"""
from __future__ import annotations

import re

_HEAD_END = re.compile(r"^Đang tải văn bản\.*\s*$", re.M)
_TAIL = re.compile(r"^(?:Văn bản này chưa cập nhật nội dung Tiếng Anh|## Văn bản liên quan|Cảm ơn đã dùng ThuVienPhapLuat)",
                   re.M)
# The site's one-line summary just before its tail: "<Loại> <số> năm <YYYY> về <trích yếu> do <cơ quan> ban hành".
_SUMMARY = re.compile(r"^[^\n]{3,60}\bnăm \d{4}\b[^\n]*\bban hành\s*$", re.M)
HEAD_REACH = 6000


def body_span(text: str) -> tuple[int, int]:
    """(start, end) of the document's own text; the whole text when no site text is found."""
    head = _HEAD_END.search(text, 0, HEAD_REACH)
    start = head.end() if head else 0
    tail = _TAIL.search(text, start)
    end = tail.start() if tail else len(text)
    if tail:
        before = text.rfind("\n", 0, max(0, end - 1)) + 1
        if _SUMMARY.match(text, before, end):
            end = before
    return start, end
