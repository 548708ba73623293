"""Tasks written in prose: the numbered items of a plan, a công điện or a công văn.

One walk over the lines serves three layouts:
- labelled items: "7. Heading", "- bullet" content, then labels "Đơn vị chủ trì: …",
  "Đơn vị phối hợp: …", "Thời gian thực hiện: …"; each bullet group closed by its labels is
  one task, so several tasks can share one number;
- agency-headed items: "2. Văn phòng Chính phủ theo dõi, đôn đốc …", "6. Giao Sở Tư pháp …";
  the doer opens the item (or follows "Giao"), the deadline is found in the content;
- "N.M." items under a "N." heading, which then becomes part of the section path.

Choices: a numbered paragraph whose doer is not named in it is led by the addressees of
its list's introduction ("… đề nghị X thực hiện một số nội dung sau đây:"); one with no doer,
no label and no deadline at all is skipped (a heading or list entry, not a task). Items under
MỤC ĐÍCH / MỤC TIÊU / YÊU CẦU / QUAN ĐIỂM headings, after "Nơi nhận" or a PHỤ LỤC heading
(until a new plan title) and inside legal articles (Điều N., Chương) are not tasks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.agencies import AliasTable, find_agencies, load_aliases, split_agencies
from ingest.deadlines import find_deadlines, parse_deadline
from ingest.text import normalize, squash
from ingest.types import Deadline, Task

_ROMAN = re.compile(r"^([IVXLC]{1,6})\s*[.\-–]\s+(\S.*)$")
_LETTER = re.compile(r"^[A-HJ-KM-UWYZĐ]\.\s+[A-ZĐ]")  # not I, V, X, L: those are Roman
_PART = re.compile(r"^(?:PHẦN|Phần)\s+(?:[IVXLC\d]+|THỨ\s+\S+)(?!\w)")
_NUM = re.compile(r"^(\d{1,3}(?:\.\d{1,3}){0,3})\.(?=\s|$)\s*")
_BULLET = re.compile(r"^[-+•–·]\s*")
_POINT = re.compile(r"^(?:[a-zđ]\)|\(\d{1,2}\)|\([a-zđ]\))\s")
_STOP = re.compile(r"^(?:Nơi nhận|NƠI NHẬN|PHỤ LỤC)(?!\w)")
_ARTICLE = re.compile(r"^(?:Điều\s+\d+[a-zđ]?\.|(?:Chương|CHƯƠNG)(?:\s+[IVXLC\d]+)?$)")
_TITLE = re.compile(r"^(?:KẾ HOẠCH|CHƯƠNG TRÌNH|ĐỀ ÁN|PHƯƠNG ÁN)$")
_PAGE_NO = re.compile(r"^\d{1,3}$")
_TERMINAL = tuple(".:;!?)*|\"”'/")
_EXCLUDED = re.compile(r"^(?:[IVXLC\d.]+\s*[.\-–]?\s*)?(?:mục đích|mục tiêu|yêu cầu|quan điểm)", re.I)
_LABEL = re.compile(
    r"^(?:(?:đơn vị|cơ quan|bộ phận)\s+)?(?P<lead>chủ trì(?:\s+tham mưu)?(?:\s+thực hiện)?)\s*:"
    r"|^(?:đơn vị|cơ quan|bộ phận)\s+(?P<lead2>thực hiện)\s*:"
    r"|^(?:(?:đơn vị|cơ quan|bộ phận)\s+)?(?P<coord>phối hợp(?:\s+thực hiện)?)\s*:"
    r"|^(?P<time>thời gian(?:\s+thực hiện|\s+hoàn thành)?|thời hạn(?:\s+hoàn thành)?"
    r"|tiến độ(?:\s+thực hiện)?)\s*:"
    r"|^(?P<product>sản phẩm(?:\s+đầu ra)?)\s*:",
    re.I,
)
_FOOTNOTE = re.compile(r"\[\d{1,3}\]")
_CUT_GIAO = re.compile(r"\s*[;.,]\s*(?=giao\s)", re.I)
_MAX_DESCRIPTION = 1500
# In prose "vào ngày D" is an event date and "tầm nhìn đến năm Y" a horizon, not deadlines.
_NOT_DEADLINE = re.compile(r"(?:tầm nhìn|giai đoạn)[^,.;]*$|^\W*[Vv]ào\s|\s[Vv]ào\s*$", re.I)

# Verbs (and verb-like openers) that end the doer phrase: "Sở Tài chính | chủ trì, …".
_VERBS = (
    "chủ trì|có trách nhiệm|chịu trách nhiệm|theo dõi|tập trung|khẩn trương|hoàn thành|thực hiện|"
    "triển khai|tổ chức|xây dựng|chỉ đạo|rà soát|kiện toàn|tăng cường|bố trí|phối hợp|tham mưu|"
    "chủ động|nghiên cứu|căn cứ|đôn đốc|báo cáo|giải quyết|khắc phục|kịp thời|nghiêm túc|tiếp tục|"
    "quán triệt|ban hành|hướng dẫn|là cơ quan|là đầu mối|theo chức năng|kiểm tra|cần|phải|quan tâm|"
    "đẩy mạnh|nâng cao|loại bỏ|bảo đảm|đảm bảo|ưu tiên|cập nhật|cung cấp|xử lý|duy trì|đề xuất|"
    "phân công|bàn giao|trình|sớm|tích cực|thường xuyên|trực tiếp"
).split("|")
_VERB_RE = re.compile(
    r"(?<!\w)(?:" + "|".join(re.escape(v) for v in sorted(_VERBS, key=len, reverse=True)) + r")(?!\w)"
)
# "tổ chức" is also a noun in a list of doers ("các cơ quan, tổ chức"); "trình" ends "chương trình".
_NOUN_BEFORE = re.compile(r"(?:,|các|và|chương|quy|tờ|lộ|công)\s*$", re.I)
_TRIGGER = re.compile(r"(?<![\w])(?<!được )(?<!bàn )(?<!chuyển )(?:[Gg]iao|[Đđ]ề nghị|[Yy]êu cầu)\s+")
_COORD = re.compile(r"(?<!\w)phối hợp\s+(?:với|cùng)\s+", re.I)
_STOP_PHRASE = re.compile(r"[.;:]|\s(?:để|nhằm|trong|theo|về|tại)\s")
_INNER = re.compile(r"\((?:cụ thể|gồm|như|là)?\s*:?\s*([^()]{3,200})\)")
_LEAD_PREFIX = re.compile(r"^(?:giao|đề nghị|yêu cầu)\s+", re.I)
_COMMA = re.compile(r",\s+(?=\S)")
_ADVERBIAL = re.compile(r"^(?:căn cứ|trên cơ sở|để|nhằm|theo|thực hiện)(?!\w)", re.I)
_TRAIL = re.compile(r"(?:[\s,;:.–-]|(?<!\w)(?:được|và|cần|phải|để|đã|sẽ|có))+$")
# Words that open the name of a doer; the short ambiguous ones need a capital or "các" after.
_HEADS = (
    "bộ trưởng|thủ trưởng|chủ tịch|giám đốc|chánh văn phòng|người đứng đầu|ủy ban|ubnd|hđnd|"
    "văn phòng|cơ quan|công an|thanh tra|trung tâm|hội đồng|tổng cục|chi cục|ngân hàng|kho bạc|"
    "đơn vị|địa phương|tỉnh ủy|thành ủy|huyện ủy|đảng ủy|cấp ủy|mặt trận|viện|trưởng|thành viên|"
    "bộ phận|cán bộ|công chức|bảo hiểm|bộ chỉ huy|tòa án|kiểm toán|tập đoàn|tổng công ty|chính phủ|"
    "thủ tướng|bí thư|doanh nghiệp|lãnh đạo|chi nhánh|cá nhân|tổ chức|phòng ban|phòng, ban"
).split("|")
_SHORT_HEADS = ("bộ", "sở", "ban", "phòng", "cục", "đài", "báo", "hội", "đoàn", "tổ", "trường", "ngành")
_NOT_DOERS = ("phòng, chống", "phòng chống", "bộ máy", "bộ thủ tục", "bộ chỉ số", "bộ tiêu chí")


@dataclass(frozen=True)
class _Line:
    start: int
    end: int
    bare: str  # markdown emphasis and heading marks removed, stripped
    skipped: bool = False


@dataclass
class _Item:
    number: str
    path: tuple[str, ...]
    lines: list[_Line]
    intro: str = ""
    final: bool = False  # the last item before a closing (Nơi nhận, a heading, the end)


@dataclass
class _Block:
    kind: str  # "head" | "bullet" | "point" | "label" | "para"
    lines: list[_Line] = field(default_factory=list)

    def text(self) -> str:
        parts = [ln.bare for ln in self.lines]
        if self.kind == "head":
            parts[0] = _NUM.sub("", parts[0], count=1)
        elif self.kind == "label":
            parts[0] = _BULLET.sub("", parts[0], count=1)
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


def _heading_kind(bare: str) -> str | None:
    if _PART.match(bare):
        return "part"
    if _LETTER.match(bare):
        return "letter"
    return "roman" if _ROMAN.match(bare) else None


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


class _Walker:
    """Cut the text into numbered items, each with its heading path and list introduction."""

    def __init__(self, text: str, skip: tuple[tuple[int, int], ...]) -> None:
        self.text, self.lines = text, _split_lines(text, skip)
        self.items: list[_Item] = []
        self.path: list[tuple[int, str]] = []
        self.cur: _Item | None = None
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
    def run(self) -> list[_Item]:
        i = 0
        while i < len(self.lines):
            i = self.step(i) + 1
        self.close(True)
        return self.items

    def step(self, i: int) -> int:
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
        elif self.prev_ok and _heading_kind(bare) is not None:
            self.close(True)
            kind = _heading_kind(bare)
            if kind not in self.order:
                self.order.append(kind)
            level = self.order.index(kind)
            title, i = _heading_text(self.text, self.lines, i)
            self.path = [p for p in self.path if p[0] < level] + [(level, title)]
            self.reset()
        elif self.prev_ok and _NUM.match(bare):
            self.close(False)
            if self.pre:
                self.intro, self.pre = squash(" ".join(self.pre)), []
            number = _NUM.match(bare).group(1)
            self.cur = _Item(number, tuple(p[1] for p in self.path), [ln], self.intro)
            self.prev_ok = self.text[ln.start:ln.end].rstrip().endswith(_TERMINAL)
        else:
            if self.cur is not None:
                self.cur.lines.append(ln)
            else:
                self.pre.append(bare)
            # After a sentence end or a short label line ("- Thời hạn: Quý II/2026") a number opens an item.
            self.prev_ok = self.text[ln.start:ln.end].rstrip().endswith(_TERMINAL) or (
                bool(_LABEL.match(_BULLET.sub("", bare, count=1))) and len(bare) < 80)
        return i


# ---------------------------------------------------------------- blocks and sub-tasks


def _blocks(item: _Item) -> list[_Block]:
    """Group an item's lines: its heading, bullets, lettered points, labels, paragraphs."""
    blocks = [_Block("head", [item.lines[0]])]
    prev, blank = item.lines[0].bare, False
    for ln in item.lines[1:]:
        if not ln.bare:
            blank = True
            continue
        kind = _line_kind(ln.bare, prev, blank, blocks[-1].kind)
        if kind:
            blocks.append(_Block(kind, [ln]))
        else:
            blocks[-1].lines.append(ln)
        prev, blank = ln.bare, False
    for block in blocks[1:]:
        # A label may wrap before its colon ("*Đơn vị chủ trì tham mưu thực\nhiện: *Sở Tư pháp").
        if block.kind in ("para", "bullet") and _LABEL.match(_BULLET.sub("", block.text(), count=1)):
            block.kind = "label"
    return blocks


