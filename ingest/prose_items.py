"""Numbered prose items: cut a text into items (with heading path and list introduction)
and an item into blocks (heading, bullets, lettered points, labels, paragraphs).

Headings are Roman ("III. NHIỆM VỤ"), letter ("B. …") or PHẦN lines; their kinds nest in
the order the document first uses them. A number opens an item only after a sentence end
or a short label line, so a number that a line wrap put first on a line never does. Plan
titles reopen the walk; "Nơi nhận", PHỤ LỤC and legal articles close it.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.prose_doers import VERB_RE
from ingest.text import squash

_ROMAN = re.compile(r"^([IVXLC]{1,6})\s*[.\-–]\s+(\S.*)$")
_LETTER = re.compile(r"^[A-HJ-KM-UWYZĐ]\.\s+[A-ZĐ]")  # not I, V, X, L: those are Roman
_PART = re.compile(r"^(?:PHẦN|Phần)\s+(?:[IVXLC\d]+|THỨ\s+\S+)(?!\w)")
NUM = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})\.(?=\s|$)\s*")
_LONE_ROMAN = re.compile(r"^[IVXLC]{1,6}\s*[.\-–]$")
BULLET = re.compile(r"^[-+•–·]\s*")
# "a)", "(1)", "(a)", and lower-case Roman brackets "(ii)", "(iv)" of a thông báo kết luận.
ROMAN_SMALL = r"i{1,3}|iv|vi{0,3}|ix|x"
_POINT = re.compile(rf"^(?:[a-zđ]\)|\(\d{{1,2}}\)|\([a-zđ]\)|\((?:{ROMAN_SMALL})\))\s")
_STOP = re.compile(r"^(?:Nơi nhận|NƠI NHẬN|PHỤ LỤC)(?!\w)")
_ARTICLE = re.compile(r"^(?:Điều\s+\d+[a-zđ]?\.|(?:Chương|CHƯƠNG)(?:\s+[IVXLC\d]+)?$)")
_TITLE = re.compile(r"^(?:KẾ HOẠCH|CHƯƠNG TRÌNH|ĐỀ ÁN|PHƯƠNG ÁN)$")
_PAGE_NO = re.compile(r"^\d{1,3}$")
_TERMINAL = tuple(".:;!?)*|\"”'/")
LABEL = re.compile(
    r"^(?:(?:đơn vị|cơ quan|bộ phận)\s+)?(?P<lead>chủ trì(?:\s+tham mưu)?(?:\s+thực hiện)?)\s*:"
    r"|^(?:đơn vị|cơ quan|bộ phận)\s+(?P<lead2>thực hiện)\s*:"
    r"|^(?:(?:đơn vị|cơ quan|bộ phận)\s+)?(?P<coord>phối hợp(?:\s+thực hiện)?)\s*:"
    r"|^(?P<time>thời gian(?:\s+thực hiện|\s+hoàn thành)?|thời hạn(?:\s+hoàn thành)?"
    r"|tiến độ(?:\s+thực hiện)?)\s*:"
    r"|^(?P<product>sản phẩm(?:\s+đầu ra)?)\s*:",
    re.I,
)
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    bare: str  # markdown emphasis and heading marks removed, stripped
    skipped: bool = False


@dataclass
class Item:
    number: str
    path: tuple[str, ...]
    lines: list[_Line]
    intro: str = ""
    final: bool = False  # the last item before a closing (Nơi nhận, a heading, the end)


@dataclass
class Block:
    kind: str  # "head" | "bullet" | "point" | "label" | "para"
    lines: list[_Line] = field(default_factory=list)

    def text(self) -> str:
        parts = [ln.bare for ln in self.lines]
        if self.kind == "head":
            parts[0] = NUM.sub("", parts[0], count=1)
        elif self.kind == "label":
            parts[0] = BULLET.sub("", parts[0], count=1)
        return squash(_FOOTNOTE.sub("", " ".join(parts)))


# ---------------------------------------------------------------- lines and items


def _split_lines(text: str, skip: tuple[tuple[int, int], ...]) -> list[_Line]:
    lines, pos = [], 0
    for raw in text.split("\n"):
        end = pos + len(raw)
        inside = any(a < max(end, pos + 1) and pos < b for a, b in skip)
        bare = raw.replace("*", "").replace("\t", " ").strip().lstrip("#").strip()
        lines.append(_Line(pos, end, "" if set(bare) <= {"|", " "} else bare, inside))
        pos = end + 1
    return lines


def _heading_kind(bare: str, following: str = "") -> str | None:
    """The kind of heading a line opens. A crawl may cut a bold heading after its label
    ("**IV.\nPHÂN CÔNG NHIỆM VỤ**"): a lone Roman label followed by text is one too."""
    if _PART.match(bare):
        return "part"
    if _LETTER.match(bare):
        return "letter"
    if _ROMAN.match(bare) or (_LONE_ROMAN.match(bare) and following[:1].isupper()):
        return "roman"
    return None


def _heading_text(text: str, lines: list[_Line], i: int) -> tuple[str, int]:
    """Heading title; a bold one may wrap ("**III. NHIỆM VỤ,\\nGIẢI PHÁP**") until it closes."""
    parts = [lines[i].bare]
    raw = text[lines[i].start:lines[i].end].strip()
    if raw.startswith("**") and raw.count("**") % 2 == 1:
        for j in range(i + 1, min(i + 5, len(lines))):
            if lines[j].skipped:
                break
            parts.append(lines[j].bare)
            if "**" in text[lines[j].start:lines[j].end]:
                return squash(" ".join(parts)), j
    return parts[0], i


class ItemWalker:
    """Cut the text into numbered items, each with its heading path and list introduction."""

    def __init__(self, text: str, skip: tuple[tuple[int, int], ...]) -> None:
        self.text, self.lines = text, _split_lines(text, skip)
        self.items: list[Item] = []
        self.path: list[tuple[int, str]] = []
        self.cur: Item | None = None
        self.pre: list[str] = []
        self.intro, self.active, self.prev_ok = "", True, True
        self.order: list[str] = []  # heading kinds, outermost first, as the document uses them

    def close(self, final: bool) -> None:
        if self.cur is not None:
            self.cur.final = final
            self.items.append(self.cur)
        self.cur = None

    def reset(self) -> None:
        self.pre, self.intro, self.prev_ok = [], "", True

    def run(self) -> list[Item]:
        i = 0
        while i < len(self.lines):
            i = self.step(i) + 1
        self.close(True)
        return self.items

    def step(self, i: int) -> int:
        """Handle line i; returns the last line it used (a wrapped heading uses several)."""
        ln, bare = self.lines[i], self.lines[i].bare
        if ln.skipped:
            self.close(False)
            self.reset()
        elif _TITLE.match(bare):
            self.close(True)
            self.active, self.path, self.order = True, [], []
            self.reset()
        elif not self.active or _PAGE_NO.match(bare):
            return i  # a lone page number must not break an item
        elif not bare:
            self.prev_ok = True
            if self.cur is not None:
                self.cur.lines.append(ln)
        elif (self.prev_ok and _STOP.match(bare)) or _ARTICLE.match(bare):
            self.close(True)
            self.active = False
        elif self.prev_ok and _heading_kind(bare, self.following(i)) is not None:
            return self.open_heading(i, _heading_kind(bare, self.following(i)))
        elif self.prev_ok and NUM.match(bare):
            self.open_item(ln, NUM.match(bare).group(1))
        else:
            self.add_text(ln, bare)
        return i

    def following(self, i: int) -> str:
        return self.lines[i + 1].bare if i + 1 < len(self.lines) and not self.lines[i + 1].skipped else ""

    def open_heading(self, i: int, kind: str) -> int:
        self.close(True)
        if kind not in self.order:
            self.order.append(kind)
        level = self.order.index(kind)
        title, i = _heading_text(self.text, self.lines, i)
        self.path = [p for p in self.path if p[0] < level] + [(level, title)]
        self.reset()
        return i

    def open_item(self, ln: _Line, number: str) -> None:
        self.close(False)
        if self.pre:
            self.intro, self.pre = squash(" ".join(self.pre)), []
        self.cur = Item(number, tuple(p[1] for p in self.path), [ln], self.intro)
        self.prev_ok = self.text[ln.start:ln.end].rstrip().endswith(_TERMINAL)

    def add_text(self, ln: _Line, bare: str) -> None:
        """A line of the current item, or of the introduction before the next one."""
        if self.cur is not None:
            self.cur.lines.append(ln)
        else:
            self.pre.append(bare)
        # After a sentence end or a short label line ("- Thời hạn: Quý II/2026") a number opens an item.
        self.prev_ok = self.text[ln.start:ln.end].rstrip().endswith(_TERMINAL) or (
            bool(LABEL.match(BULLET.sub("", bare, count=1))) and len(bare) < 80)


# ---------------------------------------------------------------- blocks and sub-tasks


def item_blocks(item: Item) -> list[Block]:
    """Group an item's lines: its heading, bullets, lettered points, labels, paragraphs."""
    blocks = [Block("head", [item.lines[0]])]
    prev, blank = item.lines[0].bare, False
    rest = item.lines[1:]
    if not NUM.sub("", prev, count=1) and rest and rest[0].bare:
        # "**1.\nSở Công Thương:**": a crawl cut the heading after its number.
        blocks[0].lines.append(rest[0])
        prev, rest = rest[0].bare, rest[1:]
    for ln in rest:
        if not ln.bare:
            blank = True
            continue
        kind = _line_kind(ln.bare, prev, blank, blocks[-1].kind)
        if kind:
            blocks.append(Block(kind, [ln]))
        else:
            blocks[-1].lines.append(ln)
        prev, blank = ln.bare, False
    for block in blocks[1:]:
        # A label may wrap before its colon ("*Đơn vị chủ trì tham mưu thực\nhiện: *Sở Tư pháp").
        if block.kind in ("para", "bullet") and LABEL.match(BULLET.sub("", block.text(), count=1)):
            block.kind = "label"
    return blocks


