"""Building a ``ReadText``: extracted lines plus the spans of table cells, normalised once.

Every format reader (docx, pdf, html) feeds a ``TextBuilder`` line by line and table by
table; ``build`` normalises the whole text with ``normalize_with_map`` and maps the cell
spans through the offsets, so ``text[cell.span[0]:cell.span[1]] == cell.text`` holds.
"""
from __future__ import annotations

from bisect import bisect_left

from ingest.text import normalize_with_map
from ingest.types import Cell, ReadText, Table

SEP = " | "

# A rendered table row: cell text, or None for a grid column covered by a
# horizontally merged cell (kept in the Table as an empty cell, not printed).
Row = list[str | None]


class TextBuilder:
    """Accumulates extracted lines and table-cell spans in original coordinates."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.size = 0
        self.tables: list[tuple[list[list[tuple[int, int]]], tuple[int, int]]] = []
        self.warnings: list[str] = []

    def line(self, text: str) -> None:
        self._put(text + "\n")

    def _put(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def table(self, rows: list[Row]) -> None:
        """Print each row as one " | " line; record where every cell landed."""
        kept = [r for r in rows if any(c and c.strip() for c in r)]
        if not kept:
            return
        start = self.size
        grid: list[list[tuple[int, int]]] = []
        for row in kept:
            spans, first = [], True
            for cell in row:
                if cell is None:  # merged-over column: empty, not printed
                    spans.append((self.size, self.size))
                    continue
                if not first:
                    self._put(SEP)
                first = False
                spans.append((self.size, self.size + len(cell)))
                self._put(cell)
            grid.append(spans)
            self._put("\n")
        self.tables.append((grid, (start, self.size - 1)))

    def build(self, fmt: str) -> ReadText:
        # Drop the newline that closed the last generated line (nothing else).
        original = "".join(self.parts).removesuffix("\n")
        text, offsets = normalize_with_map(original)

        def to_text(span: tuple[int, int]) -> tuple[int, int]:
            # offsets is non-decreasing: the first normalised char at/after a raw index.
            return bisect_left(offsets, span[0]), bisect_left(offsets, min(span[1], len(original)))

        tables = []
        for grid, span in self.tables:
            rows = tuple(
                tuple(Cell(text[s:e], (s, e)) for s, e in map(to_text, spans)) for spans in grid
            )
            tables.append(Table(rows=rows, span=to_text(span)))
        return ReadText(text, original, offsets, tuple(tables), fmt, tuple(self.warnings))