def _line_kind(bare: str, prev: str, blank: bool, current: str) -> str | None:
    """The kind of block this line opens, or None when it continues the previous block."""
    if _LABEL.match(_BULLET.sub("", bare, count=1)):
        return "label"
    if _BULLET.match(bare) and len(bare) > 2:
        return "bullet"
    if _POINT.match(bare):
        return "point"
    if bare[:1].islower():
        return None  # a wrapped line, even across a blank line or a page break
    if blank or (prev.endswith(".") and bare[:1].isupper()):
        return "para"
    last_word = prev.split()[-1] if prev.split() else ""
    if current == "head" and last_word[:1].islower() and _VERB_RE.match(bare[:1].lower() + bare[1:]):
        return "para"  # "1. Bộ trưởng các Bộ\nTập trung chỉ đạo …": the heading named the doer
    return None


def _subtasks(blocks: list[_Block]) -> list[list[_Block]]:
    """Content blocks followed by their labels form one sub-task; new content after labels
    starts the next one."""
    groups: list[list[_Block]] = [[]]
    for block in blocks[1:]:
        if block.kind != "label" and any(b.kind == "label" for b in groups[-1]):
            groups.append([])
        groups[-1].append(block)
    return groups


def _labels(group: list[_Block]) -> dict[str, str]:
    found: dict[str, str] = {}
    for block in group:
        text = block.text()
        m = _LABEL.match(text) if block.kind == "label" else None
        if m:
            role = next(k for k, v in m.groupdict().items() if v).rstrip("2")
            found.setdefault(role, text[m.end():].strip(" .;"))
    return found


