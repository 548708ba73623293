"""All tasks of a document: task tables first, then plans written in prose.

``parse_tasks`` reads every task table (the reader's docx/pdf/html tables and the
table layouts found in the text, see ``ingest.tables``), then hands the text
outside those tables to ``parse_prose_tasks``, and finally qualifies task numbers.

Task numbers are the item numbers as written ("35", "2.1"; "Bước 3" -> "3"; a
table without numbers numbers its rows 1, 2, … by position). Where numbering
restarts per Roman-numeral section the number is prefixed with the section's
Roman label ("III.14"), by blocks (one table, or the prose between two tables):

- a block in which one number occurs twice is prefixed entirely;
- a block whose numbers collide with an earlier block's is prefixed; when both are
  of the same kind (two tables, e.g. one step table per Roman section; or two prose
  stretches) the earlier one is prefixed too; a table never loses its plain numbers
  to a prose list (a "III. TỔ CHỨC THỰC HIỆN" list after the plan table).

A prose item that names no agency and no time and whose number equals a table
task's (a procedure name heading a step table) is dropped: the id is the row's.
A number that still repeats gets a bracketed ordinal on each of its rows ("III.4(2)").

The Roman label is the innermost section heading of the task that starts with a
Roman numeral ("III. NHIỆM VỤ…", "I Hoàn thiện thể chế"), never a sub-group such as
"III.1"; a task without one keeps its plain number.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, replace

from ingest.agencies import load_aliases
from ingest.prose_items import ItemWalker
from ingest.prose_tasks import parse_prose_tasks
from ingest.tables import columns as C
from ingest.tables import table_drafts
from ingest.tables.build import build_tasks
from ingest.types import Span, Table, Task


@dataclass
class _Block:
    kind: str  # "table" | "prose"
    tasks: list[Task]
    prefix: bool = False

    def numbers(self) -> Counter:
        return Counter(t.number for t in self.tasks)


def parse_tasks(text: str, tables: tuple[Table, ...] = (), doc_year: int | None = None,
                within: Span | None = None) -> tuple[Task, ...]:
    """Task rows of the text; with ``within`` (the document's own text on a crawled page), none
    from outside it: a site's menus and contact tables hold no task."""
    aliases = load_aliases()
    blocks = []
    spans: list[Span] = []
    for draft in table_drafts(text, tables):
        tasks = [t for t in build_tasks(draft, aliases, doc_year) if t.description]
        if tasks:
            blocks.append(_Block("table", tasks))
            spans.append(draft.span)
    prose = parse_prose_tasks(text, doc_year, tuple(spans))
    blocks += _prose_blocks(prose, spans)
    blocks.sort(key=lambda b: b.tasks[0].span)
    _mark_prefixes(blocks)
    if _numbering_restarts(text, tuple(spans)):
        for b in blocks:
            b.prefix = b.prefix or b.kind == "prose"
    for b in blocks:
        b.tasks = [_qualified(t) if b.prefix else t for t in b.tasks]
    table_ids = {t.number for b in blocks if b.kind == "table" for t in b.tasks}
    out = [t for b in blocks for t in b.tasks
           if (b.kind == "table" or not (_is_bare(t) and t.number in table_ids))
           and (within is None or within[0] <= t.span[0] < within[1])]
    return _unique_numbers(sorted(out, key=lambda t: t.span))


def _unique_numbers(tasks: list[Task]) -> tuple[Task, ...]:
    """A number that still names several rows (the labelled sub-tasks of one item, step tables
    that each number from 1 with no heading to tell them apart) gets a bracketed ordinal on
    each of them, in document order ("III.4(1)", "III.4(2)"): a number names one row."""
    counts = Counter(t.number for t in tasks)
    seen: Counter = Counter()
    out = []
    for t in tasks:
        if counts[t.number] > 1:
            seen[t.number] += 1
            t = replace(t, number=f"{t.number}({seen[t.number]})")
        out.append(t)
    return tuple(out)


def _numbering_restarts(text: str, skip: tuple[Span, ...]) -> bool:
    """Does the prose number its items anew in each Roman-numeral section ("III. … 1. … 2." and
    "IV. … 1. … 2.")? Then every item is named with its section ("III.2.3"), headings with
    sub-items counted too, even where no two task rows share a number."""
    sections: dict[str, set[str]] = {}
    for item in ItemWalker(text, skip).run():
        label = roman_of(item.path)
        if label:
            sections.setdefault(item.number, set()).add(label)
    return any(len(labels) > 1 for labels in sections.values())


def _is_bare(task: Task) -> bool:
    """A prose item that names no agency and no time (a heading such as a procedure name)."""
    return not task.lead and not task.coordinate and task.deadline is None



def _prose_blocks(prose: tuple[Task, ...], spans: list[Span]) -> list[_Block]:
    """Prose tasks grouped by the stretch of text between task tables they sit in."""
    groups: dict[int, list[Task]] = {}
    for task in prose:
        gap = sum(1 for s, _ in spans if s <= task.span[0])
        groups.setdefault(gap, []).append(task)
    return [_Block("prose", sorted(g, key=lambda t: t.span)) for g in groups.values()]


def _mark_prefixes(blocks: list[_Block]) -> None:
    for b in blocks:
        b.prefix = any(n > 1 for n in b.numbers().values())
    for j, later in enumerate(blocks):
        for earlier in blocks[:j]:
            if not set(earlier.numbers()) & set(later.numbers()):
                continue
            if earlier.kind == later.kind:
                earlier.prefix = later.prefix = True
            elif later.kind == "prose":
                later.prefix = True
            else:
                earlier.prefix = True


def roman_of(section: tuple[str, ...]) -> str | None:
    """The innermost Roman-numeral label of a heading path."""
    for heading in reversed(section):
        label = C.roman_label(heading)
        if label:
            return label
    return None


def qualifier_of(task: Task) -> str | None:
    """The label that tells a restarted number apart: the innermost Roman-numeral heading; when
    the number already writes that section ("1.1" under "I."), the letter part above it ("A.":
    an appendix whose parts A, B, C each number 1.1, 1.2 …)."""
    head = task.number.split(".")[0]
    # "2.1" under "II. … > 2. …" is item 1 of sub-group 2, not of section II.
    written = head.isdigit() and "." in task.number and not any(
        re.match(rf"{head}[.)]\s", C.clean(h)) for h in task.section)
    skipped = False
    for heading in reversed(task.section):
        label = C.roman_label(heading)
        if label and not (written and _roman_value(label) == int(head)):
            return label
        skipped = skipped or label is not None
        letter = _LETTER_PART.match(C.clean(heading))
        if letter and skipped:
            return letter.group(1)
    return None


_LETTER_PART = re.compile(r"^([A-HĐ])[.)]?(?:\s|$)")
_ROMAN_DIGITS = {"I": 1, "V": 5, "X": 10, "L": 50}


def _roman_value(label: str) -> int:
    values = [_ROMAN_DIGITS[c] for c in label]
    return sum(-v if i + 1 < len(values) and v < values[i + 1] else v for i, v in enumerate(values))


def _qualified(task: Task) -> Task:
    label = qualifier_of(task)
    if not label or task.number.startswith(label + "."):
        return task
    return replace(task, number=f"{label}.{task.number}")
