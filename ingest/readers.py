"""File readers: bytes of a .txt/.md/.docx/.pdf/.html file -> ``ReadText``.

``read_bytes`` is pure (bytes in, ReadText out); ``read_path`` is the only
function here that touches the filesystem. Every reader builds the extracted
("original") text line by line together with the raw spans of its table cells,
then normalises once with ``normalize_with_map`` and maps the spans through the
offsets, so ``text[cell.span[0]:cell.span[1]] == cell.text`` always holds.
"""
from __future__ import annotations

import io
import os
import re
import unicodedata
from bisect import bisect_left
from pathlib import Path

from ingest import errors
from ingest.errors import IngestError
from ingest.text import normalize_with_map
from ingest.types import Cell, ReadText, Table

SUPPORTED = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024
SEP = " | "

# A rendered table row: cell text, or None for a grid column covered by a
# horizontally merged cell (kept in the Table as an empty cell, not printed).
Row = list[str | None]


class _Builder:
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


# ---------------------------------------------------------------- entry points


def read_path(path: str | os.PathLike, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadText:
    """Read a file from disk; the size is checked before the file is loaded."""
    p = Path(path)
    _check_extension(p.name)
    size = p.stat().st_size
    if size > max_bytes:
        raise errors.file_too_large(p.name, size, max_bytes)
    return read_bytes(p.read_bytes(), p.name, max_bytes)


def read_bytes(data: bytes, filename: str, max_bytes: int = DEFAULT_MAX_BYTES) -> ReadText:
    """Decode and extract ``data`` according to the extension of ``filename``."""
    name = Path(filename).name or filename
    ext = _check_extension(name)
    if len(data) > max_bytes:
        raise errors.file_too_large(name, len(data), max_bytes)
    if not data.strip():
        raise errors.empty_file(name)
    if ext == ".docx":
        result = _read_docx(data, name)
    elif ext == ".pdf":
        result = _read_pdf(data, name)
    elif ext in (".html", ".htm"):
        result = _read_html(decode_text(data, name), name)
    else:  # .txt / .md: the decoded text as it is
        original = decode_text(data, name)
        text, offsets = normalize_with_map(original)
        result = ReadText(text, original, offsets, (), ext[1:])
    if not result.text.strip():
        raise errors.empty_file(name)
    return result


def _check_extension(name: str) -> str:
    ext = Path(name).suffix.lower()
    if ext not in SUPPORTED:
        raise errors.unsupported_extension(name, ext, SUPPORTED)
    return ext


# ---------------------------------------------------------------- text decoding

_BOMS = ((b"\xef\xbb\xbf", "utf-8-sig"), (b"\xff\xfe", "utf-16-le"), (b"\xfe\xff", "utf-16-be"))
_ALLOWED_CONTROLS = set("\t\n\r\f\v")


def decode_text(data: bytes, name: str) -> str:
    """BOM -> NUL-pattern UTF-16 -> UTF-8 strict -> Windows-1258; else an IngestError."""
    for bom, codec in _BOMS:
        if data.startswith(bom):
            return _checked(_decode_or_raise(data[len(bom):], codec, name), name)
    if b"\x00" in data:
        codec = _utf16_by_nul_pattern(data)
        if codec is None:  # NULs that are not UTF-16: a binary file
            raise errors.binary_file(name)
        return _checked(_decode_or_raise(data, codec, name), name)
    try:
        return _checked(data.decode("utf-8"), name)
    except UnicodeDecodeError:
        pass
    try:
        # Legacy Vietnamese Windows text; tones are combining marks, NFC composes them.
        return _checked(data.decode("cp1258"), name)
    except UnicodeDecodeError:
        raise errors.binary_file(name) if _control_share(data.decode("latin-1")) > 0.05 \
            else errors.undecodable(name) from None


def _utf16_by_nul_pattern(data: bytes) -> str | None:
    """UTF-16 without BOM: text with ASCII has NUL high bytes at every other position."""
    sample = data[: 1 << 16]
    if len(sample) < 2:
        return None
    even_nul = sample[0::2].count(0)
    odd_nul = sample[1::2].count(0)
    half = len(sample) // 2
    # Vietnamese still has many ASCII letters/spaces, so >= 20% of one lane is NUL;
    # the other lane must be (almost) NUL-free.
    if odd_nul >= 0.2 * half and even_nul <= 0.01 * half:
        return "utf-16-le"
    if even_nul >= 0.2 * half and odd_nul <= 0.01 * half:
        return "utf-16-be"
    return None


def _decode_or_raise(data: bytes, codec: str, name: str) -> str:
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        raise errors.undecodable(name) from None


def _control_share(text: str) -> float:
    if not text:
        return 0.0
    bad = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in _ALLOWED_CONTROLS)
    return bad / len(text)


