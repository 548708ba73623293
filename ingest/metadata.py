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
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

from ingest.text import fold, squash
from ingest.types import DocumentMeta, Relation, Span


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a folded keyword pattern; each space may be any run of blanks/line breaks."""
    return re.compile(pattern.replace(" ", r"\s+"))


_TYPES = ("Quyết định", "Kế hoạch", "Công văn", "Thông báo", "Chỉ thị", "Công điện",
          "Nghị quyết", "Nghị định", "Thông tư", "Tờ trình", "Quy chế", "Quy trình", "Báo cáo")
_CODES = {"QĐ": "Quyết định", "KH": "Kế hoạch", "TB": "Thông báo", "CT": "Chỉ thị", "CĐ": "Công điện",
          "NQ": "Nghị quyết", "NĐ": "Nghị định", "TT": "Thông tư", "TTr": "Tờ trình", "BC": "Báo cáo",
          "QC": "Quy chế"}
_DOC = (r"(quyet dinh|nghi dinh|nghi quyet|thong tu(?: lien tich)?|chi thi|ke hoach|cong van"
        r"|cong dien|quy che|quy dinh|quy trinh|thong bao|luat|phap lenh)")  # folded kinds
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:/\d{4})?[/-][A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-Za-zĐđ0-9]+)*")
_FIELD = _rx(r"(so hieu|loai van ban|noi ban hanh|nguoi ky|ngay ban hanh|ngay hieu luc"
             r"|ngay cong bao|so cong bao|tinh trang)\s*:[\s|]*([^\n|]*)")
_MOTTO = _rx(r"cong hoa xa hoi chu nghia viet nam|doc lap\s*[-–]\s*tu do\s*[-–]\s*hanh phuc")
_DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})?\s*thang\s*(\d{1,2})?\s*nam\s*(\d{4})")
_DATE_SLASH = re.compile(r"(?:ngay\s*)?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
# Lines that end a trích yếu (capitalised: a wrapped title continues in lower case).
_TITLE_STOP = re.compile(r"\(|Căn cứ|Kính gửi|Đồng kính gửi|Theo đề nghị|Thực hiện|Điều\s+\d"
                         r"|[IVX]+\.\s|Số\s*:|V/v\b")
_AUTHORITY = re.compile(r"(THỦ TƯỚNG|BỘ TRƯỞNG|CHỦ TỊCH|TỔ TRƯỞNG|TRƯỞNG BAN|GIÁM ĐỐC|ỦY BAN"
                        r"|HỘI ĐỒNG|CHÍNH PHỦ)\b")
_ROLE = re.compile(r"(TM|KT|TL|TUQ|Q|T/M|K/T)\.?\s")
_POSITION = re.compile(r"(PHÓ |Q\. )?(CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|THỨ TRƯỞNG|GIÁM ĐỐC|TRƯỞNG"
                       r"|TỔ TRƯỞNG|CHÁNH|BÍ THƯ|TỔNG|CỤC TRƯỞNG|VỤ TRƯỞNG|CHỦ NHIỆM|PHÓ)\b")
_EFFECT = _rx(r"nay co hieu luc(?: thi hanh)?(?: ke)? tu (?:ngay )?(ky(?: ban hanh)?\b|ban hanh\b"
              r"|\d{1,2} thang \d{1,2} nam \d{4}|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})")
_CAPTION = _rx(r"\(\s*(?:ban hanh )?kem theo " + _DOC + r" so\s*:?\s*")
_PLAN = _rx(r"ban hanh kem theo " + _DOC + r" nay "
            r"(ke hoach|quy che|quy dinh|chuong trinh|de an|quy trinh|danh muc|dieu le)\b")
_NEWS = _rx(r"(ngay (\d{1,2})/(\d{1,2})(?:/(\d{4}))?)\s*,\s*([^\n]{3,150}?) (?:da )?(?:ban hanh|ky) "
            + _DOC + r" so ")
_RELATION = _rx(r"\b(thay the|bai bo|sua doi,? bo sung|het hieu luc)\b")
_KINDS = {"thay the": "replaces", "bai bo": "repeals", "het hieu luc": "repeals"}
_TARGET = _rx(_DOC + r" so ")
_OWN = _rx(r"\b" + _DOC + r" nay\b")
_SENTENCE_END = re.compile(r"[.;](?=\s|$)")
_LINE = re.compile(r"[ \t|]*([^\n]*?)[ \t|]*(?:\n|$)")
_PIECE = re.compile(r"(?:[^|/\n]|(?<! )/|/(?! ))+")  # split at "|" and " / " (docx cell lines)


@dataclass(frozen=True)
class _View:
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


def _view(text: str) -> _View:
    keep = [i for i, ch in enumerate(text) if ch not in "*#"]
    s = "".join(text[i] for i in keep)
    # One character -> one character, so f shares s's offsets ("Ủ" -> "u", "Đ" -> "d").
    table = {c: (fold(c)[:1] or " ") if c.isalpha() or not c.isascii() else c.lower() for c in set(s)}
    return _View(s, "".join(map(table.__getitem__, s)), tuple(keep) + (len(text),))


def _mkdate(d, m, y) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None


def _number_at(v: _View, i: int) -> tuple[str, int, int] | None:
    m = _NUMBER.match(v.s, i)
    return (m.group(), m.start(), m.end()) if m else None


def _fields(v: _View) -> dict[str, tuple[int, int]]:
    """Website boilerplate fields ("Số hiệu:", "Người ký:" …) near the top -> value span."""
    found: dict[str, tuple[int, int]] = {}
    for m in _FIELD.finditer(v.f, 0, min(len(v.f), 4000)):
        a, b = m.span(2)
        if v.s[a:b].strip():
            found.setdefault(m.group(1), (a, a + len(v.s[a:b].rstrip())))
    return found


def _header_end(v: _View, start: int, count: int = 60) -> int:
    """End of the header area: ~60 content lines (and at most 15,000 characters)."""
    limit = min(len(v.s), start + 15000)
    for a, b in v.lines(start, limit):
        count -= any(c.isalnum() for c in v.s[a:b])
        if count <= 0:
            return b
    return limit


def _type_line(v: _View, a: int, b: int) -> tuple[str, int, int] | None:
    """The title line in capitals ("QUYẾT ĐỊNH", "KẾ HOẠCH" …) -> (type, start, end)."""
    for la, lb in v.lines(a, b):
        line = v.s[la:lb]
        for name in _TYPES:
            cap = name.upper()
            if line == cap or (line.startswith(cap + " ") and not line[len(cap):].isupper()):
                return name, la, lb
    return None


def _place_word(words: list[str], i: int) -> bool:
    """Place names are capitalised ("Bắc Ninh"), save "Thành phố …", "Thị xã …"."""
    w, after = words[i], fold(words[i - 1]) if i else ""
    return w.replace(".", "").isalpha() and (w[0].isupper() or after in ("thanh", "thi"))


def _place_date(v: _View, a: int, b: int):
    """"Hà Nội, ngày 18 tháng 9 năm 2023" opening a header line -> (place, span, date, span).

    pdf/docx put "Số: …" (or the issuer in capitals) before it on the same line.
    """
    for m in re.compile(r",[ \t]*ngay\b").finditer(v.f, a, b):
        ls = v.s.rfind("\n", max(0, m.start() - 120), m.start()) + 1
        p0 = re.compile(r"[\s|]*(?:Số\s*:\s*\S*[\s|]*)?").match(v.s, ls, m.start()).end()
        words = v.s[p0:m.start()].split()
        while len(words) > 1 and len(words[0]) > 1 and words[0].isupper():  # "TỈNH LÀO CAI Lào Cai"
            p0 = v.s.index(words[1], v.s.index(words.pop(0), p0) + 1)
        day = _DATE_WORDS.match(v.f, m.end() - 4) or _DATE_SLASH.match(v.f, m.end() - 4)
        if day and 1 <= len(words) <= 5 and all(_place_word(words, i) for i in range(len(words))):
            when = _mkdate(*day.groups())
            return " ".join(words), (p0, m.start()), when, (p0, day.end()) if when else None
    return None


def _issuer_block(v: _View, a: int, b: int) -> tuple[str, int, int] | None:
    """Capitalised words of the top-left block, with the national motto blanked out."""
    chunk = list(v.s[a:b])
    for m in _MOTTO.finditer(v.f, a, b):
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


def _is_bold(text: str, v: _View, a: int) -> bool:
    """Does the original line of view position a open with markdown bold?"""
    p = v.pos[a]
    return "**" in text[text.rfind("\n", 0, p) + 1:p]


def _ends_title(v: _View, text: str, got: list[tuple[int, int]], a: int, b: int) -> bool:
    line, first = v.s[a:b], v.s[got[0][0]:got[0][1]]
    return bool(_TITLE_STOP.match(v.s, a) or line.endswith(":") or len(got) == 6
                or _is_bold(text, v, a) != _is_bold(text, v, got[0][0])
                or (line.isupper() and not first.isupper()))


def _title_after(v: _View, text: str, a: int, b: int) -> tuple[int, int] | None:
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


def _vv_title(v: _View, a: int, b: int) -> tuple[int, int] | None:
    """The "V/v …" subject line(s) of a công văn (without the "V/v")."""
    m = re.compile(r"(?m)^[ \t|]*v/v\b[ \t.:]*").search(v.f, a, b)
    end = m.end() if m else 0
    for la, lb in v.lines(end, b) if m else ():
        if la == lb or v.f.startswith("kinh gui", la):
            break
        end = lb
    return (m.end(), end) if m and end > m.end() else None


def _recipients(v: _View, a: int, b: int, doc_type: str | None) -> tuple[str, ...]:
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


def _pieces(v: _View, a: int, lines: int = 60):
    for n, (la, lb) in enumerate(v.lines(a, len(v.s))):
        if n >= lines:
            return
        for m in _PIECE.finditer(v.s, la, lb):
            piece = m.group()
            x = m.start() + len(piece) - len(piece.lstrip())
            yield x, max(x, m.start() + len(piece.rstrip()))


def _is_name(p: str) -> bool:
    words = p.split()
    return 2 <= len(words) <= 5 and all(w.isalpha() and w[0].isupper() and w[1:].islower() for w in words)


def _is_caps_title(p: str) -> bool:
    return sum(c.isalpha() for c in p) >= 2 and p.isupper() and all(c.isalpha() or c in " .-&/" for c in p)


def _signature(v: _View, start: int):
    """-> (signer span, title part spans) from the block after "Nơi nhận:" (or a TM./KT. line)."""
    m = re.compile(r"(?m)^[^\w\n]*noi nhan[ \t]*:").search(v.f, start)
    m = m or re.compile(r"(?m)^[ \t|]*(?:TM|KT|TL|TUQ)\. [A-ZĐ]").search(v.s, start)
    parts: list[tuple[int, int]] = []
    for x, y in _pieces(v, m.start()) if m else ():
        piece = v.s[x:y]
        if v.f.startswith("noi nhan", x) or piece[:1] in "-+•":
            tail = re.split(r"[:;]", piece)[-1]  # pdf puts the title after a recipient: "…; CHỦ TỊCH"
            if tail != piece and len(tail.split()) >= 2 and _is_caps_title(tail.strip()):
                parts.append((y - len(tail.lstrip()), y))
        elif _is_name(piece.rstrip(".")):
            return (x, x + len(piece.rstrip("."))), parts
        elif _is_caps_title(piece):
            parts.append((x, y))
        elif re.match(r"phu luc|dieu \d|mau so|\(kem theo|\(ban hanh", v.f[x:y]):
            break
    return None, parts


def _signer_title(v: _View, parts: list[tuple[int, int]]) -> str | None:
    """Join title lines: a wrapped "TM. ỦY BAN / NHÂN DÂN" joins, each role starts anew."""
    out: list[str] = []
    for x, y in parts:
        piece = squash(v.s[x:y])
        if out and out[-1].startswith("TM.") and not _ROLE.match(piece + " ") and not _POSITION.match(piece):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return " / ".join(out) or None


def _effective(v: _View, a: int, b: int) -> tuple[str | None, Span | None]:
    """"<Quyết định> này có hiệu lực (thi hành) (kể) từ ngày ký | <date>" -> value, span."""
    m = _EFFECT.search(v.f, a, b)
    what = m.group(1) if m else ""
    if what.startswith(("ky", "ban")):
        return ("kể từ ngày ký" if what.startswith("ky") else "kể từ ngày ban hành"), m.span()
    found = _DATE_WORDS.match("ngay " + what) or _DATE_SLASH.match(what)
    when = _mkdate(*found.groups()) if found else None
    return (when.isoformat(), m.span()) if when else (None, None)


def _opens(prefix: str) -> bool:
    """Is the verb the first word of its sentence ("Điều 2. Bãi bỏ", "3. Thay thế", "a) …")?"""
    lead = re.sub(r"[\W_]+", " ", prefix).strip()
    return re.fullmatch(r"(dieu \d+[a-z]?)?( ?(\d+|[a-z]))?", lead) is not None


def _relations(v: _View, a: int, b: int) -> list[tuple[str, str, int, int]]:
    """Replaces/repeals/amends stated by this document itself, not every mention.

    The verb must open its sentence ("Điều 2. Bãi bỏ …") or share it with "<Quyết định> này"
    (the effect article: "… có hiệu lực … và thay thế Quyết định số N"); amends must open it.
    """
    found: list[tuple[str, str, int, int]] = []
    ends = [m.start() for m in _SENTENCE_END.finditer(v.f, a, b)]
    for m in _RELATION.finditer(v.f, a, b):
        k = bisect_left(ends, m.start())
        s0 = max(ends[k - 1] + 1 if k else a, m.start() - 600)
        s1 = min(ends[k] if k < len(ends) else b, m.end() + 600)
        verb, opens = " ".join(m.group(1).split()), _opens(v.f[s0:m.start()])
        if v.f[s0:s1].lstrip().startswith(("can cu", "theo de nghi")) \
                or not (opens or verb in _KINDS and _OWN.search(v.f, s0, s1)):
            continue
        lo, hi = (s0, m.start()) if verb == "het hieu luc" else (m.end(), s1)
        for t in _TARGET.finditer(v.f, lo, hi):
            num = _number_at(v, t.end())
            if num and all(num[0] != f[1] for f in found):
                quote = (num[1], m.end()) if verb == "het hieu luc" else (m.start(), num[2])
                found.append((_KINDS.get(verb, "amends"), num[0], *quote))
    return found


def _captions(v: _View, a: int, b: int):
    """"(Ban hành kèm theo <type> số N ngày … của X)" -> (type, number, date, issuer, span)."""
    for m in _CAPTION.finditer(v.f, a, b):
        close = v.s.find(")", m.end(), m.end() + 400)
        if close < 0:
            continue
        day = _DATE_WORDS.search(v.f, m.end(), close) or _DATE_SLASH.search(v.f, m.end(), close)
        who = re.compile(r"\bcua\s+").search(v.f, m.end(), close)
        yield (fold(m.group(1)), _number_at(v, m.end()), _mkdate(*day.groups()) if day else None,
               day.span() if day else None, v.cut(who.end(), close) if who else None, (m.start(), close + 1))


def _plan_title(v: _View, a: int, b: int) -> tuple[int, int] | None:
    """"Ban hành kèm theo Quyết định này Kế hoạch …" -> span of "Kế hoạch …"."""
    m = _PLAN.search(v.f, a, b)
    end = _SENTENCE_END.search(v.f, m.start(2), min(b, m.start(2) + 600)) if m else None
    return (m.start(2), end.start() if end else min(b, m.start(2) + 300)) if m else None


def _headline(v: _View, a: int) -> tuple[int, int] | None:
    """A news page's headline: its first line that is not a date/view-count line."""
    for la, lb in v.lines(a, min(len(v.s), a + 2000)):
        if len(v.s[la:lb].split()) >= 4 and not re.search(r"\d{1,2}/\d{1,2}/\d{4}|luot xem", v.f[la:lb]):
            return la, lb
    return None


