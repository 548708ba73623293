"""Document metadata: type, number, issuer, place/date, trích yếu, signer, effect, relations.

``extract_metadata(text)`` is pure: it reads the normalised text a reader produced and
returns a ``DocumentMeta``. Whatever the document does not state stays None/empty.

Where each field is looked for, and why:
- Website boilerplate (thuvienphapluat "Số hiệu:", "Người ký:" … pipe fields) is skipped
  to find the body and only used as a fallback.
- The own number/place/date/title come from the header area (the first ~60 content lines
  of the body), so numbers of cited documents ("Căn cứ Quyết định số …") are never taken.
  Without a "Số:" line, a caption "(Kèm theo <own type> số N ngày … của X)" names the
  document itself (decrees/resolutions copied without their header block).
- The signature is the block after the first "Nơi nhận:" (it sits between a decision and
  its appendices, not at the end of the file).
- News pages (no header; "Ngày 11/3/2020, X đã ban hành Quyết định số N") are typed
  "Tin tức" and carry the reported document's number, date and issuer.
Keywords are matched on a folded (accent-less, lower-case) twin of a markdown-free view of
the text; values are cut from the view and spans are mapped back to the original text.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from datetime import date

from ingest.text import fold, squash
from ingest.types import DocumentMeta, Relation, Span

_HEADER_LINES = 60
_SIGNATURE_LINES = 60


def _rx(pattern: str) -> re.Pattern[str]:
    """Compile a folded keyword pattern where each space may be any run of blanks/line breaks."""
    return re.compile(pattern.replace(" ", r"\s+"))


_TYPES = ("Quyết định", "Kế hoạch", "Công văn", "Thông báo", "Chỉ thị", "Công điện",
          "Nghị quyết", "Nghị định", "Thông tư", "Tờ trình", "Quy chế", "Quy trình", "Báo cáo")
_CODES = {"QĐ": "Quyết định", "KH": "Kế hoạch", "TB": "Thông báo", "CT": "Chỉ thị",
          "CĐ": "Công điện", "NQ": "Nghị quyết", "NĐ": "Nghị định", "TT": "Thông tư",
          "TTr": "Tờ trình", "BC": "Báo cáo", "QC": "Quy chế"}
# Kinds of document a relation or caption can name (folded).
_DOC = (r"(quyet dinh|nghi dinh|nghi quyet|thong tu(?: lien tich)?|chi thi|ke hoach|cong van"
        r"|cong dien|quy che|quy dinh|quy trinh|thong bao|luat|phap lenh)")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?(?:/\d{4})?[/-][A-ZĐ][A-Za-zĐđ0-9]*(?:[-/][A-Za-zĐđ0-9]+)*")
_FIELD = _rx(r"(so hieu|loai van ban|noi ban hanh|nguoi ky|ngay ban hanh|ngay hieu luc"
                    r"|ngay cong bao|so cong bao|tinh trang)\s*:[\s|]*([^\n|]*)")
_MOTTO = re.compile(r"cong\s+hoa\s+xa\s+hoi\s+chu\s+nghia\s+viet\s+nam"
                    r"|doc\s+lap\s*[-–]\s*tu\s+do\s*[-–]\s*hanh\s+phuc")
_DATE_WORDS = re.compile(r"ngay\s*(\d{1,2})?\s*thang\s*(\d{1,2})?\s*nam\s*(\d{4})")
_DATE_SLASH = re.compile(r"(?:ngay\s*)?(\d{1,2})\s*/\s*(\d{1,2})\s*/\s*(\d{4})")
# Lines that end a trích yếu: the preamble or a caption (capitalised: titles wrap in lower case).
_TITLE_STOP = re.compile(r"\(|Căn cứ|Kính gửi|Đồng kính gửi|Theo đề nghị|Thực hiện|Điều\s+\d|[IVX]+\.\s"
                         r"|Số\s*:|V/v\b")
_AUTHORITY = re.compile(r"(THỦ TƯỚNG|BỘ TRƯỞNG|CHỦ TỊCH|TỔ TRƯỞNG|TRƯỞNG BAN|GIÁM ĐỐC|ỦY BAN"
                        r"|HỘI ĐỒNG|CHÍNH PHỦ)\b")
_ROLE = re.compile(r"(TM|KT|TL|TUQ|Q|T/M|K/T)\.?\s")
_POSITION = re.compile(r"(PHÓ |Q\. )?(CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|THỨ TRƯỞNG|GIÁM ĐỐC|TRƯỞNG"
                       r"|TỔ TRƯỞNG|CHÁNH|BÍ THƯ|TỔNG|CỤC TRƯỞNG|VỤ TRƯỞNG|CHỦ NHIỆM|PHÓ)\b")
_EFFECT = _rx(r"nay\s+co\s+hieu\s+luc(?:\s+thi\s+hanh)?(?:\s+ke)?\s+tu\s+(?:ngay\s+)?"
                     r"(ky(?:\s+ban\s+hanh)?\b|ban\s+hanh\b|\d{1,2}\s+thang\s+\d{1,2}\s+nam\s+\d{4}"
                     r"|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})")
_CAPTION = _rx(r"\(\s*(?:ban hanh\s+)?kem theo\s+" + _DOC + r"\s+so\s*:?\s*")
_INSTRUMENT = r"(ke hoach|quy che|quy dinh|chuong trinh|de an|quy trinh|danh muc|dieu le)\b"
_PLAN = _rx(r"ban\s+hanh\s+kem\s+theo\s+" + _DOC + r"\s+nay\s+" + _INSTRUMENT)
_NEWS = _rx(r"(ngay\s+(\d{1,2})/(\d{1,2})(?:/(\d{4}))?)\s*,\s*([^\n]{3,150}?)\s+(?:da\s+)?"
                   r"(?:ban hanh|ky)\s+" + _DOC + r"\s+so\s+")
_RELATION = _rx(r"\b(thay the|bai bo|sua doi,?\s+bo sung|het hieu luc)\b")
_TARGET = _rx(_DOC + r"\s+so\s+")
_SENTENCE_END = re.compile(r"[.;](?=\s|$)")
_OWN = _rx(r"\b" + _DOC + r"\s+nay\b")
_KINDS = {"thay the": "replaces", "bai bo": "repeals", "het hieu luc": "repeals"}


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


def _view(text: str) -> _View:
    keep = [i for i, ch in enumerate(text) if ch not in "*#"]
    s = "".join(text[i] for i in keep)
    # One character -> one character, so f shares s's offsets ("Ủ" -> "u", "Đ" -> "d").
    table = {c: (fold(c)[:1] or " ") if c.isalpha() or not c.isascii() else c.lower() for c in set(s)}
    return _View(s, "".join(map(table.__getitem__, s)), tuple(keep) + (len(text),))


def _lines(s: str, a: int, b: int):
    """(start, end) of each line of s that starts inside [a, b), trimmed of blanks and "|"."""
    i = a
    while i < b:
        j = s.find("\n", i)
        j = len(s) if j < 0 else j
        x, y = i, j
        while x < y and s[x] in " \t|":
            x += 1
        while y > x and s[y - 1] in " \t|":
            y -= 1
        yield x, y
        i = j + 1


def _header_end(v: _View, start: int, count: int = _HEADER_LINES) -> int:
    """End of the header area: ~60 content lines (and at most 15,000 characters)."""
    seen, limit = 0, min(len(v.s), start + 15000)
    for a, b in _lines(v.s, start, limit):
        seen += any(c.isalnum() for c in v.s[a:b])
        if seen >= count:
            return min(b, limit)
    return limit


def _mkdate(d, m, y) -> date | None:
    try:
        return date(int(y), int(m), int(d))
    except (TypeError, ValueError):
        return None


def _fields(v: _View) -> dict[str, tuple[int, int]]:
    """Website boilerplate fields ("Số hiệu:", "Người ký:" …) near the top -> value span."""
    found: dict[str, tuple[int, int]] = {}
    for m in _FIELD.finditer(v.f, 0, min(len(v.f), 4000)):
        a, b = m.span(2)
        if v.s[a:b].strip():
            found.setdefault(m.group(1), (a, a + len(v.s[a:b].rstrip())))
    return found


def _type_line(v: _View, a: int, b: int) -> tuple[str, int, int] | None:
    """The title line in capitals ("QUYẾT ĐỊNH", "KẾ HOẠCH" …) -> (type, start, end)."""
    for la, lb in _lines(v.s, a, b):
        line = v.s[la:lb]
        for name in _TYPES:
            cap = name.upper()
            rest = line[len(cap):]
            if line == cap or (line.startswith(cap + " ") and not rest.isupper()):
                return name, la, lb
    return None


def _number_at(v: _View, i: int) -> tuple[str, int, int] | None:
    m = _NUMBER.match(v.s, i)
    return (m.group(), m.start(), m.end()) if m else None


def _so_line(v: _View, a: int, b: int) -> tuple[int, tuple[str, int, int] | None] | None:
    """The header's own "Số: N" -> (position, number or None when left blank)."""
    m = re.compile(r"(?:^|[|\s])Số\s*:[ \t]*").search(v.s, a, b)
    return (m.start(), _number_at(v, m.end())) if m else None


