"""Heading recognition for legal texts: the lines of a text and the headings among them.

A heading only counts at the start of a line: "Điều N." (with its title, bold or plain,
possibly wrapped), Phần / Chương / Mục (with a title on the following lines), the name
of an attached part (QUY CHẾ, PHỤ LỤC II, Mẫu số 01), a document type line, and a
signature block. Whether an "Điều" heading opens an article or is a reference is decided
later, by ``ingest.legal`` (numbering sequences).
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.text import squash

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
KHOAN = re.compile(r"^(\d{1,3})\s?\.(?![\d/])")
_ROMAN = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100}
_ORDINAL = {"nhất": 1, "hai": 2, "ba": 3, "tư": 4, "bốn": 4, "năm": 5, "sáu": 6, "bảy": 7, "tám": 8}


@dataclass(frozen=True)
class Line:
    start: int  # first non-blank character
    end: int  # end of the content (trailing blanks excluded)
    clean: str  # markdown removed, whitespace squashed



@dataclass(frozen=True)
class Event:
    kind: str  # "dieu" | "phần" | "chương" | "mục" | "part" | "doctype" | "sign"
    line: int  # first line of the heading
    last: int  # last line the heading (with its title) uses
    value: int = 0  # article / chapter number
    label: str = ""  # "Chương III", "Quy chế", …
    title: str = ""



def split_lines(text: str) -> list[Line]:
    out, pos = [], 0
    for raw in text.split("\n"):
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        out.append(Line(pos + lead, pos + lead + len(body), squash(_MARKDOWN.sub("", body))))
        pos += len(raw) + 1
    return out


def _joined(lines: list[Line], i: int) -> tuple[str, int]:
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


def _bold_title(text: str, lines: list[Line], i: int, last: int) -> tuple[str, int] | None:
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


def _plain_title(rest: str, lines: list[Line], last: int) -> tuple[str, int]:
    """Title of a plain "Điều N. …" line; a sentence (ends with ".", runs on) is no title."""
    first = last
    while rest and not rest.endswith((".", ":", ";", ",")) and last + 1 < len(lines):
        nxt = lines[last + 1].clean
        if not (nxt[:1].islower() or nxt[:1].isdigit() and not KHOAN.match(nxt)):
            break
        rest, last = rest + " " + nxt, last + 1  # a title wrapped onto the next line
        if last - first > 2:
            return "", first  # runs on for lines: body text, not a title
    if ":" in rest:
        return rest.split(":", 1)[0].strip(), last
    if rest.endswith((".", ";", ",", "/")):
        return "", first
    return rest, last


def _article_event(text: str, lines: list[Line], i: int) -> Event | None:
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
    return Event("dieu", i, last, int(m.group(1)), f"Điều {m.group(1)}", title)


def _level_title(text: str, lines: list[Line], last: int) -> tuple[str, int]:
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


def _is_heading(lines: list[Line], k: int) -> bool:
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


def _level_event(text: str, lines: list[Line], i: int) -> Event | None:
    head, last = _joined(lines, i)
    m = _level_match(head)
    if not m:
        return None
    kind = m.group(1).lower()
    label = f"{m.group(1).capitalize()} {m.group(2)}"
    title = m.group(3).lstrip(".:-–— ").strip()
    if not title:
        title, last = _level_title(text, lines, last)
    return Event(kind, i, last, _number(m.group(2)), label, title)


def _simple_event(lines: list[Line], i: int) -> Event | None:
    clean = lines[i].clean
    if _SIGN.match(clean):
        return Event("sign", i, i)
    m = _PART.match(clean)
    if m:
        return Event("part", i, i, label=_part_name(m.group(1)))
    if _DOCTYPE.match(clean):
        return Event("doctype", i, i, label=_DOCTYPE.match(clean).group(1).capitalize())
    return None


def _part_name(name: str) -> str:
    """"QUY CHẾ" -> "Quy chế", "PHỤ LỤC II" -> "Phụ lục II" (numerals kept)."""
    first, *rest = name.split()
    keep = re.compile(r"[IVXLC]+|[\d./-]+\w?")
    return " ".join([first.capitalize()] + [w if keep.fullmatch(w) else w.lower() for w in rest])


def find_events(text: str, lines: list[Line]) -> list[Event]:
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
