"""Layout: one table row per line, cells split by "|" (markdown, or a reader's rendering).

A region is a run of consecutive lines that contain "|". It is read line by
line when it is a well-formed table: a markdown delimiter row ("|---|---|")
under the header, or every line with as many cells as the header. Anything else (cells wrapped over lines, lost cells) is left to the pipe
stream reader (``pipes``).
"""
from __future__ import annotations

import re

from ingest.tables.lines import Line, lines_of
from ingest.types import Cell, Span

Row = tuple[Cell, ...]
_DELIMITER = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")


def find_grids(text: str) -> list[tuple[list[Row], Span]]:
    """(rows, span) of every well-formed line table."""
    out = []
    for region in _regions(text):
        rows = _line_rows(region)
        if rows:
            out.append((rows, (region[0].start, region[-1].end)))
    return out


def _regions(text: str) -> list[list[Line]]:
    regions: list[list[Line]] = [[]]
    for line in lines_of(text):
        if "|" in line.text:
            regions[-1].append(line)
        elif regions[-1]:
            regions.append([])
    return [r for r in regions if len(r) >= 2]


def _line_rows(region: list[Line]) -> list[Row]:
    header = _split(region[0])
    if len(header) < 2:
        return []
    if _DELIMITER.match(region[1].text):
        body = region[2:]
    elif all(len(_split(line)) == len(header) for line in region[1:]):
        body = region[1:]  # a reader's rendering: "a | b | c", one row per line
    else:
        return []
    return [header] + [_split(line) for line in body if not _DELIMITER.match(line.text)]


def _split(line: Line) -> Row:
    """Cells of one line; the outer pipes of "| a | b |" do not make empty cells."""
    t = line.text
    lo, hi = 0, len(t)
    stripped = t.strip()
    if stripped.startswith("|"):
        lo = t.index("|") + 1
    if stripped.endswith("|") and t.rindex("|") >= lo:
        hi = t.rindex("|")
    cells, pos = [], lo
    for part in t[lo:hi].split("|"):
        lead = len(part) - len(part.lstrip())
        body = part.strip()
        s = line.start + pos + lead
        cells.append(Cell(body, (s, s + len(body))))
        pos += len(part) + 1
    return tuple(cells)