_PLACE_LEAD = re.compile(r"[\s|]*(?:Số\s*:\s*\S*[\s|]*)?")


def _place_word(words: list[str], i: int) -> bool:
    """Place names are capitalised ("Bắc Ninh"), save "Thành phố …", "Thị xã …"."""
    w = words[i]
    return w.replace(".", "").isalpha() and (w[0].isupper() or i > 0 and fold(words[i - 1]) in ("thanh", "thi"))


def _place_date(v: _View, a: int, b: int):
    """"Hà Nội, ngày 18 tháng 9 năm 2023" opening a header line -> (place, spans, date).

    pdf/docx put "Số: …" (or the issuer in capitals) before it on the same line.
    """
    for m in re.compile(r",[ \t]*ngay\b").finditer(v.f, a, b):
        ls = v.s.rfind("\n", max(0, m.start() - 120), m.start()) + 1
        p0 = _PLACE_LEAD.match(v.s, ls, m.start()).end()
        words = v.s[p0:m.start()].split()
        while len(words) > 1 and len(words[0]) > 1 and words[0].isupper():  # "TỈNH LÀO CAI Lào Cai"
            p0 = v.s.index(words[1], v.s.index(words.pop(0), p0) + 1)
        day = _DATE_WORDS.match(v.f, m.end() - 4) or _DATE_SLASH.match(v.f, m.end() - 4)
        if not day or not 1 <= len(words) <= 5 or not all(_place_word(words, i) for i in range(len(words))):
            continue
        when = _mkdate(*day.groups())
        return " ".join(words), (p0, m.start()), when, (p0, day.end()) if when else None
    return None