def _line_kind(bare: str, prev: str, blank: bool, current: str) -> str | None:
    """The kind of block this line opens, or None when it continues the previous block."""
    if LABEL.match(unmarked(bare)):
        return "label"  # "- Đơn vị chủ trì: …", and "c) Thời gian thực hiện: …" (the item's fields as points)
    if BULLET.match(bare) and len(bare) > 2:
        return "bullet"
    if _POINT.match(bare):
        return "point"
    if bare[:1].islower():
        return None  # a wrapped line, even across a blank line or a page break
    if blank or (prev.endswith(".") and bare[:1].isupper()):
        return "para"
    last_word = prev.split()[-1] if prev.split() else ""
    if current == "head" and last_word[:1].islower() and VERB_RE.match(bare[:1].lower() + bare[1:]):
        return "para"  # "1. Bộ trưởng các Bộ\nTập trung chỉ đạo …": the heading named the doer
    return None


def subtask_groups(blocks: list[Block]) -> list[list[Block]]:
    """Content blocks followed by their labels form one sub-task; new content after labels
    starts the next one."""
    groups: list[list[Block]] = [[]]
    for block in blocks[1:]:
        if block.kind != "label" and any(b.kind == "label" for b in groups[-1]):
            groups.append([])
        groups[-1].append(block)
    return groups


def unmarked(text: str) -> str:
    """The text without its bullet or point marker ("- ", "c) ")."""
    return _POINT.sub("", BULLET.sub("", text, count=1), count=1)


def group_labels(group: list[Block]) -> dict[str, str]:
    found: dict[str, str] = {}
    for block in group:
        text = block.text()
        text = unmarked(text)
        m = LABEL.match(text) if block.kind == "label" else None
        value = text[m.end():].strip(" .;") if m else ""
        if m:  # "b) Cơ quan thực hiện:" alone heads the labels below it: a later value fills it
            role = next(k for k, v in m.groupdict().items() if v).rstrip("2")
            found[role] = found.get(role) or value
    return found
