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

Items and their blocks are cut by ``ingest.prose_items``; doers are found by
``ingest.prose_doers``; this module turns each item into tasks.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.agencies import AliasTable, load_aliases
from ingest.deadlines import find_deadlines, parse_deadline
from ingest.prose_doers import assigned_doers, coordinators, head_doer, split_names
from ingest.prose_items import (
    BULLET, NUM, ROMAN_SMALL, Block, Item, ItemWalker, group_labels, item_blocks, subtask_groups,
)
from ingest.text import squash
from ingest.types import Deadline, Task

__all__ = ["parse_prose_tasks"]

_EXCLUDED = re.compile(r"^(?:[IVXLC\d.]+\s*[.\-–]?\s*)?(?:mục đích|mục tiêu|yêu cầu|quan điểm)", re.I)
_CUT_GIAO = re.compile(r"\s*[;.,]\s*(?=giao\s)", re.I)
_MAX_DESCRIPTION = 1500
# In prose "vào ngày D" is an event date and "tầm nhìn đến năm Y" a horizon, not deadlines.
_NOT_DEADLINE = re.compile(r"(?:tầm nhìn|giai đoạn)[^,.;]*$|^\W*[Vv]ào\s|\s[Vv]ào\s*$", re.I)


# ---------------------------------------------------------------- deadlines and tasks


def _best_deadline(text: str, doc_year: int | None) -> Deadline | None:
    """Among deadlines in prose, the most specific dated one; else the last one. A recurrence
    alone in a sentence ("định kỳ", "hằng năm báo cáo …") says how often, not by when."""
    found = [d for (a, _), d in find_deadlines(text, doc_year) if not _NOT_DEADLINE.search(text[max(0, a - 20):a + 4])
             and not (d.kind == "recurring" and not any(ch.isdigit() for ch in d.text))]
    if not found:
        return None
    dated = [(i, d) for i, d in enumerate(found) if d.start and d.end]
    if dated:
        return min(dated, key=lambda p: ((p[1].end - p[1].start).days, -p[0]))[1]
    return found[-1]


def _label_deadline(value: str, doc_year: int | None) -> Deadline:
    # "Đã khắc phục xong từ tháng 6/2024; giao Văn phòng … chủ trì": the deadline is before "giao".
    return parse_deadline(_CUT_GIAO.split(value)[0].strip(" .;,"), doc_year)


def _excluded(item: Item, parents: tuple[str, ...], head: str) -> bool:
    if any(_EXCLUDED.match(h) for h in item.path + parents):
        return True
    return len(head.split()) <= 6 and bool(_EXCLUDED.match(head))


def _trim_closing(item: Item, blocks: list[Block]) -> list[Block]:
    """Drop the document's closing paragraph ("Đây là nhiệm vụ rất quan trọng …/.")."""
    if item.final and len(blocks) > 1 and blocks[-1].kind == "para" and blocks[-1].text().endswith("./."):
        return blocks[:-1]
    return blocks


@dataclass(frozen=True)
class _Context:
    """What every sub-task of one item shares."""

    item: Item
    head: Block
    head_doer: str
    parents: tuple[str, ...]
    doc_year: int | None
    table: AliasTable
    by_points: bool = False  # sub-tasks are the item's lettered points


def _label_doer(value: str, table: AliasTable) -> str:
    """A lead label written as a sentence ("Cơ quan thực hiện: Sở Nội vụ chủ trì, phối hợp với …")
    names the doer before its verb; a plain list of names is kept whole."""
    return head_doer(value, table) or value


def _lead(ctx: _Context, labels: dict[str, str], own: list[Block]) -> tuple[str, ...]:
    """Lead: the label, else the doer opening the item, else "Giao X …", else a bullet's doer,
    else the doer of the parent heading, else the addressees of the list's introduction."""
    if "lead" in labels:
        return split_names([_label_doer(labels["lead"], ctx.table)], ctx.table)
    return _prose_lead(ctx, own) or _intro_lead(ctx)