# ---------------------------------------------------------------- doers


def _doer_like(phrase: str, table: AliasTable) -> bool:
    """Does the phrase name a doer (an agency, an office holder, "các Sở, ngành" …)?"""
    words = normalize(phrase).split()
    if not words or len(words) > 40:
        return False
    # A known name must open the phrase: "Việc … của Bộ Công an" names no doer.
    if any(phrase[:a].strip().lower() in ("", "các", "những") for (a, _), _ in find_agencies(phrase, table)):
        return True
    while words and words[0].lower() in ("các", "những", "toàn", "thể"):
        words = words[1:]
    low = " ".join(words).lower()
    if not low or low.startswith(_NOT_DOERS):
        return False
    if any(low == h or low.startswith((h + " ", h + ",")) for h in _HEADS):
        return True
    if words[0].lower().rstrip(",") in _SHORT_HEADS:
        # "Bộ Tư pháp", "Sở, ngành", "phòng Nội vụ" — but not "bộ máy", "hội nghị".
        return len(words) == 1 or words[0].endswith(",") or words[1][:1].isupper() or words[1] == "các"
    return False


def _before_verb(text: str) -> str:
    """The phrase before the first lower-case verb ("Sở Nội vụ | chủ trì …")."""
    for m in _VERB_RE.finditer(text):
        if m.start() == 0:
            continue
        if _NOUN_BEFORE.search(text[max(0, m.start() - 9):m.start()]) and m.group() in ("tổ chức", "trình"):
            continue
        return text[:m.start()]
    return text


