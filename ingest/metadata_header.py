"""The header area of a document: type, number, place/date, issuer, trích yếu, recipients.

Also the website boilerplate fields ("Số hiệu:", "Người ký:" …), the captions "(Kèm theo
<type> số N ngày … của X)" and the lead sentence of a news page.
"""
from __future__ import annotations

import re

from ingest.metadata_view import (
    DATE_SLASH, DATE_WORDS, DOC, MOTTO, TYPES, FieldCollector, View, mkdate, number_at, rx,
)
from ingest.text import fold, squash

_FIELD = rx(r"(so hieu|loai van ban|noi ban hanh|nguoi ky|ngay ban hanh|ngay hieu luc"
            r"|ngay cong bao|so cong bao|tinh trang)\s*:[\s|]*([^\n|]*)")
# Lines that end a trích yếu (capitalised: a wrapped title continues in lower case).
_TITLE_STOP = re.compile(r"\(|Căn cứ|Kính gửi|Đồng kính gửi|Theo đề nghị|Thực hiện|Điều\s+\d"
                         r"|[IVX]+\.\s|Số\s*:|V/v\b")
_AUTHORITY = re.compile(r"(THỦ TƯỚNG|BỘ TRƯỞNG|CHỦ TỊCH|TỔ TRƯỞNG|TRƯỞNG BAN|GIÁM ĐỐC|ỦY BAN"
                        r"|HỘI ĐỒNG|CHÍNH PHỦ)\b")
_CAPTION = rx(r"\(\s*(?:ban hanh )?kem theo " + DOC + r" so\s*:?\s*")
_NEWS = rx(r"(ngay (\d{1,2})/(\d{1,2})(?:/(\d{4}))?)\s*,\s*([^\n]{3,150}?) (?:da )?(?:ban hanh|ky) "
           + DOC + r" so ")


def website_fields(v: View) -> dict[str, tuple[int, int]]:
    """Website boilerplate fields ("Số hiệu:", "Người ký:" …) near the top -> value span."""
    found: dict[str, tuple[int, int]] = {}
    for m in _FIELD.finditer(v.f, 0, min(len(v.f), 4000)):
        a, b = m.span(2)
        if v.s[a:b].strip():
            found.setdefault(m.group(1), (a, a + len(v.s[a:b].rstrip())))
    return found


def header_end(v: View, start: int, count: int = 60) -> int:
    """End of the header area: ~60 content lines (and at most 15,000 characters)."""
    limit = min(len(v.s), start + 15000)
    for a, b in v.lines(start, limit):
        count -= any(c.isalnum() for c in v.s[a:b])
        if count <= 0:
            return b
    return limit


def _type_line(v: View, a: int, b: int) -> tuple[str, int, int] | None:
    """The title line in capitals ("QUYẾT ĐỊNH", "KẾ HOẠCH" …) -> (type, start, end)."""
    for la, lb in v.lines(a, b):
        line = v.s[la:lb]
        for name in TYPES:
            cap = name.upper()
            if line == cap or (line.startswith(cap + " ") and not line[len(cap):].isupper()):
                return name, la, lb
    return None


def _place_word(words: list[str], i: int) -> bool:
    """Place names are capitalised ("Bắc Ninh"), save "Thành phố …", "Thị xã …"."""
    w, after = words[i], fold(words[i - 1]) if i else ""
    return w.replace(".", "").isalpha() and (w[0].isupper() or after in ("thanh", "thi"))


def _place_date(v: View, a: int, b: int):
    """"Hà Nội, ngày 18 tháng 9 năm 2023" opening a header line -> (place, span, date, span).

    pdf/docx put "Số: …" (or the issuer in capitals) before it on the same line.
    """
    for m in re.compile(r",[ \t]*ngay\b").finditer(v.f, a, b):
        ls = v.s.rfind("\n", max(0, m.start() - 120), m.start()) + 1
        p0 = re.compile(r"[\s|]*(?:Số\s*:\s*\S*[\s|]*)?").match(v.s, ls, m.start()).end()
        words = v.s[p0:m.start()].split()
        while len(words) > 1 and len(words[0]) > 1 and words[0].isupper():  # "TỈNH LÀO CAI Lào Cai"
            p0 = v.s.index(words[1], v.s.index(words.pop(0), p0) + 1)
        day = DATE_WORDS.match(v.f, m.end() - 4) or DATE_SLASH.match(v.f, m.end() - 4)
        if day and 1 <= len(words) <= 5 and all(_place_word(words, i) for i in range(len(words))):
            when = mkdate(*day.groups())
            return " ".join(words), (p0, m.start()), when, (p0, day.end()) if when else None
    return None


