"""Time-limit phrases of legal texts: "trong thời hạn 03 ngày làm việc kể từ …", "trước ngày …".

``time_limits`` returns their exact spans; it does not interpret them (see
``ingest.deadlines`` for that).
"""
from __future__ import annotations

import re

_W = r"\s+"  # words of a phrase may be split by a line wrap
_UNIT = r"(?:ngày\s+làm\s+việc|giờ\s+làm\s+việc|ngày|giờ(?!\s*\d)|tháng|năm|tuần|phút)"  # not "17 giờ 00"
# Not a clock time's minutes ("08 giờ 00 ngày làm việc kế tiếp") nor "24/24 giờ".
_NUM = r"(?<![\d/.,])(?<!giờ\s)(?!0+\b)\d{1,3}(?:\s*\([^()\n]{1,15}\))?"
# "kể từ ngày nhận đủ hồ sơ": kept only when it ends at punctuation within 120 characters.
_FROM = r"(?:\s+(?:kể|tính)\s+từ\s+(?:(?!\n\s*\n)[^,.;:|]){1,120}?(?=[,.;:|]|\n\s*\n|$))?"
_DATE = (
    r"(?:\d{1,2}/\d{1,2}(?:/\d{2,4})?|\d{1,2}\s+tháng\s+\d{1,2}(?:\s+năm\s+\d{4})?|…+|\.{3,})"
    r"(?:\s+(?:hằng|hàng)\s+(?:tháng|năm|quý))?"
)
_TIME_PATTERNS = tuple(
    re.compile(p, re.IGNORECASE)
    for p in (
        # trong thời hạn 03 ngày làm việc kể từ …, không quá 07 ngày, chậm nhất 05 ngày
        r"(?:trong\s+thời\s+hạn(?:\s+tối\s+đa)?|trong\s+vòng|trong\s+thời\s+gian|chậm\s+nhất(?:\s+là)?"
        r"(?:\s+trong)?|không\s+quá|không\s+muộn\s+hơn|tối\s+đa|trước|sau|trong)\s+" + _NUM + _W + _UNIT + _FROM,
        # a bare "08 giờ làm việc", or "07 ngày kể từ …"
        _NUM + _W + r"(?:ngày|giờ)\s+làm\s+việc" + _FROM,
        _NUM + _W + r"(?:ngày|tháng)" + _FROM[:-1],  # the "kể từ …" part is required here
        # trước ngày 15/12/2025, chậm nhất là ngày …, đến hết ngày 28 tháng 02 năm 2027
        r"(?:trước|chậm\s+nhất(?:\s+là)?(?:\s+(?:vào|trước|trong))?|đến\s+hết|hạn\s+chót|không\s+muộn\s+hơn)"
        r"\s+ngày\s+" + _DATE,
        # trong quý I/2026, trước tháng 6/2026, trong năm 2026, trước 17 giờ
        r"(?:trước|trong|chậm\s+nhất(?:\s+là)?(?:\s+trong)?)\s+(?:tháng\s+\d{1,2}(?:/\d{4}|\s+năm\s+\d{4})"
        r"|quý\s+[IV]{1,3}(?:/\d{4}|\s+năm\s+\d{4})?|năm\s+\d{4})",
        r"(?:trước|chậm\s+nhất(?:\s+là)?(?:\s+trước)?)\s+\d{1,2}\s*giờ(?:\s*\d{2}(?:\s*phút)?)?(?![\w])",
    )
)


def time_limits(text: str) -> list[tuple[tuple[int, int], str]]:
    """Exact spans of time-limit phrases ("trong thời hạn 03 ngày làm việc kể từ …")."""
    found = sorted(
        (m.span() for p in _TIME_PATTERNS for m in p.finditer(text) if m.end() > m.start()),
        key=lambda s: (s[0], -s[1]),
    )
    out, reach = [], -1
    for start, end in found:
        if start >= reach:  # the longest phrase at a position wins; overlaps are dropped
            out.append(((start, end), text[start:end]))
            reach = end
    return out