def _clean_phrase(phrase: str) -> str:
    phrase = _LEAD_PREFIX.sub("", squash(phrase))
    phrase = re.sub(r"(?<!\w)(các|những)\s+\1(?!\w)", r"\1", phrase)  # "các các bộ" (a typo)
    inner = _INNER.search(phrase)
    if inner and len(phrase) > len(inner.group(0)) + 3:
        phrase = inner.group(1)  # "phòng có cá nhân vi phạm (cụ thể phòng Nội vụ, …)"
    phrase = re.sub(r"\([^)]*$", "", phrase)  # an unclosed parenthesis
    return _TRAIL.sub("", phrase).strip()


def _head_doer(head: str, table: AliasTable) -> str:
    """The doer opening an item: "Bộ Nội vụ, là cơ quan thường trực …, có trách nhiệm:"."""
    text = _LEAD_PREFIX.sub("", head)
    if _ADVERBIAL.match(text):
        # "Căn cứ vào Chỉ số …, các bộ, … tổ chức rà soát": the doer follows a comma.
        m = _COMMA.search(text)
        while m and not _doer_like(text[m.end():m.end() + 60], table):
            m = _COMMA.search(text, m.end())
        if not m:
            return ""
        text = text[m.end():]
    if _VERB_RE.match(text[:1].lower() + text[1:]):
        return ""
    phrase = _clean_phrase(_before_verb(text))
    return phrase if _doer_like(phrase, table) else ""


