"""Task tables: find them (reader tables and text layouts) and read their rows.

``table_drafts`` returns one ``TableDraft`` per task table, in text order, from
the tables a reader found (docx/pdf/html) and from the layouts detected in the
text itself: one row per line (markdown/TSV), one cell per TAB line, and pipe
streams. Statistics tables and tables without a task header are dropped.
"""
from __future__ import annotations

import re

from ingest.tables import cell_lines, markdown, pipes, tsv
from ingest.tables import columns as C
from ingest.tables.grid import TableDraft, interpret
from ingest.tables.lines import lines_of
from ingest.types import Cell, Span, Table

Row = tuple[Cell, ...]

__all__ = ["TableDraft", "table_drafts"]

_ROMAN_HEADING = re.compile(r"^([IVXL]+)[.)]\s+\S")
_APPENDIX = re.compile(r"^(?:phụ lục|phu luc)\b", re.I)


def table_drafts(text: str, tables: tuple[Table, ...] = ()) -> list[TableDraft]:
    found: list[TableDraft] = []
    floor = 0
    for start, end, rows in _join_page_parts(tables):
        found += interpret(rows, heading_before(text, start, floor))
        floor = end
    skip = tuple(t.span for t in tables)
    for rows, span in markdown.find_grids(text):
        if not _overlaps(span, skip):
            found += interpret(rows, heading_before(text, span[0]))
            skip += (span,)
    for finder in (tsv.find_grids, cell_lines.find_grids):
        for rows in finder(text):
            found += interpret(rows, heading_before(text, rows[0][0].span[0]))
    for rows in pipes.find_grids(text, skip):
        found += interpret(rows, heading_before(text, rows[0][0].span[0]))
    return _without_overlaps(found)


def _join_page_parts(tables: tuple[Table, ...]) -> list[tuple[int, int, list[Row]]]:
    """Reader tables with a table that continues them on the next page appended.

    A pdf table split by a page break comes as two tables, the second often without
    the header: it is appended to the first behind a copy of the header row, which
    the interpreter reads as a repeated header (the next row may continue a task).
    """
    groups: list[tuple[int, int, list[Row]]] = []
    header: Row | None = None
    for table in sorted(tables, key=lambda t: t.span):
        rows = [tuple(r) for r in table.rows]
        own = next((r for r in rows if C.header_roles([c.text for c in r]) is not None), None)
        if own is None and header is not None and rows and len(rows[0]) == len(header):
            start, _, previous = groups[-1]
            groups[-1] = (start, table.span[1], previous + [header] + rows)
            continue
        header = own
        groups.append((table.span[0], table.span[1], rows))
    return groups


HEADING_REACH = 20_000  # characters above a table searched for its heading


def heading_before(text: str, pos: int, floor: int = 0) -> tuple[str, ...]:
    """The nearest Roman-numeral heading line above ``pos`` ("I. TTHC CÓ THỜI GIAN …").

    Used as the section of a table that has no section rows of its own. The
    search stops at an appendix caption ("PHỤ LỤC"): headings of the decision
    body do not govern its appendix.
    """
    # Only the text just above the table: scanning from the top for every table made
    # ingest quadratic in the size of a document with thousands of tables.
    lines = list(lines_of(text[max(floor, pos - HEADING_REACH):pos]))
    for line in reversed(lines):
        heading = C.clean(line.text)
        if _APPENDIX.match(heading):
            return ()
        if _ROMAN_HEADING.match(heading) and C.roman_label(heading) and len(heading) < 250:
            return (heading,)
    return ()


def _overlaps(span: Span, spans: tuple[Span, ...]) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def _without_overlaps(drafts: list[TableDraft]) -> list[TableDraft]:
    """The first reading of a stretch of text wins (reader tables come first)."""
    kept: list[TableDraft] = []
    for d in drafts:
        if not _overlaps(d.span, tuple(k.span for k in kept)):
            kept.append(d)
    return sorted(kept, key=lambda d: d.span)
