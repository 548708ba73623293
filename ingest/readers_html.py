"""HTML reader: visible block text line by line, tables on a grid (colspan, rowspan)."""
from __future__ import annotations

from ingest.readers_builder import Row, TextBuilder
from ingest.types import ReadText

_SKIP = {"script", "style", "nav", "noscript", "template", "head", "svg", "iframe", "object"}
_BLOCK = {
    "p", "div", "section", "article", "header", "footer", "main", "aside", "blockquote",
    "pre", "ul", "ol", "li", "dl", "dt", "dd", "h1", "h2", "h3", "h4", "h5", "h6", "hr",
    "address", "figure", "figcaption", "form", "fieldset", "caption", "body", "center",
}


def read_html(markup: str, name: str) -> ReadText:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(markup, "html.parser")
    b = TextBuilder()
    lines: list[str] = [""]
    _html_walk(soup, b, lines)
    _flush(b, lines)
    return b.build("html")


def _flush(b: TextBuilder, lines: list[str]) -> None:
    text = " ".join(lines[-1].split())
    if text:
        b.line(text)
    lines[-1] = ""


def _html_walk(node, b: TextBuilder, lines: list[str]) -> None:
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
    inner = TextBuilder()
    lines = [""]
    _html_walk(td, inner, lines)
    _flush(inner, lines)
    parts = "".join(inner.parts).split("\n")
    return " / ".join(p.strip() for p in parts if p.strip())