def _assigned(text: str, table: AliasTable) -> list[str]:
    """Doers named after "Giao" / "đề nghị" / "yêu cầu", in order."""
    found = []
    for m in _TRIGGER.finditer(text):
        rest = text[m.end():m.end() + 300]
        phrase = _clean_phrase(_before_verb(rest)[:250])
        if phrase and phrase != rest.strip() and _doer_like(phrase, table):
            found.append(phrase)
    return found


def _coordinators(text: str, table: AliasTable) -> list[str]:
    found = []
    for m in _COORD.finditer(text):
        rest = text[m.end():m.end() + 300]
        stop = _STOP_PHRASE.search(rest)
        phrase = _clean_phrase(_before_verb(rest[:stop.start()] if stop else rest))
        if _doer_like(phrase, table):
            found.append(phrase)
    return found


def _split(phrases: list[str], table: AliasTable) -> tuple[str, ...]:
    out: list[str] = []
    for phrase in phrases:
        out.extend(n for n in split_agencies(phrase, table) if n and n not in out)
    return tuple(out)


# ---------------------------------------------------------------- deadlines and tasks


def _best_deadline(text: str, doc_year: int | None) -> Deadline | None:
    """Among deadlines in prose, the most specific dated one; else the last one."""
    found = [d for (a, _), d in find_deadlines(text, doc_year) if not _NOT_DEADLINE.search(text[max(0, a - 20):a + 4])]
    if not found:
        return None
    dated = [(i, d) for i, d in enumerate(found) if d.start and d.end]
    if dated:
        return min(dated, key=lambda p: ((p[1].end - p[1].start).days, -p[0]))[1]
    return found[-1]


def _label_deadline(value: str, doc_year: int | None) -> Deadline:
    # "Đã khắc phục xong từ tháng 6/2024; giao Văn phòng … chủ trì": the deadline is before "giao".
    return parse_deadline(_CUT_GIAO.split(value)[0].strip(" .;,"), doc_year)


def _excluded(item: _Item, parents: tuple[str, ...], head: str) -> bool:
    if any(_EXCLUDED.match(h) for h in item.path + parents):
        return True
    return len(head.split()) <= 6 and bool(_EXCLUDED.match(head))


def _trim_closing(item: _Item, blocks: list[_Block]) -> list[_Block]:
    """Drop the document's closing paragraph ("Đây là nhiệm vụ rất quan trọng …/.")."""
    if item.final and len(blocks) > 1 and blocks[-1].kind == "para" and blocks[-1].text().endswith("./."):
        return blocks[:-1]
    return blocks


@dataclass(frozen=True)
class _Context:
    """What every sub-task of one item shares."""

    item: _Item
    head: _Block
    head_doer: str
    parents: tuple[str, ...]
    doc_year: int | None
    table: AliasTable


def _lead(ctx: _Context, labels: dict[str, str], own: list[_Block]) -> tuple[str, ...]:
    """Lead: the label, else the doer opening the item, else "Giao X …", else a bullet's doer,
    else the doer of the parent heading, else the addressees of the list's introduction."""
    if "lead" in labels:
        return _split([labels["lead"]], ctx.table)
    prose = " ".join(b.text() for b in own)
    found = [ctx.head_doer] if ctx.head_doer else _assigned(prose, ctx.table)
    if not found:
        bullets = (_head_doer(_BULLET.sub("", b.text()), ctx.table) for b in own if b.kind != "head")
        found = [d for d in bullets if d][:1]
    if not found and ctx.parents:  # "1. Sở Tư pháp chủ trì:" above "1.1. …", "1.2. …"
        found = [d for d in [_head_doer(_NUM.sub("", ctx.parents[-1]), ctx.table)] if d]
    if not found and ctx.item.intro.endswith(":"):
        found = _assigned(ctx.item.intro, ctx.table)[-1:]
    return _split(found, ctx.table)