def _intro_lead(ctx: _Context) -> tuple[str, ...]:
    """"Đề nghị X … một số nội dung trọng tâm sau:" leads the items of its list."""
    if not ctx.item.intro.endswith(":"):
        return ()
    return split_names(assigned_doers(ctx.item.intro, ctx.table)[-1:], ctx.table)


def _prose_lead(ctx: _Context, own: list[Block]) -> tuple[str, ...]:
    if ctx.by_points:  # each point names its own doer, else its lettered point above does
        for point in [b for b in own if b.kind == "point"] + [b for b in own if b.kind == "context"]:
            if doer := _point_doer(Block("point", point.lines), ctx.table):
                return split_names([doer], ctx.table)
    prose = " ".join(b.text() for b in own)
    found = [ctx.head_doer] if ctx.head_doer else assigned_doers(prose, ctx.table)
    if not found:
        bullets = (head_doer(BULLET.sub("", b.text()), ctx.table) for b in own if b.kind != "head")
        found = [d for d in bullets if d][:1]
    if not found and ctx.parents:  # "1. Sở Tư pháp chủ trì:" above "1.1. …", "1.2. …"
        found = [d for d in [head_doer(NUM.sub("", ctx.parents[-1]), ctx.table)] if d]
    return split_names(found, ctx.table)


def _subtask(ctx: _Context, group: list[Block], first: bool) -> Task | None:
    labels = group_labels(group)
    own = ([ctx.head] if first else []) + group
    lead = _lead(ctx, labels, own)
    if not lead and not labels and ctx.head.text().lower().startswith("căn cứ"):
        return None
    prose = " ".join(b.text() for b in own if b.kind not in ("label", "context"))
    context = " ".join(b.text() for b in own if b.kind == "context")
    deadline = _label_deadline(labels["time"], ctx.doc_year) if "time" in labels \
        else _best_deadline(prose, ctx.doc_year) or _best_deadline(context, ctx.doc_year)
    if deadline is None and lead and "lead" not in labels and not _prose_lead(ctx, own):
        deadline = _best_deadline(ctx.item.intro, ctx.doc_year)  # the introduction's time, as its doer
    if not lead and not labels and deadline is None:
        return None  # a numbered heading or list entry with no doer and no date
    coord = split_names([labels["coord"]], ctx.table) if "coord" in labels \
        else split_names(coordinators(prose, ctx.table), ctx.table)
    if "coord" not in labels and "lead" in labels:  # "Sở X chủ trì, phối hợp với Y" in the label
        coord = coord or split_names(coordinators(labels["lead"], ctx.table), ctx.table)
    content = [b.text() for b in group if b.kind not in ("label", "context")]
    section = ctx.item.path + ctx.parents
    if ctx.by_points:  # the item's heading is the section of its points
        section += (f"{ctx.item.number}. {ctx.head.text()}"[:200],)
    else:
        content.insert(0, ctx.head.text())
    own = [b for b in own if b.kind != "context"]
    start = ctx.item.lines[0].start if first else own[0].lines[0].start
    return Task(
        number=_subtask_number(ctx.item.number, group, ctx.by_points), section=section,
        description=squash(" ".join(content))[:_MAX_DESCRIPTION], lead=lead,
        coordinate=tuple(c for c in coord if c not in lead), deadline=deadline,
        product=labels.get("product"), span=(start, max(ln.end for b in own for ln in b.lines)),
    )


_POINT_LABEL = re.compile(rf"^(?:([a-zđ])\)|\((\d{{1,2}}|{ROMAN_SMALL}|[a-zđ])\))\s")


def _subtask_number(number: str, group: list[Block], by_points: bool) -> str:
    """An item split into sub-tasks by its lettered points ("a) Hoạt động 1 … Cơ quan thực hiện: …")
    numbers each by its point ("1.a"), so numbers stay unique in the document."""
    if not by_points or not group or group[0].kind not in ("point", "context"):
        return number
    for block in group[:2]:  # "5.a", "3(1)", "2.b(1)" (a bracketed part of a lettered point)
        m = _POINT_LABEL.match(block.text())
        if m:
            number = f"{number}.{m.group(1)}" if m.group(1) else f"{number}({m.group(2)})"
        if block.kind != "context":
            break
    return number