def _checked(text: str, name: str) -> str:
    if "\x00" in text or _control_share(text[:100_000]) > 0.02:
        raise errors.binary_file(name)
    if not text.strip():
        raise errors.empty_file(name)
    return text


# ---------------------------------------------------------------- docx

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _read_docx(data: bytes, name: str) -> ReadText:
    import docx  # imported lazily: only docx uploads pay for it

    try:
        document = docx.Document(io.BytesIO(data))
    except Exception as exc:  # BadZipFile, PackageNotFoundError, KeyError, lxml errors...
        raise errors.corrupt_docx(name, type(exc).__name__) from None
    b = _Builder()
    _docx_blocks(document.element.body, b)
    return b.build("docx")


def _docx_blocks(parent, b: _Builder) -> None:
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


# ---------------------------------------------------------------- pdf

_PAGE_NUMBER = re.compile(r"^\s*(?:-\s*)?(?:trang\s+)?\d{1,4}(?:\s*-)?\s*$", re.IGNORECASE)


def _read_pdf(data: bytes, name: str) -> ReadText:
    import pdfplumber

    b = _Builder()
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


def _pdf_page(page, b: _Builder) -> None:
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


# ---------------------------------------------------------------- html

_SKIP = {"script", "style", "nav", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote",
    "pre", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "address", "figure", "figcaption", "form", "fieldset", "caption", "body", "center",
}


def _read_html(markup: str, name: str) -> ReadText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    b = _Builder()
    lines: list[str] = [""]
    _html_walk(soup, b, lines)
    _flush(b, lines)
    return b.build("html")


def _flush(b: _Builder, lines: list[str]) -> None:
    text = " ".join(lines[-1].split())
    if text:
        b.line(text)
    lines[-1] = ""


def _html_walk(node, b: _Builder, lines: list[str]) -> None:
    from bs4 import Comment, Doctype, NavigableString, Tag

    for child in node.children:
        if isinstance(child, (Comment, Doctype)):
            continue
        if isinstance(child, NavigableString):
            lines[-1] += str(child)
        elif isinstance(child, Tag):
            tag = child.name.lower()
            if tag in _SKIP:
                continue
            if tag == "br":
                _flush(b, lines)
            elif tag == "table":
                _flush(b, lines)
                b.table(_html_table_rows(child))
            elif tag in _BLOCK:
                _flush(b, lines)
                _html_walk(child, b, lines)
                _flush(b, lines)
            else:
                _html_walk(child, b, lines)


def _html_table_rows(table) -> list[Row]:
    """Rows on a grid: colspan -> None for the covered columns, rowspan -> "" below."""
    rows: list[Row] = []
    pending: dict[int, int] = {}  # column -> rows still covered by a rowspan above
    for tr in _own_rows(table):
        row: Row = []
        for td in tr.find_all(["td", "th"], recursive=False):
            while pending.get(len(row), 0) > 0:
                pending[len(row)] -= 1
                row.append("")
            span = _int_attr(td, "colspan")
            for k in range(span):
                if _int_attr(td, "rowspan") > 1:
                    pending[len(row)] = _int_attr(td, "rowspan") - 1
                row.append(_html_cell_text(td) if k == 0 else None)
        while pending.get(len(row), 0) > 0:
            pending[len(row)] -= 1
            row.append("")
        rows.append(row)
    return rows


def _own_rows(table):
    """The table's rows, not those of tables nested inside its cells."""
    return [tr for tr in table.find_all("tr") if tr.find_parent("table") is table]


def _int_attr(tag, attr: str) -> int:
    try:
        return max(1, min(int(str(tag.get(attr, "1")).strip()), 100))
    except ValueError:
        return 1


def _html_cell_text(td) -> str:
    """The cell's own lines (block elements, <br>) joined by " / " on one line."""
    inner = _Builder()
    lines = [""]
    _html_walk(td, inner, lines)
    _flush(inner, lines)
    parts = "".join(inner.parts).split("\n")
    return " / ".join(p.strip() for p in parts if p.strip())