def _issuer_block(v: View, a: int, b: int) -> tuple[str, int, int] | None:
    """Capitalised words of the top-left block, with the national motto blanked out."""
    chunk = list(v.s[a:b])
    for m in MOTTO.finditer(v.f, a, b):
        chunk[m.start() - a:m.end() - a] = " " * (m.end() - m.start())
    words = [(w.start() + a, w.end() + a) for w in re.finditer(r"[^\W\d_]+", "".join(chunk))
             if w.group().isupper()]
    if not words:
        return None
    return _tidy_org(" ".join(v.s[x:y] for x, y in words)), words[0][0], words[-1][1]


def _tidy_org(name: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH BẮC NINH' -> 'Ủy ban nhân dân tỉnh Bắc Ninh' (capitals only)."""
    if not name.isupper():
        return name
    words = name.lower().split()
    words[0] = words[0].capitalize()
    places = [i for i, w in enumerate(words) if w in ("tỉnh", "thị", "huyện", "quận", "phường", "xã")]
    if places:  # the place name after "tỉnh", "thị xã" … is capitalised
        first = places[0] + (2 if words[places[0]] == "thị" else 1)
        words[first:] = [w.capitalize() for w in words[first:]]
    if words[0] == "Bộ" and len(words) > 1:
        words[1] = words[1].capitalize()
    out = " ".join(words)
    for low, fixed in (("chính phủ", "Chính phủ"), ("quốc hội", "Quốc hội"), ("thường vụ Q", "Thường vụ Q")):
        out = re.sub(r"\b" + low, fixed, out)
    return out


def _is_bold(text: str, v: View, a: int) -> bool:
    """Does the original line of view position a open with markdown bold?"""
    p = v.pos[a]
    return "**" in text[text.rfind("\n", 0, p) + 1:p]


def _ends_title(v: View, text: str, got: list[tuple[int, int]], a: int, b: int) -> bool:
    line, first = v.s[a:b], v.s[got[0][0]:got[0][1]]
    return bool(_TITLE_STOP.match(v.s, a) or line.endswith(":") or len(got) == 6
                or _is_bold(text, v, a) != _is_bold(text, v, got[0][0])
                or (line.isupper() and not first.isupper()))


def _title_after(v: View, text: str, a: int, b: int) -> tuple[int, int] | None:
    """The trích yếu lines after the type line, up to a blank line or the preamble."""
    got: list[tuple[int, int]] = []
    for la, lb in v.lines(a, b):
        if not v.s[la:lb].strip(" -_=."):
            if got:
                break
        elif got and _ends_title(v, text, got, la, lb):
            break
        elif not got and _TITLE_STOP.match(v.s, la) and not v.s.startswith("Thực hiện", la):
            return None
        else:
            got.append((la, lb))
    if len(got) > 1 and v.s[got[0][0]:got[-1][1]].isupper() and _AUTHORITY.match(v.s, got[-1][0]):
        got.pop()  # the enacting authority ("THỦ TƯỚNG CHÍNH PHỦ") right after a caps title
    return (got[0][0], got[-1][1]) if got else None


def _vv_title(v: View, a: int, b: int) -> tuple[int, int] | None:
    """The "V/v …" subject line(s) of a công văn (without the "V/v")."""
    m = re.compile(r"(?m)^[ \t|]*v/v\b[ \t.:]*").search(v.f, a, b)
    end = m.end() if m else 0
    for la, lb in v.lines(end, b) if m else ():
        if la == lb or v.f.startswith("kinh gui", la):
            break
        end = lb
    return (m.end(), end) if m and end > m.end() else None


def find_recipients(v: View, a: int, b: int, doc_type: str | None) -> tuple[str, ...]:
    """Items of "Kính gửi:" (a công điện lists them after "<AUTHORITY> điện:")."""
    marker = r"(?<!dong )kinh gui\s*:" + (r"|dien\s*:" if doc_type == "Công điện" else "")
    m = re.compile(marker).search(v.f, a, b)
    if not m:
        return ()
    eol = v.s.find("\n", m.end()) % (len(v.s) + 1)
    if v.cut(m.end(), eol).strip(" -"):
        return (v.cut(m.end(), eol).strip(" -;.,"),)
    items: list[str] = []
    for la, lb in v.lines(eol, b):
        line = v.s[la:lb].strip()
        if line and line[0] in "-+•–" and len(items) < 40:
            items.append(line[1:].strip())
        elif line and items and not items[-1].endswith((";", ".")) and len(items[-1]) < 300 \
                and not _TITLE_STOP.match(line):
            items[-1] += " " + line  # a wrapped item
        elif line:
            break
    return tuple(squash(i).rstrip(";.,") for i in items if i.strip())


def find_captions(v: View, a: int, b: int):
    """"(Ban hành kèm theo <type> số N ngày … của X)" -> (type, number, date, issuer, span)."""
    for m in _CAPTION.finditer(v.f, a, b):
        close = v.s.find(")", m.end(), m.end() + 400)
        if close < 0:
            continue
        day = DATE_WORDS.search(v.f, m.end(), close) or DATE_SLASH.search(v.f, m.end(), close)
        who = re.compile(r"\bcua\s+").search(v.f, m.end(), close)
        yield (fold(m.group(1)), number_at(v, m.end()), mkdate(*day.groups()) if day else None,
               day.span() if day else None, v.cut(who.end(), close) if who else None, (m.start(), close + 1))


def _headline(v: View, a: int) -> tuple[int, int] | None:
    """A news page's headline: its first line that is not a date/view-count line."""
    for la, lb in v.lines(a, min(len(v.s), a + 2000)):
        if len(v.s[la:lb].split()) >= 4 and not re.search(r"\d{1,2}/\d{1,2}/\d{4}|luot xem", v.f[la:lb]):
            return la, lb
    return None


def read_header(v: View, text: str, a: int, b: int, out: FieldCollector) -> None:
    """Type line, "Số:", place/date, issuer block and trích yếu of a formal header."""
    kind, pd = _type_line(v, a, b), _place_date(v, a, b)
    # A crawl may put the number on the line after "Số:" ("Số:\n105/2025/QĐ-UBND").
    # Laws write "Luật số: 60/2024/QH15".
    so = re.compile(r"(?:^|[|\s])(?:Số|Luật số|Pháp lệnh số)\s*:[ \t]*(?:\n[ \t]*)?").search(v.s, a, b)
    if kind:
        out.put("doc_type", kind[0], kind[1:])
        out.put_span("title", _title_after(v, text, kind[2], b))
    number = number_at(v, so.end()) if so else None  # None when "Số:" is left blank
    if number:
        out.put("number", number[0], number[1:])
    if pd:
        out.put("place", pd[0], pd[1])
        out.put("date", pd[2], pd[3])
    ends = [x for x in (so and so.start(), kind and kind[1], pd and pd[1][0]) if x is not None]
    block = _issuer_block(v, a, min(ends)) if ends else None
    if block:
        out.put("issuer", block[0], block[1:])
    subject = _vv_title(v, a, b)
    if subject:
        out.put("doc_type", "Công văn")
        out.put_span("title", subject)


def read_news(v: View, a: int, b: int, out: FieldCollector) -> None:
    """"Ngày 11/3/2020, X đã ban hành Quyết định số N …" on a page without a header."""
    m = _NEWS.search(v.f, a, min(b, a + 3000))  # the report's lead sentence is near the top
    num = number_at(v, m.end()) if m else None
    if num:
        out.put("doc_type", "Tin tức")
        out.put("number", num[0], num[1:])
        out.put("date", mkdate(*m.group(2, 3, 4)), m.span(1))
        out.put_span("issuer", m.span(5))
        out.put_span("title", _headline(v, a))