def _issuer_block(v: _View, a: int, b: int) -> tuple[str, int, int] | None:
    """Capitalised words of the top-left block, with the national motto removed."""
    chunk = list(v.s[a:b])
    for m in _MOTTO.finditer(v.f, a, b):
        chunk[m.start() - a:m.end() - a] = " " * (m.end() - m.start())
    words = [(w.start() + a, w.end() + a) for w in re.finditer(r"[^\W\d_]+", "".join(chunk))
             if w.group().isupper()]
    if not words:
        return None
    return _tidy_org(" ".join(v.s[x:y] for x, y in words)), words[0][0], words[-1][1]


def _tidy_org(name: str) -> str:
    """'ỦY BAN NHÂN DÂN TỈNH BẮC NINH' -> 'Ủy ban nhân dân tỉnh Bắc Ninh' (caps input only)."""
    if not name.isupper():
        return name
    words = name.lower().split()
    words[0] = words[0].capitalize()
    for i, w in enumerate(words):
        if w in ("tỉnh", "thị", "huyện", "quận", "phường", "xã") and i + 1 < len(words):
            start = i + 2 if w == "thị" else i + 1
            words[start:] = [x.capitalize() for x in words[start:]]
            break
    if words[0] == "Bộ" and len(words) > 1:
        words[1] = words[1].capitalize()
    out = " ".join(words)
    for low, fixed in (("chính phủ", "Chính phủ"), ("quốc hội", "Quốc hội"),
                       ("thường vụ Quốc hội", "Thường vụ Quốc hội")):
        out = re.sub(r"\b" + low + r"\b", fixed, out)
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
    for la, lb in _lines(v.s, a, b):
        if not v.s[la:lb].strip(" -_=."):
            if got:
                break
            continue
        if got and _ends_title(v, text, got, la, lb):
            break
        if not got and _TITLE_STOP.match(v.s, la) and not v.s.startswith("Thực hiện", la):
            return None
        got.append((la, lb))
    if len(got) > 1 and v.s[got[0][0]:got[-1][1]].isupper() and _AUTHORITY.match(v.s, got[-1][0]):
        got.pop()  # the enacting authority ("THỦ TƯỚNG CHÍNH PHỦ") right after a caps title
    return (got[0][0], got[-1][1]) if got else None


