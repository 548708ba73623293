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
from ingest.types import Span, Table

__all__ = ["TableDraft", "table_drafts"]

_ROMAN_HEADING = re.compile(r"^([IVXL]+)[.)]\s+\S")
_APPENDIX = re.compile(r"^(?:phụ lục|phu luc)\b", re.I)


def table_drafts(text: str, tables: tuple[Table, ...] = ()) -> list[TableDraft]:
    found: list[TableDraft] = []
    floor = 0
    for table in sorted(tables, key=lambda t: t.span):
        rows = [tuple(r) for r in table.rows]
        found += interpret(rows, heading_before(text, table.span[0], floor))
        floor = table.span[1]
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


def heading_before(text: str, pos: int, floor: int = 0) -> tuple[str, ...]:
    """The nearest Roman-numeral heading line above ``pos`` ("I. TTHC CÓ THỜI GIAN …").

    Used as the section of a table that has no section rows of its own. The
    search stops at an appendix caption ("PHỤ LỤC"): headings of the decision
    body do not govern its appendix.
    """
    lines = [ln for ln in lines_of(text[floor:pos])]
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
