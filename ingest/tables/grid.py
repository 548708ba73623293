"""Rows of cells -> task drafts: header, section rows, continuation rows, ragged rows.

Every table layout (reader tables, tab-per-cell lines, TSV, pipe streams, markdown)
is first turned into rows of ``Cell``; this module interprets them the same way:

- a header row (see ``columns.header_roles``) starts a task table; the same header
  again is a page break (the next row may continue the last task); a different
  one starts a new table; a sub-header row under merged header cells is combined;
- a section row ("I" | "Hoàn thiện thể chế", "A. CÔNG TÁC …", "*III.1.1*" | "…")
  updates the heading path;
- a row without a number under a numbered task continues that task (a row cut by a
  page break, or vertically merged number/description cells with one row per
  sub-item); its cells are appended column by column;
- a row with fewer cells than the header (a broken table) is aligned to the
  columns by content (see ``align``);
- a header without a number column over rows that carry one more cell, a number
  first ("1.1" | "Xây dựng …" | "Sở …"), gains a number column in front;
- a new header inside a grid keeps the section path of the rows above it (an
  appendix in parts "A", "B", each part with its own header row).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ingest.tables import columns as C
from ingest.tables.align import align
from ingest.text import key
from ingest.types import Cell, Span

Row = tuple[Cell, ...]


@dataclass
class Column:
    name: str
    role: str


@dataclass
class Draft:
    """One task row being assembled (continuations append to ``values``)."""

    number: str | None
    section: tuple[str, ...]
    values: dict[int, str]
    span: Span


@dataclass
class TableDraft:
    columns: list[Column]
    header_key: str
    outer: tuple[str, ...]
    drafts: list[Draft] = field(default_factory=list)
    sections: list[tuple[int, str]] = field(default_factory=list)
    numbered: bool = False
    page_break: bool = False
    expect_subheader: bool = True
    start: int = 0

    def role_index(self, role: str) -> int | None:
        return next((i for i, c in enumerate(self.columns) if c.role == role), None)

    @property
    def span(self) -> Span:
        return (self.start, max(d.span[1] for d in self.drafts)) if self.drafts else (self.start, self.start)


def interpret(rows: list[Row], outer: tuple[str, ...] = ()) -> list[TableDraft]:
    """All task tables found in ``rows`` (a grid may hold several, or none)."""
    tables: list[TableDraft] = []
    cur: TableDraft | None = None
    above: list[tuple[int, str]] = []  # section rows before the first header ("B" | "PHÁT TRIỂN …")
    for row in rows:
        texts = [C.clean(c.text) for c in row]
        if not any(texts):
            continue
        roles = C.header_roles([c.text for c in row])
        if roles is not None:
            hkey = key(" ".join(texts))
            if cur is not None and cur.header_key == hkey:
                cur.page_break = True  # the header repeated after a page break
                continue
            sections = list(cur.sections) if cur is not None else above
            cur = _new_table(row, texts, roles, outer)
            cur.sections = sections
            tables.append(cur)
        elif cur is not None:
            _add_row(cur, row, texts)
        elif (section := _section_text(texts)) is not None:
            level = C.section_level(section)
            above = [s for s in above if s[0] < level] + [(level, section)]
    return [t for t in tables if t.drafts]


def _new_table(row: Row, texts: list[str], roles: list[str], outer: tuple[str, ...]) -> TableDraft:
    cols = [Column(t, r) for t, r in zip(texts, roles)]
    start = min((c.span[0] for c in row if c.text.strip()), default=0)
    return TableDraft(cols, key(" ".join(texts)), outer, start=start)


def _add_row(t: TableDraft, row: Row, texts: list[str]) -> None:
    if t.expect_subheader:
        t.expect_subheader = False
        if _is_subheader(t, texts):
            _apply_subheader(t, texts)
            return
    section = _section_text(texts)
    if section is not None:
        level = C.section_level(section)
        t.sections = [s for s in t.sections if s[0] < level] + [(level, section)]
        t.page_break = False
        return
    _add_task_row(t, row, texts)
    t.page_break = False


def _section_text(texts: list[str]) -> str | None:
    """The heading of a section row, or None for any other row."""
    filled = [x for x in texts if x]
    if not filled or len(filled) > 2:
        return None
    first = filled[0]
    if len(filled) == 1 and C.is_section_line(first) and C.number_of(first) is None:
        return first
    if C.is_section_label(first) and C.number_of(first) is None:
        if len(filled) == 1:
            return first
        label = first if first.endswith((".", ")")) else first + "."
        return f"{label} {filled[1]}"
    return None


def _is_subheader(t: TableDraft, texts: list[str]) -> bool:
    """A second header row under merged header cells (two-row pdf/docx headers)."""
    if not texts or texts[0] or len(texts) > len(t.columns):
        return False
    filled = [(i, x) for i, x in enumerate(texts) if x]
    if not filled or any(len(x) > 50 or any(ch.isdigit() for ch in x) for _, x in filled):
        return False
    # Sub-headers sit under a merged parent: some of them under an unnamed column.
    return any(not t.columns[i].name for i, _ in filled)


def _apply_subheader(t: TableDraft, texts: list[str]) -> None:
    for i, sub in enumerate(texts):
        if not sub:
            continue
        role = C.column_role(sub)
        col = t.columns[i]
        t.columns[i] = Column(sub, role if role != C.OTHER or not col.name else col.role)
    roles = C.unique_roles([c.role for c in t.columns])
    t.columns = [Column(c.name, r) for c, r in zip(t.columns, roles)]


def _add_task_row(t: TableDraft, row: Row, texts: list[str]) -> None:
    if _number_column_missing(t, row):
        t.columns.insert(0, Column("", C.NUMBER))
    values = _row_values(t, row)
    num_i, desc_i = t.role_index(C.NUMBER), t.role_index(C.DESCRIPTION)
    num_text = values.get(num_i, ("", None))[0] if num_i is not None else ""
    number = C.number_of(num_text) if num_text else None
    if num_text and number is None:
        return  # a merged summary row ("Tổng thời gian giải quyết …"), not a task
    span = _span([c for _, c in values.values() if c is not None and c.text.strip()])
    plain = {i: v for i, (v, _) in values.items() if v and i != num_i}
    if number is None and _continues(t, plain):
        _merge(t.drafts[-1], plain, span, " " if t.page_break else "; ")
        return
    if not plain.get(desc_i):
        return
    t.numbered = t.numbered or number is not None
    section = tuple(s for _, s in t.sections) or t.outer
    t.drafts.append(Draft(number, section, plain, span))


def _number_column_missing(t: TableDraft, row: Row) -> bool:
    """The header names no number column, yet the row has one cell more, a number first."""
    return (t.role_index(C.NUMBER) is None and len(row) == len(t.columns) + 1
            and C.number_of(row[0].text) is not None)


def _continues(t: TableDraft, plain: dict[int, str]) -> bool:
    """A number-less row under a numbered task continues it (page break / merged cells)."""
    if not t.drafts or t.drafts[-1].number is None:
        return False
    if t.page_break or not plain.get(t.role_index(C.DESCRIPTION)):
        return True
    owners = (t.role_index(C.LEAD), t.role_index(C.DEADLINE))
    return all(i is None or not plain.get(i) for i in owners)


def _merge(d: Draft, plain: dict[int, str], span: Span, sep: str) -> None:
    for i, v in plain.items():
        d.values[i] = f"{d.values[i]}{sep}{v}" if d.values.get(i) else v
    d.span = (min(d.span[0], span[0]), max(d.span[1], span[1]))


def _row_values(t: TableDraft, row: Row) -> dict[int, tuple[str, Cell | None]]:
    """Column index -> (clean text, cell); ragged rows are aligned by content."""
    n = len(t.columns)
    if len(row) >= n:
        return {i: (C.clean(c.text), c) for i, c in enumerate(row[:n])}
    named = [i for i, c in enumerate(t.columns) if c.name]
    cells = [c for c in row if C.clean(c.text)]
    placed = align([C.clean(c.text) for c in cells], [t.columns[i] for i in named])
    return {named[j]: (C.clean(cells[k].text), cells[k]) for k, j in placed.items()}


def _span(cells: list[Cell]) -> Span:
    if not cells:
        return (0, 0)
    return (min(c.span[0] for c in cells), max(c.span[1] for c in cells))