def _vv_title(v: _View, a: int, b: int) -> tuple[int, int] | None:
    """The "V/v …" subject line(s) of a công văn (without the "V/v")."""
    m = re.compile(r"(?m)^[ \t|]*v/v\b[ \t.:]*").search(v.f, a, b)
    if not m:
        return None
    end = m.end()
    for la, lb in _lines(v.s, m.end(), b):
        if la == lb or v.f.startswith("kinh gui", la):
            break
        end = lb
    return (m.end(), end) if end > m.end() else None


def _recipients(v: _View, a: int, b: int, doc_type: str | None) -> tuple[str, ...]:
    """Items of "Kính gửi:" (a công điện addresses them after "<AUTHORITY> điện:")."""
    marker = r"(?<!dong )kinh gui\s*:" + (r"|dien\s*:" if doc_type == "Công điện" else "")
    m = re.compile(marker).search(v.f, a, b)
    if not m:
        return ()
    items: list[str] = []
    inline = v.cut(m.end(), v.s.find("\n", m.end()) % (len(v.s) + 1))
    if inline.strip(" -"):
        return (inline.strip(" -;.,"),)
    for la, lb in _lines(v.s, v.s.find("\n", m.end()) + 1, b):
        line = v.s[la:lb].strip()
        if not line:
            continue
        if line[0] in "-+•–" and len(items) < 40:
            items.append(line[1:].strip())
        elif items and not items[-1].endswith((";", ".")) and not _TITLE_STOP.match(v.s, la) \
                and len(items[-1]) < 300:
            items[-1] += " " + line
        else:
            break
    return tuple(squash(i).rstrip(";.,") for i in items if i.strip())


def _pieces(v: _View, a: int, lines: int):
    """Text pieces of the lines from a: split at "|" cells and " / " (docx cell lines)."""
    for n, (la, lb) in enumerate(_lines(v.s, a, len(v.s))):
        if n >= lines:
            return
        for m in re.finditer(r"(?:[^|/\n]|(?<! )/|/(?! ))+", v.s[la:lb]):
            x, y = la + m.start(), la + m.end()
            while x < y and v.s[x].isspace():
                x += 1
            while y > x and v.s[y - 1].isspace():
                y -= 1
            yield x, y


def _is_name(p: str) -> bool:
    words = p.split()
    return 2 <= len(words) <= 5 and all(
        w.isalpha() and w[0].isupper() and w[1:].islower() for w in words)


def _is_caps_title(p: str) -> bool:
    letters = [c for c in p if c.isalpha()]
    return len(letters) >= 2 and p.isupper() and all(c.isalpha() or c in " .-&/" for c in p)


def _signature(v: _View, start: int):
    """-> (signer span, title part spans) from the block after "Nơi nhận:" (or TM./KT.)."""
    m = re.compile(r"(?m)^[\W_]*noi nhan\s*:").search(v.f, start)
    m = m or re.compile(r"(?m)^[ \t|]*(?:TM|KT|TL|TUQ)\. [A-ZĐ]").search(v.s, start)
    if not m:
        return None, []
    parts: list[tuple[int, int]] = []
    for x, y in _pieces(v, m.start(), _SIGNATURE_LINES):
        piece = v.s[x:y]
        if v.f.startswith("noi nhan", x) or piece[:1] in "-+•":
            tail = re.split(r"[:;]", piece)[-1]
            if len(tail.split()) >= 2 and _is_caps_title(tail.strip()) and re.search(r"[:;]", piece):
                t0 = y - len(tail.lstrip())
                parts.append((t0, y))
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


def _effective(v: _View, a: int, b: int) -> tuple[str, Span] | None:
    """"<Quyết định> này có hiệu lực (thi hành) (kể) từ ngày ký | <date>"."""
    m = _EFFECT.search(v.f, a, b)
    if not m:
        return None
    what = m.group(1)
    if what.startswith("ky"):
        value = "kể từ ngày ký"
    elif what.startswith("ban"):
        value = "kể từ ngày ban hành"
    else:
        found = _DATE_WORDS.match("ngay " + what) or _DATE_SLASH.match(what)
        when = _mkdate(*found.groups()) if found else None
        if when is None:
            return None
        value = when.isoformat()
    return value, m.span()


def _sentence(ends: list[int], i: int, a: int, b: int) -> tuple[int, int]:
    """The sentence around i (bounded to 600 characters each side)."""
    k = bisect_left(ends, i)
    start = ends[k - 1] + 1 if k else a
    return max(start, i - 600), min(ends[k] if k < len(ends) else b, i + 600)