class _Out:
    """Collects field values (first one wins) and their evidence spans in the original text."""

    def __init__(self, v: _View) -> None:
        self.v, self.values, self.spans = v, {}, {}

    def put(self, name: str, value, span: tuple[int, int] | None = None) -> None:
        if value not in (None, "", ()) and name not in self.values:
            self.values[name] = value
            if span is not None:
                self.spans[name] = self.v.span(*span)

    def put_span(self, name: str, span: tuple[int, int] | None) -> None:
        if span:
            self.put(name, self.v.cut(*span), span)


def _read_header(v: _View, text: str, a: int, b: int, out: _Out) -> None:
    """Type line, "Số:", place/date, issuer block and trích yếu of a formal header."""
    kind, pd = _type_line(v, a, b), _place_date(v, a, b)
    so = re.compile(r"(?:^|[|\s])Số\s*:[ \t]*").search(v.s, a, b)
    if kind:
        out.put("doc_type", kind[0], kind[1:])
        out.put_span("title", _title_after(v, text, kind[2], b))
    number = _number_at(v, so.end()) if so else None  # None when "Số:" is left blank
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


def _fallbacks(v: _View, out: _Out, boiler: dict[str, tuple[int, int]], a: int) -> None:
    """Website fields, the document's own caption, then the number's type code."""
    kind = boiler.get("loai van ban")
    if kind:
        out.put("doc_type", next((t for t in _TYPES if fold(t) == fold(v.cut(*kind))), None), kind)
    own = fold(out.values.get("doc_type") or "-")
    for typ, num, when, dspan, issuer, span in _captions(v, a, len(v.s)):
        if typ == own and num:
            out.put("number", num[0], num[1:])
            out.put("date", when, dspan)
            out.put("issuer", issuer, span)
    for name, key in (("number", "so hieu"), ("signer", "nguoi ky"), ("issuer", "noi ban hanh")):
        if key in boiler and (name != "number" or _NUMBER.fullmatch(v.cut(*boiler[key]))):
            out.put_span(name, boiler[key])
    if "ngay ban hanh" in boiler:
        day = _DATE_SLASH.match(v.f, boiler["ngay ban hanh"][0])
        out.put("date", _mkdate(*day.groups()) if day else None, boiler["ngay ban hanh"])
    codes = re.split(r"[/-]", out.values.get("number", ""))
    out.put("doc_type", next((_CODES[c] for c in codes if c in _CODES), None))