def _subtask(ctx: _Context, group: list[_Block], first: bool) -> Task | None:
    labels = _labels(group)
    own = ([ctx.head] if first else []) + group
    lead = _lead(ctx, labels, own)
    if not lead and not labels and ctx.head.text().lower().startswith("căn cứ"):
        return None
    prose = " ".join(b.text() for b in own if b.kind != "label")
    deadline = _label_deadline(labels["time"], ctx.doc_year) if "time" in labels \
        else _best_deadline(prose, ctx.doc_year)
    if not lead and not labels and deadline is None:
        return None  # a numbered heading or list entry with no doer and no date
    coord = _split([labels["coord"]], ctx.table) if "coord" in labels \
        else _split(_coordinators(" ".join(b.text() for b in own), ctx.table), ctx.table)
    content = [ctx.head.text()] + [b.text() for b in group if b.kind != "label"]
    start = ctx.item.lines[0].start if first else group[0].lines[0].start
    return Task(
        number=ctx.item.number, section=ctx.item.path + ctx.parents,
        description=squash(" ".join(content))[:_MAX_DESCRIPTION], lead=lead,
        coordinate=tuple(c for c in coord if c not in lead), deadline=deadline,
        product=labels.get("product"), span=(start, max(ln.end for b in own for ln in b.lines)),
    )


def _build(item: _Item, parents: tuple[str, ...], doc_year: int | None, table: AliasTable) -> list[Task]:
    blocks = _trim_closing(item, _blocks(item))
    if _excluded(item, parents, blocks[0].text()):
        return []
    ctx = _Context(item, blocks[0], _head_doer(blocks[0].text(), table), parents, doc_year, table)
    groups = _subtasks(blocks)
    labelled = any(b.kind == "label" for g in groups for b in g)
    tasks = []
    for n, group in enumerate(groups):
        if n > 0 and (not group or (labelled and not _labels(group))):
            continue  # text after the last labelled group is not a task of its own
        task = _subtask(ctx, group, n == 0)
        if task is not None:
            tasks.append(task)
    return tasks


def _containers(items: list[_Item]) -> dict[int, tuple[str, ...]]:
    """For each item, the headings of its numbered parents ("2. Nội dung …" above "2.1.")."""
    parents: dict[int, tuple[str, ...]] = {}
    open_: list[tuple[str, tuple[str, ...], str]] = []  # (number, path, heading) of ancestors
    for idx, item in enumerate(items):
        open_ = [o for o in open_ if item.path == o[1] and item.number.startswith(o[0] + ".")]
        parents[idx] = tuple(o[2] for o in open_)
        head = _blocks(item)[0].text()
        open_.append((item.number, item.path, f"{item.number}. {head.rstrip(' :')}"[:200]))
    return parents


def parse_prose_tasks(
    text: str, doc_year: int | None = None, skip: tuple[tuple[int, int], ...] = ()
) -> tuple[Task, ...]:
    """Tasks of the numbered prose items of ``text`` (none inside the ``skip`` spans)."""
    items = _Walker(text, skip).run()
    parents = _containers(items)
    table = load_aliases()
    tasks: list[Task] = []
    for idx, item in enumerate(items):
        has_child = idx + 1 < len(items) and items[idx + 1].number.startswith(item.number + ".") \
            and items[idx + 1].path == item.path
        if has_child:
            continue  # a heading of numbered sub-items, not a task itself
        tasks.extend(_build(item, parents[idx], doc_year, table))
    return tuple(t for t in tasks if not any(a <= t.span[0] < b for a, b in skip))
