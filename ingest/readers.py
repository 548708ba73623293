"""File readers: bytes of a .txt/.md/.docx/.pdf/.html file -> ``ReadText``.

``read_bytes`` is pure (bytes in, ReadText out); ``read_path`` is the only
function here that touches the filesystem. Every reader builds the extracted
("original") text line by line together with the raw spans of its table cells,
then normalises once with ``normalize_with_map`` and maps the spans through the
offsets, so ``text[cell.span[0]:cell.span[1]] == cell.text`` always holds.

The formats live in their own modules (``readers_docx``, ``readers_pdf``,
``readers_html``; decoding in ``readers_decode``, the shared builder in
``readers_builder``); this module is the entry point and keeps their public names.
"""
from __future__ import annotations

import os
from pathlib import Path

from ingest import errors
from ingest.readers_builder import SEP, Row
from ingest.readers_decode import decode_text
from ingest.readers_docx import read_docx
from ingest.readers_html import read_html
from ingest.readers_pdf import read_pdf
from ingest.text import normalize_with_map
from ingest.types import ReadText

__all__ = ["DEFAULT_MAX_BYTES", "SEP", "SUPPORTED", "Row", "decode_text", "read_bytes", "read_path"]

SUPPORTED = (".txt", ".md", ".docx", ".pdf", ".html", ".htm")
DEFAULT_MAX_BYTES = 50 * 1024 * 1024


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
        result = read_docx(data, name)
    elif ext == ".pdf":
        result = read_pdf(data, name)
    elif ext in (".html", ".htm"):
        result = read_html(decode_text(data, name), name)
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
