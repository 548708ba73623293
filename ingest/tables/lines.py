"""Lines of a text with their offsets (shared by the line-based layouts)."""
from __future__ import annotations

from typing import Iterator, NamedTuple


class Line(NamedTuple):
    start: int  # offset of the first character
    end: int  # offset just past the last character (before "\n")
    text: str


def lines_of(text: str) -> Iterator[Line]:
    pos = 0
    for raw in text.split("\n"):
        yield Line(pos, pos + len(raw), raw)
        pos += len(raw) + 1