def _read_news(v: _View, a: int, b: int, out: _Out) -> None:
    """"Ngày 11/3/2020, X đã ban hành Quyết định số N …" on a page without a header."""
    m = _NEWS.search(v.f, a, min(b, a + 3000))  # the report's lead sentence is near the top
    num = _number_at(v, m.end()) if m else None
    if num:
        out.put("doc_type", "Tin tức")
        out.put("number", num[0], num[1:])
        out.put("date", _mkdate(*m.group(2, 3, 4)), m.span(1))
        out.put_span("issuer", m.span(5))
        out.put_span("title", _headline(v, a))


def extract_metadata(text: str) -> DocumentMeta:
    """Metadata the document states about itself; anything not stated is None/empty."""
    v = _view(text)
    boiler = _fields(v)
    body = v.s.find("\n", max(b for _, b in boiler.values())) + 1 if boiler else 0
    body = body or (len(v.s) if boiler else 0)
    head = _header_end(v, body)
    out = _Out(v)
    _read_header(v, text, body, head, out)
    if not out.values and not _MOTTO.search(v.f, body, head):
        _read_news(v, body, head, out)
    _fallbacks(v, out, boiler, body)
    out.put("doc_type", "Khác")
    signer, parts = _signature(v, body) if out.values["doc_type"] != "Tin tức" else (None, [])
    out.put_span("signer", signer)
    if parts:
        out.put("signer_title", _signer_title(v, parts), (parts[0][0], parts[-1][1]))
    end = signer[0] if signer else (parts[0][0] if parts else len(v.s))
    out.put("effective", *_effective(v, body, end))
    out.put_span("plan_title", _plan_title(v, body, end))
    relations = [Relation(k, t, v.span(x, y)) for k, t, x, y in _relations(v, body, end)]
    own = fold(out.values["doc_type"])
    relations += [Relation("issued_by", c[1][0], v.span(*c[5]))
                  for c in _captions(v, body, head) if c[1] and c[0] != own]
    return DocumentMeta(**out.values, recipients=_recipients(v, body, head, out.values["doc_type"]),
                        relations=tuple(relations), spans=tuple(out.spans.items()))