def _point_doer(block: Block, table: AliasTable) -> str:
    return head_doer(_POINT_LABEL.sub("", block.text(), count=1), table) if block.kind == "point" else ""


def _is_part(label: str) -> bool:
    """A bracketed part of a lettered point: "(1)", or "(ii)" (but "(i)" may be a letter)."""
    return label.isdigit() or re.fullmatch(ROMAN_SMALL, label) is not None


def _agency_points(blocks: list[Block], table: AliasTable) -> list[list[Block]]:
    """Work assigned agency by agency in points ("a) Ủy ban nhân dân các tỉnh … b) Bộ Tài chính …",
    "(1) Giao Bộ X chủ trì …"): one group per point, each with the blocks under it. A bracketed
    point under a lettered one ("b) Các Bộ … cụ thể: (1) Bộ Tài chính …") carries its letter as
    context (a "context" block) and the letter has no row of its own. Empty unless two or more
    points open with their own doer and the item has no labels."""
    if any(b.kind == "label" for b in blocks) or sum(bool(_point_doer(b, table)) for b in blocks[1:]) < 2:
        return []
    groups: list[list[Block]] = []
    letter: Block | None = None
    parted: list[Block] = []  # lettered points split into bracketed parts
    for block in blocks[1:]:
        label = _POINT_LABEL.match(block.text()) if block.kind == "point" else None
        if label and label.group(2) and _is_part(label.group(2)) and letter is not None:
            groups.append([Block("context", letter.lines), block])
            parted.append(letter)
        elif label:
            letter = block if label.group(1) else None
            groups.append([block])
        elif groups:
            groups[-1].append(block)
    return [g for g in groups if all(g[0] is not p for p in parted)]


def _build(item: Item, parents: tuple[str, ...], doc_year: int | None, table: AliasTable) -> list[Task]:
    blocks = _trim_closing(item, item_blocks(item))
    if _excluded(item, parents, blocks[0].text()):
        return []
    groups = subtask_groups(blocks)
    by_points = sum(bool(g) and g[0].kind == "point" for g in groups) >= 2
    if not by_points and (assigned := _agency_points(blocks, table)):
        groups, by_points = assigned, True
    ctx = _Context(item, blocks[0], head_doer(blocks[0].text(), table), parents, doc_year, table, by_points)
    labelled = any(b.kind == "label" for g in groups for b in g)
    tasks = []
    for n, group in enumerate(groups):
        if n > 0 and (not group or (labelled and not group_labels(group))):
            continue  # text after the last labelled group is not a task of its own
        task = _subtask(ctx, group, n == 0)
        if task is not None:
            tasks.append(task)
    return tasks


def _containers(items: list[Item]) -> dict[int, tuple[str, ...]]:
    """For each item, the headings of its numbered parents ("2. Nội dung …" above "2.1.")."""
    parents: dict[int, tuple[str, ...]] = {}
    open_: list[tuple[str, tuple[str, ...], str]] = []  # (number, path, heading) of ancestors
    for idx, item in enumerate(items):
        open_ = [o for o in open_ if item.path == o[1] and item.number.startswith(o[0] + ".")]
        parents[idx] = tuple(o[2] for o in open_)
        head = item_blocks(item)[0].text()
        open_.append((item.number, item.path, f"{item.number}. {head.rstrip(' :')}"[:200]))
    return parents


def parse_prose_tasks(
    text: str, doc_year: int | None = None, skip: tuple[tuple[int, int], ...] = ()
) -> tuple[Task, ...]:
    """Tasks of the numbered prose items of ``text`` (none inside the ``skip`` spans)."""
    items = ItemWalker(text, skip).run()
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