def _opens(prefix: str) -> bool:
    """Is the verb the first word of its sentence ("Điều 2. Bãi bỏ", "3. Thay thế", "a) …")?"""
    lead = re.sub(r"[\W_]+", " ", prefix).strip()
    return re.fullmatch(r"(dieu \d+[a-z]?)?( ?(\d+|[a-z]))?", lead) is not None


def _relations(v: _View, a: int, b: int) -> list[tuple[str, str, int, int]]:
    """Replaces/repeals/amends stated by this document itself, not every mention.

    The verb must open its sentence ("Điều 2. Bãi bỏ …", "3. Thay thế …") or share it with
    "<Quyết định> này" (the effect article: "… có hiệu lực … và thay thế Quyết định số N").
    """
    found: list[tuple[str, str, int, int]] = []
    ends = [m.start() for m in _SENTENCE_END.finditer(v.f, a, b)]
    for m in _RELATION.finditer(v.f, a, b):
        s0, s1 = _sentence(ends, m.start(), a, b)
        if v.f[s0:s1].lstrip().startswith(("can cu", "theo de nghi")):
            continue
        opens = _opens(v.f[s0:m.start()])
        if not (opens or _OWN.search(v.f, s0, s1)):
            continue
        verb = m.group(1)
        kind = "amends" if verb.startswith("sua") else _KINDS[verb]
        if kind == "amends" and not opens:
            continue
        lo, hi = (s0, m.start()) if verb == "het hieu luc" else (m.end(), s1)
        for t in _TARGET.finditer(v.f, lo, hi):
            num = _number_at(v, t.end())
            if num and all(num[0] != f[1] for f in found):
                q0, q1 = (num[1], m.end()) if verb == "het hieu luc" else (m.start(), num[2])
                found.append((kind, num[0], q0, q1))
    return found


def _captions(v: _View, a: int, b: int):
    """"(Ban hành kèm theo <type> số N ngày … của X)" -> (type, number, date, issuer, span)."""
    for m in _CAPTION.finditer(v.f, a, b):
        close = v.s.find(")", m.end(), m.end() + 400)
        if close < 0:
            continue
        num = _number_at(v, m.end())
        day = _DATE_WORDS.search(v.f, m.end(), close) or _DATE_SLASH.search(v.f, m.end(), close)
        who = re.search(r"\bcua\s+", v.f[m.end():close])
        issuer = v.cut(m.end() + who.end(), close) if who else None
        when = _mkdate(*day.groups()) if day else None
        yield fold(m.group(1)), num, (when, day.span() if day else None), issuer, (m.start(), close + 1)


def _plan_title(v: _View, a: int, b: int) -> tuple[int, int] | None:
    """"Ban hành kèm theo Quyết định này Kế hoạch …" -> span of "Kế hoạch …"."""
    m = _PLAN.search(v.f, a, b)
    if not m:
        return None
    end = _SENTENCE_END.search(v.f, m.start(2), min(b, m.start(2) + 600))
    return m.start(2), end.start() if end else min(b, m.start(2) + 300)


def _headline(v: _View, a: int) -> tuple[int, int] | None:
    """A news page's headline: its first line that is not a date/view-count line."""
    for la, lb in _lines(v.s, a, min(len(v.s), a + 2000)):
        if len(v.s[la:lb].split()) >= 4 and not re.search(r"\d{1,2}/\d{1,2}/\d{4}|luot xem", v.f[la:lb]):
            return la, lb
    return None


class _Out:
    """Collects field values (first one wins) and their evidence spans in the original text."""

    def __init__(self, v: _View) -> None:
        self.v, self.values, self.spans = v, {}, {}

    def put(self, name: str, value, span: tuple[int, int] | None = None) -> None:
        if value in (None, "", ()) or name in self.values:
            return
        self.values[name] = value
        if span is not None:
            self.spans[name] = self.v.span(*span)


def _read_header(v: _View, text: str, a: int, b: int, out: _Out) -> None:
    """Type line, "Số:", place/date, issuer block and trích yếu of a formal header."""
    kind, so, pd = _type_line(v, a, b), _so_line(v, a, b), _place_date(v, a, b)
    if kind:
        out.put("doc_type", kind[0], kind[1:])
        out.put("title", *_cut_span(v, _title_after(v, text, kind[2], b)))
    if so and so[1]:
        out.put("number", so[1][0], so[1][1:])
    if pd:
        out.put("place", pd[0], pd[1])
        out.put("date", pd[2], pd[3])
    ends = [x for x in (so and so[0], kind and kind[1], pd and pd[1][0]) if x is not None]
    block = _issuer_block(v, a, min(ends)) if ends else None
    if block:
        out.put("issuer", block[0], block[1:])
    subject = _vv_title(v, a, b)
    if subject:
        out.put("doc_type", "Công văn")
        out.put("title", *_cut_span(v, subject))


