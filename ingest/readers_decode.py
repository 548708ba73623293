"""Bytes of a plain-text file -> str: BOMs, UTF-16 without BOM, UTF-8, Windows-1258.

Binary or undecodable data becomes an ``IngestError`` naming the file.
"""
from __future__ import annotations

import unicodedata

from ingest import errors

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
