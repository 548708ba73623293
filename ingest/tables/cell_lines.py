"""Layout: one table cell per line, a line starting with TAB begins a new cell.

Word documents saved as text put every cell of a table on its own line, led by
a TAB; a cell that wrapped continues on the next line without the TAB
("Quý II" / "năm 2023"). Blank lines between cells are noise. The table ends at
a non-TAB line that follows a blank line ("III. TỔ CHỨC THỰC HIỆN"). A row
starts at a number cell ("12. "); a lone heading cell ("B. XÂY DỰNG THỂ CHẾ…",
"IV. VỀ CẢI CÁCH …") is a section row of its own.
"""
from __future__ import annotations

from ingest.tables import columns as C
from ingest.tables.lines import Line, lines_of
from ingest.types import Cell

Row = tuple[Cell, ...]


def find_grids(text: str) -> list[list[Row]]:
    """Candidate grids (rows of cells) of every TAB-per-cell run in ``text``."""
    grids = []
    for run in _runs(text):
        rows = _rows(run)
        if rows:
            grids.append(rows)
    return grids


def _is_cell_line(line: Line) -> bool:
    return line.text.startswith("\t") and "\t" not in line.text[1:]


def _runs(text: str) -> list[list[Cell]]:
    """Consecutive cells; a cell is its TAB line plus the lines that continue it."""
    runs: list[list[Cell]] = []
    cur: list[list[int]] = []  # [start, end] per cell
    blank = False
    for line in lines_of(text):
        if _is_cell_line(line):
            cur.append([line.start + 1, line.end])
            blank = False
        elif not line.text.strip():
            blank = True
        elif cur and not blank and "\t" not in line.text:
            cur[-1][1] = line.end  # a wrapped cell continues
        else:
            runs.append(_cells(text, cur))
            cur, blank = [], False
    runs.append(_cells(text, cur))
    return [r for r in runs if len(r) >= 4]


def _cells(text: str, spans: list[list[int]]) -> list[Cell]:
    out = []
    for s, e in spans:
        raw = text[s:e]
        lead = len(raw) - len(raw.lstrip())
        body = raw.strip()
        if body:
            out.append(Cell(body, (s + lead, s + lead + len(body))))
    return out


def _starts_row(cell: Cell) -> bool:
    return C.number_of(cell.text) is not None or C.is_section_line(cell.text)


def _rows(cells: list[Cell]) -> list[Row]:
    """Header cells first, then rows cut at number cells and heading cells."""
    start = next((i for i, c in enumerate(cells[:6])
                  if C.column_role(c.text) in (C.NUMBER, C.DESCRIPTION)), None)
    if start is None:
        return []
    rows: list[list[Cell]] = [[]]
    for cell in cells[start:]:
        if _starts_row(cell) and rows[-1]:
            rows.append([])
        rows[-1].append(cell)
        if C.is_section_line(cell.text) and C.number_of(cell.text) is None:
            rows.append([])  # a heading cell is a row of its own
    return [tuple(r) for r in rows if r]
