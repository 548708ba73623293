"""Vietnamese text normalisation that keeps a map back to the original.

- NFC, with one tone-mark placement: the "new" style for the open syllables
  oa/oe/uy (hoà -> hòa, thuỷ -> thủy), so "hoà" and "hòa" compare equal.
- Line ends become "\\n", NBSP becomes a space, zero-width characters go.
- ``fold`` removes diacritics (đ -> d) for accent-insensitive matching.
"""
from __future__ import annotations

import re
from functools import lru_cache
import unicodedata

_TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}  # huyền sắc ngã hỏi nặng
_DROP = {"\u200b", "\u200c", "\u200d", "\ufeff", "\u00ad"}
_SPACE = {"\u00a0", "\u2007", "\u202f"}
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
# Open syllables where the old style puts the tone on the second vowel.
_OLD_STYLE = re.compile(r"^(.*?)([oOuU])([aAeEyY])$")


def _retone(word: str) -> str:
    """Move a tone mark from the 2nd to the 1st vowel of a final oa/oe/uy (hoà -> hòa)."""
    decomposed = unicodedata.normalize("NFD", word)
    tones = [c for c in decomposed if c in _TONES]
    if len(tones) != 1:
        return word
    bare = "".join(c for c in decomposed if c not in _TONES)
    bare_nfc = unicodedata.normalize("NFC", bare)
    m = _OLD_STYLE.match(bare_nfc)
    if not m or m.group(1).lower().endswith("q"):
        return word  # "quý": q+u is a consonant, the tone stays on y
    # The tone must currently sit on the last vowel for this to be the old style.
    last = unicodedata.normalize("NFD", word[-1])
    if tones[0] not in last:
        return word
    first = unicodedata.normalize("NFC", m.group(2) + tones[0])
    return unicodedata.normalize("NFC", m.group(1) + first + m.group(3))


def _norm_char_run(chunk: str) -> str:
    out = []
    for ch in chunk:
        if ch in _DROP:
            continue
        out.append(" " if ch in _SPACE else ch)
    return unicodedata.normalize("NFC", "".join(out))


def normalize_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """Normalise ``text``; return it and offsets[i] = original index of char i.

    The map has one extra entry (len(original)) so an end offset maps too.
    """
    pieces: list[str] = []
    offsets: list[int] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\r":
            # CRLF or lone CR -> one "\n" that maps to the CR.
            pieces.append("\n")
            offsets.append(i)
            i += 2 if i + 1 < n and text[i + 1] == "\n" else 1
            continue
        j = i + 1
        if ch.isalpha() or unicodedata.combining(ch):
            while j < n and (text[j].isalpha() or unicodedata.combining(text[j]) or text[j] in _DROP):
                j += 1
            word = _norm_char_run(text[i:j])
            word = _retone(word) if word else word
        else:
            word = _norm_char_run(ch)
        _map_piece(word, i, j, pieces, offsets)
        i = j
    offsets.append(n)
    return "".join(pieces), tuple(offsets)


def _map_piece(word: str, start: int, end: int, pieces: list[str], offsets: list[int]) -> None:
    span = end - start
    for k in range(len(word)):
        # Proportional mapping inside a word whose length changed (NFC composition).
        offsets.append(start + (k * span) // max(len(word), 1))
    pieces.append(word)


def normalize(text: str) -> str:
    return normalize_with_map(text)[0]


def fold(text: str) -> str:
    """Lower-case and strip Vietnamese diacritics: 'Bộ Nội vụ' -> 'bo noi vu'."""
    # Names and cells are folded again for every question: remember the short ones.
    return _fold_short(text) if len(text) <= SHORT else _fold(text)


SHORT = 300  # characters: an agency name, a cell, a title


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text.lower().replace("đ", "d").replace("Đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def squash(text: str) -> str:
    """Collapse whitespace runs to one space and strip."""
    return " ".join(text.split())


def key(text: str) -> str:
    """A comparison key: folded, punctuation-free, single-spaced."""
    return _key_short(text) if len(text) <= SHORT else _key(text)


def _key(text: str) -> str:
    return " ".join(re.findall(r"\w+", fold(text)))


_fold_short = lru_cache(maxsize=200_000)(_fold)
_key_short = lru_cache(maxsize=200_000)(_key)
