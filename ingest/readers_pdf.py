"""PDF reader: the text layer page by page, real tables (pdfplumber) rendered as rows.

A page without characters is noted as needing OCR; a file without any is an error.
"""
from __future__ import annotations

import io
import re

from ingest import errors
from ingest.errors import IngestError
from ingest.readers_builder import Row, TextBuilder
from ingest.types import ReadText

_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,4}(?:\s*-)?\s*$", re.IGNORECASE)


def read_pdf(data: bytes, name: str) -> ReadText:
    import pdfplumber

    b = TextBuilder()
    chars = 0
    try:
        with pdfplumber.open(io.BytesIO(data)) as pdf:
            for page in pdf.pages:
                chars += len(page.chars)
                if page.chars:
                    _pdf_page(page, b)
                else:
                    b.warnings.append(f"trang {page.page_number} không có lớp chữ (cần OCR)")
    except IngestError:
        raise
    except Exception as exc:  # pdfminer raises many unrelated types on broken input
        raise errors.corrupt_pdf(name, type(exc).__name__) from None
    if chars == 0:
        raise errors.scanned_pdf(name)
    return b.build("pdf")


def _pdf_page(page, b: TextBuilder) -> None:
    """Text bands above/between/below the page's real tables, tables rendered as rows."""
    found = ((t.bbox, t.extract()) for t in page.find_tables())
    tables = sorted(((bbox, rows) for bbox, rows in found if _is_real_table(rows)),
                    key=lambda t: t[0][1])
    top = page.bbox[1]
    pieces: list[str | list[Row]] = []
    for bbox, rows in tables:
        pieces.append(_pdf_band_text(page, top, bbox[1]))
        pieces.append([[_pdf_cell(c) for c in row] for row in rows])
        top = max(top, bbox[3])
    pieces.append(_pdf_band_text(page, top, page.bbox[3] + 1))
    lines_first = next((i for i, p in enumerate(pieces) if p), None)
    for i, piece in enumerate(pieces):
        if isinstance(piece, list):
            b.table(piece)
            continue
        lines = piece.split("\n")
        if i == lines_first and lines and _PAGE_NUMBER.match(lines[0]):
            lines = lines[1:]  # a lone page number heading the page
        if i == len(pieces) - 1 and lines and _PAGE_NUMBER.match(lines[-1]):
            lines = lines[:-1]  # ... or closing it
        for line in lines:
            if line.strip():
                b.line(line)


def _pdf_band_text(page, top: float, bottom: float) -> str:
    """Text of the characters whose vertical middle lies in [top, bottom)."""
    if bottom <= top:
        return ""

    def inside(obj) -> bool:
        mid = (obj.get("top", 0) + obj.get("bottom", 0)) / 2
        return top <= mid < bottom

    return page.filter(inside).extract_text() or ""


def _is_real_table(rows: list[list[str | None]]) -> bool:
    """>= 3 columns, >= 2 rows, and most rows really fill several columns.

    Word "tables" that are ruled frames around prose come out as one column of
    wrapped lines with an occasional stray fragment in another column.
    """
    if len(rows) < 2 or max((len(r) for r in rows), default=0) < 3:
        return False
    multi = sum(1 for r in rows if sum(1 for c in r if c and c.strip()) >= 2)
    return multi * 2 >= len(rows)


def _pdf_cell(cell: str | None) -> str:
    return " ".join((cell or "").split("\n")).strip()