def _cut_span(v: _View, span: tuple[int, int] | None):
    return (v.cut(*span), span) if span else (None, None)


def _fallbacks(v: _View, out: _Out, boiler: dict[str, tuple[int, int]], a: int, b: int) -> None:
    """Website fields, the document's own caption, then the number's type code."""
    kind = boiler.get("loai van ban")
    if kind:
        out.put("doc_type", next((t for t in _TYPES if fold(t) == fold(v.cut(*kind))), None), kind)
    own = fold(out.values.get("doc_type") or "-")
    for typ, num, (when, dspan), issuer, span in _captions(v, a, len(v.s)):
        if typ == own and num:
            out.put("number", num[0], num[1:])
            out.put("date", when, dspan)
            out.put("issuer", issuer, span)
    for name, key in (("number", "so hieu"), ("signer", "nguoi ky"), ("issuer", "noi ban hanh")):
        if key in boiler and (name != "number" or _NUMBER.fullmatch(v.cut(*boiler[key]))):
            out.put(name, v.cut(*boiler[key]), boiler[key])
    if "ngay ban hanh" in boiler:
        day = _DATE_SLASH.match(v.f, boiler["ngay ban hanh"][0])
        out.put("date", _mkdate(*day.groups()) if day else None, boiler["ngay ban hanh"])
    codes = re.split(r"[/-]", out.values.get("number", ""))
    out.put("doc_type", next((_CODES[c] for c in codes if c in _CODES), None))


def _read_news(v: _View, a: int, b: int, out: _Out) -> None:
    """"Ngày 11/3/2020, X đã ban hành Quyết định số N …" on a page without a header."""
    m = _NEWS.search(v.f, a, min(b, a + 3000))  # the report's lead sentence is near the top
    num = _number_at(v, m.end()) if m else None
    if not num:
        return
    out.put("doc_type", "Tin tức")
    out.put("number", num[0], num[1:])
    out.put("date", _mkdate(*m.group(2, 3, 4)), m.span(1))
    out.put("issuer", v.cut(*m.span(5)), m.span(5))
    out.put("title", *_cut_span(v, _headline(v, a)))


def _body_start(v: _View, boiler: dict[str, tuple[int, int]]) -> int:
    if not boiler:
        return 0
    last = max(b for _, b in boiler.values())
    nl = v.s.find("\n", last)
    return len(v.s) if nl < 0 else nl + 1


def extract_metadata(text: str) -> DocumentMeta:
    """Metadata the document states about itself; anything not stated is None/empty."""
    v = _view(text)
    boiler = _fields(v)
    body = _body_start(v, boiler)
    head = _header_end(v, body)
    out = _Out(v)
    _read_header(v, text, body, head, out)
    if not out.values and not _MOTTO.search(v.f, body, head):
        _read_news(v, body, head, out)
    _fallbacks(v, out, boiler, body, head)
    out.put("doc_type", "Khác")
    signer, parts = _signature(v, body) if out.values["doc_type"] != "Tin tức" else (None, [])
    if signer:
        out.put("signer", v.cut(*signer), signer)
    if parts:
        out.put("signer_title", _signer_title(v, parts), (parts[0][0], parts[-1][1]))
    end = signer[0] if signer else (parts[0][0] if parts else len(v.s))
    effect = _effective(v, body, end)
    if effect:
        out.put("effective", effect[0], effect[1])
    out.put("plan_title", *_cut_span(v, _plan_title(v, body, end)))
    relations = [Relation(k, t, v.span(x, y)) for k, t, x, y in _relations(v, body, end)]
    own = fold(out.values["doc_type"])
    relations += [Relation("issued_by", num[0], v.span(*span))
                  for typ, num, _, _, span in _captions(v, body, head) if num and typ != own]
    values = dict(out.values)
    return DocumentMeta(**values, recipients=_recipients(v, body, head, values["doc_type"]),
                        relations=tuple(relations), spans=tuple(out.spans.items()))
