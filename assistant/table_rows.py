"""Rows of data tables read as answer candidates: "Cấp học: Trung học phổ thông; Khu vực nông
thôn (xã): 130; Khu vực thành thị (phường): 200".

A value in a table cell ("130", "8544.49.24", "100.000 đồng") is no sentence: alone it says
nothing, and the words that name it are in its row and the table's header. Each row of a table
in the passage becomes one candidate, its cells paired with the header's names (a row short of
cells is aligned to the right: a merged first cell is what it lacks). The citation quotes the
row's exact span.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.tables import columns as C
from ingest.tables import markdown, pipes
from ingest.types import Cell

MAX_CELL = 300  # characters of a cell shown


@dataclass(frozen=True)
class TableRow:
    start: int
    end: int
    text: str  # "name: value; name: value"
    named: bool  # read with a header's names

def table_rows(text: str, start: int, end: int) -> list[TableRow]:
    """Every data row of the tables inside text[start:end], with its header's names."""
    window = text[start:end]
    if "|" not in window:
        return []
    grids = [rows for rows, _ in markdown.find_grids(window)] or pipes.find_grids(window)
    out = []
    for rows in grids:
        header = _header(rows)
        for row in rows[1:] if header else rows:
            cells = [c for c in row if C.clean(c.text)]
            if not cells:
                continue
            out.append(TableRow(start + cells[0].span[0], start + cells[-1].span[1], _named(header, row), bool(header)))
    return out


def _header(rows: list[tuple[Cell, ...]]) -> list[str] | None:
    """The first row's names when they read as a header: short, no figures."""
    names = [C.clean(c.text) for c in rows[0]]
    if len(rows) < 2 or len(names) < 2 or any(len(n) > 60 or re.search(r"\d{2,}", n) for n in names):
        return None
    return names


def _named(header: list[str] | None, row: tuple[Cell, ...]) -> str:
    values = [C.clean(c.text)[:MAX_CELL] for c in row]
    if not header:
        return "; ".join(v for v in values if v)
    names = header[-len(values):] if len(values) <= len(header) else header + [""] * (len(values) - len(header))
    return "; ".join(f"{n}: {v}" if n else v for n, v in zip(names, values) if v)
