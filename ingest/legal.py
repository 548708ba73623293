"""Structure of legal texts: Phần / Chương / Mục / Điều / Khoản / Điểm, duties, time limits.

Pure functions over the normalised text; every span points into it.

A heading only counts at the start of a line, and article numbers must follow on
(N, N+1, …) inside one numbering sequence: that is what tells "Điều 12. Trách nhiệm …"
from a reference such as "Điều 40 Nghị định số 118/2025/NĐ-CP" that a line wrap put
first on a line. A decision that issues a regulation has two sequences (the decision's
Điều 1–3, then the attached QUY CHẾ's Điều 1…); signatures, PHỤ LỤC and forms ("Mẫu số
01") close the article part so their numbered items never become khoản.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.agencies import AliasTable, find_agencies
from ingest.text import squash
from ingest.types import Article, Clause, Span

_MARKDOWN = re.compile(r"[*#]+")
_UP = "A-ZĐÀ-Ỹ"
_DIEU = re.compile(r"^(?:Điều|ĐIỀU)\s+(\d{1,3})\s*[.:](?!\d)\s*(.*)$")
_LEVEL = re.compile(r"^(Phần|PHẦN|Chương|CHƯƠNG|Mục|MỤC)\s+(thứ\s+\w+|[IVXLC]+|\d{1,2})\b\s*(.*)$")
_SPLIT_WORD = {"Điều", "ĐIỀU", "Chương", "CHƯƠNG", "Mục", "MỤC", "Phần", "PHẦN"}
_PART = re.compile(
    r"^(QUY CHẾ|QUY ĐỊNH|ĐIỀU LỆ|QUY TRÌNH|KẾ HOẠCH|HƯỚNG DẪN|CHƯƠNG TRÌNH|ĐỀ ÁN|PHƯƠNG ÁN"
    r"|PHỤ LỤC(?:\s+(?:SỐ\s+)?[IVXLC\d]+[A-Za-z]?)?|Phụ lục(?:\s+(?:số\s+)?[IVXLC\d]+[a-z]?)?"
    r"|Mẫu(?:\s+số)?\s+[\w./-]+)\s*[:.]?$"
)
_DOCTYPE = re.compile(r"^(QUYẾT ĐỊNH|NGHỊ ĐỊNH|NGHỊ QUYẾT|THÔNG TƯ|LUẬT|PHÁP LỆNH|CHỈ THỊ)\s*:?$")
# A signature block: recipients, "TM. CHÍNH PHỦ", "KT. THỦ TƯỚNG", or a signer's title alone.
_SIGN = re.compile(
    rf"^[|/\s]*(?:Nơi nhận\b|(?:TM|KT|TL|TUQ|Q)\.\s*[{_UP}]"
    r"|(?:PHÓ )?(?:CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|GIÁM ĐỐC|TỔNG THƯ KÝ|CHỦ NHIỆM|TRƯỞNG BAN)$)"
)
_KHOAN = re.compile(r"^(\d{1,3})\s?\.(?![\d/])")
_DIEM = re.compile(r"^([a-zđ])\s?\)")
_LETTERS = "abcdđefghijklmnopqrstuvwxyz"
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ORDINAL = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8}
_LEVEL_RANK = {"phần": 0, "chương": 1, "mục": 2}


@dataclass(frozen=True)
class _Line:
    start: int  # first non-blank character
    end: int  # end of the content (trailing blanks excluded)
    clean: str  # markdown removed, whitespace squashed


@dataclass(frozen=True)
class _Event:
    kind: str  # "dieu" | "phần" | "chương" | "mục" | "part" | "doctype" | "sign"
    line: int  # first line of the heading
    last: int  # last line the heading (with its title) uses
    value: int = 0  # article / chapter number
    label: str = ""  # "Chương III", "Quy chế", …
    title: str = ""


def _lines(text: str) -> list[_Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        out.append(_Line(pos + lead, pos + lead + len(body), squash(_MARKDOWN.sub("", body))))
        pos += len(raw) + 1
    return out


def _is_content(line: _Line) -> bool:
    return any(ch.isalnum() for ch in line.clean)


def _joined(lines: list[_Line], i: int) -> tuple[str, int]:
    """The heading text at line i; "**Điều\\n12. …" and "**Chương\\nI**" are joined."""
    clean = lines[i].clean
    if clean in _SPLIT_WORD and i + 1 < len(lines) and lines[i + 1].clean:
        return clean + " " + lines[i + 1].clean, i + 1
    return clean, i


def _number(token: str) -> int:
    """Roman, Arabic or ordinal ("thứ nhất") numeral -> int (0 when unknown)."""
    token = token.strip()
    if token.isdigit():
        return int(token)
    if token.lower().startswith("thứ"):
        return _ORDINAL.get(token.split()[-1].lower(), 0)
    values = [_ROMAN.get(ch, 0) for ch in token.upper()]
    if not values or 0 in values:
        return 0
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _bold_title(text: str, lines: list[_Line], i: int, last: int) -> tuple[str, int] | None:
    """A bold heading "**Điều 8.\nTrả kết quả**": its text and the last line it uses."""
    start = lines[i].start
    if not text.startswith("**", start):
        return None
    limit = lines[min(last + 3, len(lines) - 1)].end
    close = text.find("**", start + 2, limit + 2)
    if close < 0 or "\n\n" in text[start:close]:
        return None
    inner = text[start + 2 : close]
    after = text[close + 2 : lines[last].end + 2].lstrip(" ")
    bare = _DIEU.match(squash(inner))
    if after.startswith("**") and "**" in after[2:] and bare and not bare.group(2):
        # "**Điều 5.** **Hiệu lực thi hành**": the title is bold on its own.
        close = text.index("**", text.index("**", close + 2) + 2)
        inner = text[start + 2 : close]
    while last + 1 < len(lines) and lines[last + 1].start < close:
        last += 1
    return squash(_MARKDOWN.sub("", inner)), last


def _plain_title(rest: str, lines: list[_Line], last: int) -> tuple[str, int]:
    """Title of a plain "Điều N. …" line; a sentence (ends with ".", runs on) is no title."""
    first = last
    while rest and not rest.endswith((".", ":", ";", ",")) and last + 1 < len(lines):
        nxt = lines[last + 1].clean
        if not (nxt[:1].islower() or nxt[:1].isdigit() and not _KHOAN.match(nxt)):
            break
        rest, last = rest + " " + nxt, last + 1  # a title wrapped onto the next line
        if last - first > 2:
            return "", first  # runs on for lines: body text, not a title
    if ":" in rest:
        return rest.split(":", 1)[0].strip(), last
    if rest.endswith((".", ";", ",", "/")):
        return "", first
    return rest, last


def _article_event(text: str, lines: list[_Line], i: int) -> _Event | None:
    head, last = _joined(lines, i)
    m = _DIEU.match(head)
    if not m:
        return None
    bold = _bold_title(text, lines, i, last)
    if bold is not None:
        inner, last = bold
        title = _DIEU.match(inner).group(2) if _DIEU.match(inner) else m.group(2)
        title = title.strip().rstrip(".").strip()
    else:
        title, last = _plain_title(m.group(2).strip(), lines, last)
    return _Event("dieu", i, last, int(m.group(1)), f"Điều {m.group(1)}", title)


def _level_title(text: str, lines: list[_Line], last: int) -> tuple[str, int]:
    """A chapter title on the lines after "Chương I": a bold block or upper-case lines."""
    k = last + 1
    while k < len(lines) and k <= last + 3 and not lines[k].clean:
        k += 1
    if k >= len(lines) or not lines[k].clean or _is_heading(lines, k):
        return "", last
    bold = _bold_title(text, lines, k, k)
    if bold is not None:
        return bold
    parts = [lines[k].clean]
    while k + 1 < len(lines) and lines[k + 1].clean.isupper() and not _is_heading(lines, k + 1):
        k += 1
        parts.append(lines[k].clean)
    return " ".join(parts), k


def _is_heading(lines: list[_Line], k: int) -> bool:
    head, _ = _joined(lines, k)
    return bool(_DIEU.match(head) or _level_match(head) or _SIGN.match(head))


def _level_match(head: str) -> re.Match | None:
    m = _LEVEL.match(head)
    if not m:
        return None
    rest = m.group(3)
    # "Chương II Nghị định này" is a reference; a heading has nothing, punctuation or CAPS after.
    if rest and rest[0] not in ".:-–—" and not rest.isupper():
        return None
    return m


def _level_event(text: str, lines: list[_Line], i: int) -> _Event | None:
    head, last = _joined(lines, i)
    m = _level_match(head)
    if not m:
        return None
    kind = m.group(1).lower()
    label = f"{m.group(1).capitalize()} {m.group(2)}"
    title = m.group(3).lstrip(".:-–— ").strip()
    if not title:
        title, last = _level_title(text, lines, last)
    return _Event(kind, i, last, _number(m.group(2)), label, title)


def _simple_event(lines: list[_Line], i: int) -> _Event | None:
    clean = lines[i].clean
    if _SIGN.match(clean):
        return _Event("sign", i, i)
    m = _PART.match(clean)
    if m:
        return _Event("part", i, i, label=_part_name(m.group(1)))
    if _DOCTYPE.match(clean):
        return _Event("doctype", i, i, label=_DOCTYPE.match(clean).group(1).capitalize())
    return None


def _part_name(name: str) -> str:
    """"QUY CHẾ" -> "Quy chế", "PHỤ LỤC II" -> "Phụ lục II" (numerals kept)."""
    first, *rest = name.split()
    keep = re.compile(r"[IVXLC]+|[\d./-]+\w?")
    return " ".join([first.capitalize()] + [w if keep.fullmatch(w) else w.lower() for w in rest])


def _events(text: str, lines: list[_Line]) -> list[_Event]:
    out, i = [], 0
    while i < len(lines):
        ev = None
        if lines[i].clean:
            ev = _article_event(text, lines, i) or _level_event(text, lines, i) or _simple_event(lines, i)
        if ev is None:
            i += 1
            continue
        out.append(ev)
        i = ev.last + 1
    return out


@dataclass
class _Walk:
    """Mutable state of one pass over the heading events (local to parse_articles)."""

    part: str = "Văn bản"
    seq: int = -1
    last_num: int = 0
    closed: bool = False  # after a signature: nothing opens until a new part
    fresh: bool = False  # a new part heading was seen; its first article starts a sequence
    levels: dict = field(default_factory=dict)  # kind -> (number, "Chương III. TITLE"), by rank


def _article_verdict(ev: _Event, st: _Walk, next_num: int | None) -> str | None:
    """"new" (opens a numbering sequence), "next" (continues it) or None (a reference)."""
    if st.seq < 0:
        return "new"
    if st.closed or st.fresh:
        return "new" if ev.value == 1 else None
    if ev.value == st.last_num + 1:
        return "next"
    if ev.value == 1:
        return "new"
    # A skipped number is accepted only when the following heading confirms the run.
    if ev.value > st.last_num + 1 and next_num == ev.value + 1:
        return "next"
    return None


def _level_ok(ev: _Event, st: _Walk) -> bool:
    if st.closed and not st.fresh:
        return False
    prev = st.levels.get(ev.kind, (None, ""))[0]
    if prev is None or ev.value == prev + 1:
        return True
    return ev.value == 1  # a new chapter run (attached text) or Mục 1 of a new chapter


def _set_level(ev: _Event, st: _Walk) -> None:
    rank = _LEVEL_RANK[ev.kind]
    st.levels = {k: v for k, v in st.levels.items() if _LEVEL_RANK[k] < rank}
    st.levels[ev.kind] = (ev.value, f"{ev.label}. {ev.title}" if ev.title else ev.label)


def _walk(events: list[_Event]) -> tuple[list[tuple[_Event, int, tuple[str, ...]]], list[str], list[int]]:
    """Accepted articles (event, sequence, level path), sequence names, boundary lines."""
    st = _Walk()
    found, names, bounds = [], [], []
    dieu_nums = [(k, e.value) for k, e in enumerate(events) if e.kind == "dieu"]
    next_num = {k: (dieu_nums[j + 1][1] if j + 1 < len(dieu_nums) else None) for j, (k, _) in enumerate(dieu_nums)}
    for k, ev in enumerate(events):
        if ev.kind == "dieu":
            verdict = _article_verdict(ev, st, next_num[k])
            if verdict is None:
                continue
            if verdict == "new":
                names.append(st.part if st.fresh or st.seq < 0 else "Văn bản kèm theo")
                st.seq, st.fresh, st.closed = st.seq + 1, False, False
            st.last_num = ev.value
            found.append((ev, st.seq, tuple(label for _, label in st.levels.values())))
        elif ev.kind in _LEVEL_RANK:
            if not _level_ok(ev, st):
                continue
            _set_level(ev, st)
        elif ev.kind == "part":
            st.part, st.fresh, st.closed, st.levels = ev.label, True, False, {}
        elif ev.kind == "sign":
            st.closed = True
        elif ev.kind == "doctype":
            if st.seq < 0:
                st.part = ev.label
            continue
        bounds.append(ev.line)
    return found, names, bounds


def _last_content(lines: list[_Line], lo: int, hi: int) -> int:
    """Index of the last line in [lo, hi] with letters or digits (lo when none)."""
    for k in range(hi, lo, -1):
        if _is_content(lines[k]):
            return k
    return lo


def _runs(lines: list[_Line], lo: int, hi: int, pattern: re.Pattern, numeric: bool) -> list[tuple[int, str]]:
    """Lines opening khoản "1." (numeric) or điểm "a)" in order; out-of-order ones are text."""
    out, prev = [], 0 if numeric else -1
    for k in range(lo, hi + 1):
        m = pattern.match(lines[k].clean)
        if not m:
            continue
        label = m.group(1)
        if numeric and int(label) == prev + 1:
            out.append((k, label))
            prev = int(label)
        elif not numeric and (prev < 0 and label == "a" or 0 <= prev < _LETTERS.index(label) <= prev + 2):
            out.append((k, label))
            prev = _LETTERS.index(label)
    return out


def _clauses(lines: list[_Line], lo: int, hi: int, numeric: bool = True) -> tuple[Clause, ...]:
    starts = _runs(lines, lo, hi, _KHOAN if numeric else _DIEM, numeric)
    if numeric and not starts:
        return _clauses(lines, lo, hi, numeric=False)  # điểm straight under the article
    out = []
    for j, (k, label) in enumerate(starts):
        stop = starts[j + 1][0] - 1 if j + 1 < len(starts) else hi
        end = _last_content(lines, k, stop)
        children = _clauses(lines, k + 1, end, numeric=False) if numeric else ()
        out.append(Clause(label, (lines[k].start, lines[end].end), children))
    return tuple(out)


def parse_articles(text: str) -> tuple[Article, ...]:
    """Every accepted "Điều N." of ``text`` with its path, span and khoản/điểm tree."""
    lines = _lines(text)
    found, names, bounds = _walk(_events(text, lines))
    multi = len(names) > 1
    out = []
    for ev, seq, levels in found:
        nxt = min((b for b in bounds if b > ev.line), default=len(lines))
        end = _last_content(lines, ev.line, nxt - 1)
        head = f"{ev.label}. {ev.title}" if ev.title else ev.label
        path = ((names[seq],) if multi else ()) + levels + (head,)
        clauses = _clauses(lines, ev.last + 1, end) if end > ev.last else ()
        span = (lines[ev.line].start, max(lines[end].end, lines[ev.last].end))
        out.append(Article(str(ev.value), ev.title, path, span, clauses, names[seq] if multi else None))
    return tuple(out)


# --- time limits -------------------------------------------------------------------
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


# --- responsibilities --------------------------------------------------------------
_DUTY_TITLE = re.compile(r"^(?:trách nhiệm|nhiệm vụ)(?:,? (?:và )?(?:nhiệm vụ|quyền hạn|trách nhiệm))* của\s+", re.I)
_DUTY_ARTICLE = re.compile(r"trách nhiệm|nhiệm vụ|tổ chức thực hiện", re.I)
_DUTY_VERB = re.compile(
    r"\b(?:có trách nhiệm|chịu trách nhiệm|chủ trì|phối hợp|có nhiệm vụ|được giao|tham mưu|hướng dẫn"
    r"|chỉ đạo|thực hiện|triển khai|xây dựng|ban hành|bảo đảm|đảm bảo|có thẩm quyền|là cơ quan)\b", re.I)
# What may stand before the subject: "Giao", "Đề nghị", a head's title ("Giám đốc Sở …").
_SUBJECT_LEAD = re.compile(
    r"^(?:(?:giao|đề nghị|yêu cầu|ủy quyền cho|uỷ quyền cho|trách nhiệm của|các|giám đốc|chủ tịch|thủ trưởng"
    r"|bộ trưởng|chánh văn phòng|người đứng đầu|lãnh đạo)\s*)*$", re.I)
_JOIN = re.compile(r"^(?:\s*(?:,|;|và|với|cùng)\s*)*(?:các\s+)?$", re.I)
_BOILERPLATE = re.compile(r"thi hành (?:Nghị định|Quyết định|Thông tư|Nghị quyết|Quy chế|Quy định) này", re.I)
_LABEL = re.compile(r"^[\s*]*(?:\d{1,3}\s?\.|[a-zđ]\s?\))[\s*]*")


def _title_owners(title: str, table: AliasTable) -> list[str]:
    """Agencies an article is about: "Trách nhiệm của X" or a title that is just "X"."""
    m = _DUTY_TITLE.match(title)
    rest = title[m.end():] if m else title
    found = find_agencies(rest, table)
    if not m and sum(e - s for (s, e), _ in found) < 0.8 * len(rest.strip()):
        return []  # "Hiệu lực thi hành" is not an agency
    return list(dict.fromkeys(name for _, name in found))


def _subjects(piece: str, table: AliasTable) -> tuple[list[str], int]:
    """Agencies a duty sentence opens with ("Giao Sở X chủ trì …") and where they end."""
    sentence = re.split(r"[.:]\s|\n\s*\n", piece, maxsplit=1)[0]
    names, reach = [], 0
    for (start, end), name in find_agencies(sentence, table):
        gap = sentence[reach:start]
        if not (_SUBJECT_LEAD.match(gap) if not names else _JOIN.match(gap)):
            break
        names.append(name)
        reach = end
    return list(dict.fromkeys(names)), reach


def _clause_duties(
    text: str, clause: Clause, owners: list[str], loose: bool, table: AliasTable
) -> list[tuple[str, Span]]:
    piece = _LABEL.sub("", text[clause.span[0]:clause.span[1]], count=1)
    if _BOILERPLATE.search(piece):
        return []
    names, reach = _subjects(piece, table)
    verb = _DUTY_VERB.search(piece, reach, reach + 80)
    # The duty verb must follow the subject closely: "X (trong phạm vi …) chủ trì …".
    acts = verb is not None and not re.search(r"[;(]|\n\s*\n", piece[reach:verb.start()])
    if names and (loose or owners or acts):
        return [(name, clause.span) for name in names]
    if owners:
        return [(name, clause.span) for name in owners]
    # A khoản without a subject may still list subjects point by point.
    return [hit for child in clause.children for hit in _clause_duties(text, child, [], loose, table)]


def _body(text: str, article: Article) -> Clause:
    """The article after its heading line(s), as one pseudo-clause."""
    start, end = article.span
    cut = text.find(".", start, end) + 1  # after "Điều N."
    for word in article.title.split():  # then past the title, however it was wrapped
        found = text.find(word, cut, end)
        cut = found + len(word) if found >= 0 else cut
    while cut < end and text[cut] in "* \n\t":
        cut += 1
    return Clause("", (cut, end))


def responsibilities(
    articles: tuple[Article, ...], text: str, table: AliasTable
) -> tuple[tuple[str, str, Span], ...]:
    """(agency canonical, article path "Quy chế > Chương III. … > Điều 12. …", duty span).

    Articles titled "Trách nhiệm của X" (or just "X") give X every khoản, unless a khoản
    names its own subject ("1. Trách nhiệm của Ủy ban nhân dân cấp tỉnh"); elsewhere a
    khoản counts when it opens with an agency followed by a duty verb ("X chủ trì, …").
    """
    out: list[tuple[str, str, Span]] = []
    for article in articles:
        owners = _title_owners(article.title, table)
        loose = bool(_DUTY_ARTICLE.search(article.title))
        label = " > ".join(article.path)
        for clause in article.clauses or (_body(text, article),):
            if clause.span[0] < clause.span[1]:
                out.extend((name, label, span) for name, span in _clause_duties(text, clause, owners, loose, table))
    return tuple(dict.fromkeys(out))
