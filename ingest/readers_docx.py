"""Word (.docx) reader: body paragraphs and real tables in document order, merged cells kept."""
from __future__ import annotations

import io

from ingest import errors
from ingest.readers_builder import Row, TextBuilder
from ingest.types import ReadText

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def read_docx(data: bytes, name: str) -> ReadText:
    import docx  # imported lazily: only docx uploads pay for it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, PackageNotFoundError, KeyError, lxml errors...
        raise errors.corrupt_docx(name, type(exc).__name__) from None
    b = TextBuilder()
    _docx_blocks(document.element.body, b)
    return b.build("docx")


def _docx_blocks(parent, b: TextBuilder) -> None:
    """Body children in document order, so paragraphs and tables interleave correctly."""
    for child in parent.iterchildren():
        if child.tag == _W + "p":
            # Leading tabs/spaces are Word indentation, not content: lines start clean.
            for line in _docx_para_text(child).split("\n"):
                if line.strip():
                    b.line(line.strip())
        elif child.tag == _W + "tbl":
            b.table(_docx_table_rows(child))
        elif child.tag == _W + "sdt":  # content control: its content is ordinary body
            for content in child.iterchildren(_W + "sdtContent"):
                _docx_blocks(content, b)


def _docx_para_text(p) -> str:
    from docx.text.paragraph import Paragraph

    return Paragraph(p, None).text


def _docx_table_rows(tbl) -> list[Row]:
    """One Row per w:tr; a gridSpan cell once (+ None per extra grid column), vMerge
    continuation cells as "" so columns stay aligned with the header."""
    rows: list[Row] = []
    for tr in tbl.iterchildren(_W + "tr"):
        row: Row = []
        for tc in tr.iterchildren(_W + "tc"):
            merged_down = tc.vMerge not in (None, "restart")
            row.append("" if merged_down else _docx_cell_text(tc))
            row.extend([None] * (max(tc.grid_span, 1) - 1))
        rows.append(row)
    return rows


def _docx_cell_text(tc) -> str:
    """A cell's paragraphs (and nested tables' rows) joined by " / " on one line."""
    pieces: list[str] = []
    for child in tc.iterchildren():
        if child.tag == _W + "p":
            pieces.extend(_docx_para_text(child).split("\n"))
        elif child.tag == _W + "tbl":
            for row in _docx_table_rows(child):
                pieces.append(" ; ".join(c for c in row if c))
    # Cells are laid out with runs of spaces; one space reads the same.
    return " / ".join(" ".join(s.split()) for s in pieces if s.strip())
