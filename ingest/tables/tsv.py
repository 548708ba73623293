"""Layout: tab-separated rows, one row per line (text exported from a pdf/docx).

The header row may repeat after each page break; a row cut by the page break
continues on the line after the repeated header with an empty first cell (the
grid interpreter merges it into the row above, cell by cell). Blank lines are
ignored; a non-blank line without a TAB ends the table.
"""
from __future__ import annotations

from ingest.tables.lines import Line, lines_of
from ingest.types import Cell

Row = tuple[Cell, ...]


def find_grids(text: str) -> list[list[Row]]:
    grids: list[list[Row]] = []
    cur: list[Row] = []
    for line in lines_of(text):
        if _is_tsv_line(line):
            cur.append(_split(line))
        elif line.text.strip():
            if len(cur) >= 2:
                grids.append(cur)
            cur = []
    if len(cur) >= 2:
        grids.append(cur)
    return grids


def _is_tsv_line(line: Line) -> bool:
    t = line.text
    if "\t" not in t or not t.strip():
        return False
    # One leading TAB and nothing else is the one-cell-per-line layout.
    return not (t.startswith("\t") and "\t" not in t[1:])


def _split(line: Line) -> Row:
    cells = []
    pos = line.start
    for part in line.text.split("\t"):
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        s = pos + lead
        cells.append(Cell(body, (s, s + len(body))))
        pos += len(part) + 1
    return tuple(cells)
