"""Layout: a stream of cells separated by "|" (pipe-line exports, broken markdown).

Two real shapes share this reading:

- every cell followed by a line holding only "|" (a Word table exported line by
  line): "|\\n1\\n|\\nNghiên cứu …\\n|\\nBộ Khoa học và\\nCông nghệ\\n|…";
- a markdown table whose rows wrap across lines and lose cells.

In both, the text between two consecutive pipes is one cell and an empty cell
(two pipes with nothing between) ends a row. A run of cells may also hold the
caption and header of the next table ("… | **PHỤ LỤC II** … | **TT** | …"): the
run is cut where a header starts. A short run that does not start with a number
or a section label continues the row before it when both fit in the header's
columns (a row broken over two lines of a broken markdown table).
"""
from __future__ import annotations

import re

from ingest.tables import columns as C
from ingest.types import Cell, Span

Row = tuple[Cell, ...]
MAX_GAP = 2000  # a longer stretch without a pipe is prose, not a cell
_BLANK = re.compile(r"\n[ \t]*\n")


def find_grids(text: str, skip: tuple[Span, ...] = ()) -> list[list[Row]]:
    grids = []
    for pipes in _regions(text, skip):
        runs = _runs(_cells(text, pipes))
        rows = _join_broken_rows(runs)
        if rows:
            grids.append(rows)
    return grids


def _regions(text: str, skip: tuple[Span, ...]) -> list[list[int]]:
    """Pipe positions grouped into regions: no blank line, long gap or skipped span between."""
    pipes = [m.start() for m in re.finditer(r"\|", text)
             if not any(s <= m.start() < e for s, e in skip)]
    regions: list[list[int]] = []
    for p in pipes:
        if regions and _connected(text, regions[-1][-1], p, skip):
            regions[-1].append(p)
        else:
            regions.append([p])
    return [r for r in regions if len(r) >= 6]


def _connected(text: str, a: int, b: int, skip: tuple[Span, ...]) -> bool:
    if b - a > MAX_GAP or _BLANK.search(text, a, b):
        return False
    return not any(a < s < b for s, _ in skip)


def _cells(text: str, pipes: list[int]) -> list[Cell]:
    out = []
    for p, q in zip(pipes, pipes[1:]):
        raw = text[p + 1:q]
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        out.append(Cell(body, (p + 1 + lead, p + 1 + lead + len(body))))
    return out


def _runs(cells: list[Cell]) -> list[list[Cell]]:
    """Runs of non-empty cells between empty cells, cut where a header begins."""
    runs: list[list[Cell]] = [[]]
    for cell in cells:
        if C.clean(cell.text):
            runs[-1].append(cell)
        elif runs[-1]:
            runs.append([])
    out = []
    for run in runs:
        cut = _header_start(run)
        out.extend(r for r in (run[:cut], run[cut:]) if r)
    return out


def _header_start(run: list[Cell]) -> int:
    for i, cell in enumerate(run):
        if C.column_role(cell.text) in (C.NUMBER, C.DESCRIPTION):
            if C.header_roles([c.text for c in run[i:]]) is not None:
                return i
    return 0


def _starts_row(run: list[Cell]) -> bool:
    first = run[0].text
    return C.number_of(first) is not None or C.is_section_label(first) or C.is_section_line(first)


def _join_broken_rows(runs: list[list[Cell]]) -> list[Row]:
    """Rows; a short run that cannot start a row is appended to the row before."""
    rows: list[list[Cell]] = []
    width, numbered = 0, False  # named columns of the current header
    for run in runs:
        roles = C.header_roles([c.text for c in run])
        if roles is not None:
            width, numbered = len(run), C.NUMBER in roles
            rows.append(run)
            continue
        prev = rows[-1] if rows else None
        if prev is not None and width and not _starts_row(run) and _is_data(prev):
            room = width - (1 if numbered and C.number_of(prev[0].text) is None else 0)
            if len(prev) + len(run) <= room:
                prev.extend(run)
                continue
        rows.append(run)
    return [tuple(r) for r in rows]


def _is_data(run: list[Cell]) -> bool:
    """A task row (not a header, not a section row)."""
    if C.header_roles([c.text for c in run]) is not None:
        return False
    return C.number_of(run[0].text) is not None or not _starts_row(run)
