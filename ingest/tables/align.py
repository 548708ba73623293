"""Align the cells of a ragged row (fewer cells than columns) to the columns.

Broken tables (markdown exported with merged or missing cells) give rows such as
"title | drafter | drafter (…) | deadline | file list" under a seven-column
header. The cells keep their order; which columns they skip is chosen by content:
a number goes to the number column, an agency to an agency column, a date to the
time column, a cell sharing a salient header word ("thẩm tra") to that column.
On a tie the cells go to the earlier columns (the later column is the one missing).
"""
from __future__ import annotations

from functools import lru_cache
from typing import Protocol

from ingest.tables import columns as C


class _Col(Protocol):
    name: str
    role: str


def score(cell: str, col: _Col) -> int:
    """How well ``cell`` fits column ``col`` (higher is better)."""
    role = col.role
    if role == C.NUMBER:
        return 4 if C.number_of(cell) else -4
    agency, date = C.looks_like_agency(cell), C.looks_like_date(cell)
    words = C.header_words(col.name)
    overlap = 2 if words and words & set(C.header_words(cell)) else 0
    if role in (C.LEAD, C.COORDINATE):
        return (2 if agency else 0) - (2 if date and not agency else 0) + overlap
    if role == C.DEADLINE:
        return (2 if date else 0) - (1 if agency else 0)
    if role == C.DESCRIPTION:
        return (1 if len(cell) > 40 else 0) - (1 if agency and len(cell) < 60 else 0)
    return overlap


def align(cells: list[str], cols: list[_Col]) -> dict[int, int]:
    """cell index -> column index, order-preserving, best total score."""
    n, m = len(cells), len(cols)
    if n == 0 or m == 0:
        return {}
    if n >= m:
        return {k: k for k in range(m)}
    table = [[score(c, col) for col in cols] for c in cells]

    @lru_cache(maxsize=None)
    def best(i: int, j: int) -> int:
        if i == n:
            return 0
        take = table[i][j] + best(i + 1, j + 1)
        if m - j > n - i:  # a column may still be skipped
            return max(take, best(i, j + 1))
        return take

    placed: dict[int, int] = {}
    i = j = 0
    while i < n:
        take = table[i][j] + best(i + 1, j + 1)
        if take >= best(i, j):  # ties: put the cell in the earlier column
            placed[i] = j
            i += 1
        j += 1
    return placed
