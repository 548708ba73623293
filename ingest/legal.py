"""Structure of legal texts: Phần / Chương / Mục / Điều / Khoản / Điểm, duties, time limits.

Pure functions over the normalised text; every span points into it.

A heading only counts at the start of a line, and article numbers must follow on
(N, N+1, …) inside one numbering sequence: that is what tells "Điều 12. Trách nhiệm …"
from a reference such as "Điều 40 Nghị định số 118/2025/NĐ-CP" that a line wrap put
first on a line. A decision that issues a regulation has two sequences (the decision's
Điều 1–3, then the attached QUY CHẾ's Điều 1…); signatures, PHỤ LỤC and forms ("Mẫu số
01") close the article part so their numbered items never become khoản.

Heading recognition is in ``ingest.legal_headings``; duties ("Trách nhiệm của …") are in
``ingest.legal_duties`` and time-limit phrases in ``ingest.legal_time_limits``, both
re-exported here.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.legal_duties import responsibilities
from ingest.legal_headings import KHOAN, Event, Line, find_events, split_lines
from ingest.legal_time_limits import time_limits
from ingest.types import Article, Clause

__all__ = ["parse_articles", "responsibilities", "time_limits"]

_DIEM = re.compile(r"^([a-zđ])\s?\)")
_LETTERS = "abcdđefghijklmnopqrstuvwxyz"
_LEVEL_RANK = {"phần": 0, "chương": 1, "mục": 2}


@dataclass
class _Walk:
    """Mutable state of one pass over the heading events (local to parse_articles)."""

    part: str = "Văn bản"
    seq: int = -1
    last_num: int = 0
    closed: bool = False  # after a signature: nothing opens until a new part
    fresh: bool = False  # a new part heading was seen; its first article starts a sequence
    levels: dict = field(default_factory=dict)  # kind -> (number, "Chương III. TITLE"), by rank


def _article_verdict(ev: Event, st: _Walk, next_num: int | None) -> str | None:
    """"new" (opens a numbering sequence), "next" (continues it) or None (a reference)."""
    if st.seq < 0:
        return "new"
    if st.closed or st.fresh:
        return "new" if ev.value == 1 else None
    if ev.value == st.last_num + 1:
        return "next"
    if ev.value == 1:
        return "new"
    # A skipped number is accepted only when the following heading confirms the run.
    if ev.value > st.last_num + 1 and next_num == ev.value + 1:
        return "next"
    return None


def _level_ok(ev: Event, st: _Walk) -> bool:
    if st.closed and not st.fresh:
        return False
    prev = st.levels.get(ev.kind, (None, ""))[0]
    if prev is None or ev.value == prev + 1:
        return True
    return ev.value == 1  # a new chapter run (attached text) or Mục 1 of a new chapter


def _set_level(ev: Event, st: _Walk) -> None:
    rank = _LEVEL_RANK[ev.kind]
    st.levels = {k: v for k, v in st.levels.items() if _LEVEL_RANK[k] < rank}
    st.levels[ev.kind] = (ev.value, f"{ev.label}. {ev.title}" if ev.title else ev.label)


def _walk(events: list[Event]) -> tuple[list[tuple[Event, int, tuple[str, ...]]], list[str], list[int]]:
    """Accepted articles (event, sequence, level path), sequence names, boundary lines."""
    st = _Walk()
    found, names, bounds = [], [], []
    dieu_nums = [(k, e.value) for k, e in enumerate(events) if e.kind == "dieu"]
    next_num = {k: (dieu_nums[j + 1][1] if j + 1 < len(dieu_nums) else None) for j, (k, _) in enumerate(dieu_nums)}
    for k, ev in enumerate(events):
        if ev.kind == "dieu":
            verdict = _article_verdict(ev, st, next_num[k])
            if verdict is None:
                continue
            if verdict == "new":
                names.append(st.part if st.fresh or st.seq < 0 else "Văn bản kèm theo")
                st.seq, st.fresh, st.closed = st.seq + 1, False, False
            st.last_num = ev.value
            found.append((ev, st.seq, tuple(label for _, label in st.levels.values())))
        elif ev.kind in _LEVEL_RANK:
            if not _level_ok(ev, st):
                continue
            _set_level(ev, st)
        elif ev.kind == "part":
            st.part, st.fresh, st.closed, st.levels = ev.label, True, False, {}
        elif ev.kind == "sign":
            st.closed = True
        elif ev.kind == "doctype":
            if st.seq < 0:
                st.part = ev.label
            continue
        bounds.append(ev.line)
    return found, names, bounds


def _is_content(line: Line) -> bool:
    return any(ch.isalnum() for ch in line.clean)


def _last_content(lines: list[Line], lo: int, hi: int) -> int:
    """Index of the last line in [lo, hi] with letters or digits (lo when none)."""
    for k in range(hi, lo, -1):
        if _is_content(lines[k]):
            return k
    return lo


def _runs(lines: list[Line], lo: int, hi: int, pattern: re.Pattern, numeric: bool) -> list[tuple[int, str]]:
    """Lines opening khoản "1." (numeric) or điểm "a)" in order; out-of-order ones are text."""
    out, prev = [], 0 if numeric else -1
    for k in range(lo, hi + 1):
        m = pattern.match(lines[k].clean)
        if not m:
            continue
        label = m.group(1)
        if numeric and int(label) == prev + 1:
            out.append((k, label))
            prev = int(label)
        elif not numeric and (prev < 0 and label == "a" or 0 <= prev < _LETTERS.index(label) <= prev + 2):
            out.append((k, label))
            prev = _LETTERS.index(label)
    return out


def _clauses(lines: list[Line], lo: int, hi: int, numeric: bool = True) -> tuple[Clause, ...]:
    starts = _runs(lines, lo, hi, KHOAN if numeric else _DIEM, numeric)
    if numeric and not starts:
        return _clauses(lines, lo, hi, numeric=False)  # điểm straight under the article
    out = []
    for j, (k, label) in enumerate(starts):
        stop = starts[j + 1][0] - 1 if j + 1 < len(starts) else hi
        end = _last_content(lines, k, stop)
        children = _clauses(lines, k + 1, end, numeric=False) if numeric else ()
        out.append(Clause(label, (lines[k].start, lines[end].end), children))
    return tuple(out)


def parse_articles(text: str) -> tuple[Article, ...]:
    """Every accepted "Điều N." of ``text`` with its path, span and khoản/điểm tree."""
    lines = split_lines(text)
    found, names, bounds = _walk(find_events(text, lines))
    multi = len(names) > 1
    out = []
    for ev, seq, levels in found:
        nxt = min((b for b in bounds if b > ev.line), default=len(lines))
        end = _last_content(lines, ev.line, nxt - 1)
        head = f"{ev.label}. {ev.title}" if ev.title else ev.label
        path = ((names[seq],) if multi else ()) + levels + (head,)
        clauses = _clauses(lines, ev.last + 1, end) if end > ev.last else ()
        span = (lines[ev.line].start, max(lines[end].end, lines[ev.last].end))
        out.append(Article(str(ev.value), ev.title, path, span, clauses, names[seq] if multi else None))
    return tuple(out)
