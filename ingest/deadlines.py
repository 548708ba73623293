"""Deadline parsing: "Quý II/2023", "Trước ngày 30/9/2023", "Thường xuyên" -> Deadline.

Everything works on an accent-folded copy of the text (``ingest.text.fold``, one
character at a time so spans map back exactly), so "Quy II/2023" and "Quý II/2023"
read the same. Pure: no I/O, no state.

Rules chosen (and relied on by ``overlaps``):
- "trước ngày D" -> (None, D): an administrative "before day D" means "by D".
- "trước tháng M / quý Q / năm Y" -> (None, day before the period starts):
  "before June" means done by 31 May.
- "từ D" / "kể từ D" -> (D, None); "đến (hết) D" / "chậm nhất D" -> (None, end of D).
- Several periods joined by "và", "-", ",", "đến" ("Tháng 9/2023 và tháng 12/2023")
  -> one range from the first start to the last end; a missing year is taken
  from the next period in the chain, then from ``doc_year``.
- A cell starting with "Theo …" (follows another plan) is "unknown".
- "Thường xuyên" -> "ongoing"; "Hằng năm/tháng/quý", "định kỳ" -> "recurring".
"""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache

from ingest.text import fold, squash
from ingest.types import Deadline

_O = r"[\s*_]*"  # optional gap: spaces, line breaks, markdown emphasis
_S = r"[\s*_]+"  # required gap
_YEAR = r"(?:19|20)[0-9]{2}"
_YT = rf"(?:{_O}/{_O}|{_S}nam{_S})(?P<y>{_YEAR})"  # "/2023" or " năm 2023"
_ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_Q = r"iv|i{1,3}|[1-4]"

# One pattern per kind of period; all read folded (lower-case, accent-free) text.
_ATOMS: tuple[tuple[str, re.Pattern[str]], ...] = tuple(
    (name, re.compile(rx))
    for name, rx in (
        ("day", rf"(?<![\w/])(?:ngay{_S})?(?P<d>[0-9]{{1,2}})/(?P<m>[0-9]{{1,2}})(?:/(?P<y>{_YEAR}))?(?![\w/])"),
        ("day", rf"(?<!\w)(?:ngay{_S})?(?P<d>[0-9]{{1,2}}){_S}thang{_S}(?P<m>[0-9]{{1,2}})"
                rf"(?:{_S}nam{_S}(?P<y>{_YEAR}))?(?![\w/])"),
        ("month", rf"(?<!\w)thang{_S}(?P<m>[0-9]{{1,2}})(?:{_O}[-–]{_O}(?P<m2>[0-9]{{1,2}}))?(?:{_YT})?(?![\w/])"),
        ("quarter", rf"(?<!\w)quy{_S}(?P<q>{_Q})(?:{_O}[-–]{_O}(?P<q2>{_Q}))?(?:{_YT})?(?![\w/])"),
        ("half", rf"(?<!\w)(?P<n>[0-9]{{1,2}}){_S}thang{_S}(?P<pos>dau|cuoi){_S}nam(?:{_S}(?P<y>{_YEAR}))?(?![\w/])"),
        ("year", rf"(?<![\w/])(?:(?P<pre>nam|giai{_S}doan){_S})?(?P<y>{_YEAR})"
                 rf"(?:{_O}[-–]{_O}(?:nam{_S})?(?P<y2>{_YEAR}))?(?![\w/])"),
        ("recurring", rf"(?<!\w)(?:ngay{_S}[0-9]{{1,2}}{_S}(?:cua{_S})?)?"
                      rf"(?:(?:dinh{_S}ky{_S})?hang{_S}(?:ngay|tuan|thang|quy|nam)|dinh{_S}ky)(?!\w)"),
        ("ongoing", rf"(?<!\w)thuong{_S}xuyen(?!\w)"),
    )
)
_DATED = {"day", "month", "quarter", "half", "year"}
# A word right before a period that changes its meaning (or marks it as a deadline).
_TRIGGER = re.compile(
    rf"(?<![\w/-])(?P<t>truoc|ke{_S}tu|(?<!dau )tu|den{_S}het|den|toi|cham{_S}nhat(?:{_S}(?:la|vao|den|trong))?"
    rf"|han|trong|vao|hoan{_S}thanh|xong){_O}(?:ngay{_S})?\Z"
)
_TRIGGER_SPELLINGS = {
    "tu": ("từ", "tu"), "den": ("đến", "den"), "trong": ("trong",), "toi": ("tới", "toi"),
    "han": ("hạn", "han"), "vao": ("vào", "vao"), "truoc": ("trước", "truoc"),
}
_LABEL = re.compile(
    rf"(?:thoi{_S}gian(?:{_S}thuc{_S}hien|{_S}hoan{_S}thanh)?|thoi{_S}han(?:{_S}hoan{_S}thanh)?|han{_S}chot)"
    rf"{_O}:{_O}(?:-{_O})?\Z"
)
_JOIN = re.compile(rf"{_O}(?:[-–,]|va|den|toi|hoac|va{_S}den){_O}\Z|{_O}\Z")
_DOC_REF = re.compile(r"[0-9]+/[\w/.-]*[a-z][\w/.-]*\s+\Z")  # "số 76/NQ-CP ngày 15/7/2021"
_BEGIN_OF_TIME = date(1, 1, 1)


@dataclass(frozen=True)
class _Atom:
    kind: str
    span: tuple[int, int]  # in the folded text
    groups: dict[str, str | None]
    year: int | None  # the year written in the atom, if any


@dataclass(frozen=True)
class _Chain:
    atoms: tuple[_Atom, ...]
    trigger: str | None  # folded trigger word ("truoc", "tu", …)
    start: int  # folded offset, trigger included
    end: int


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    return fold(ch)


def fold_with_map(text: str) -> tuple[str, tuple[int, ...]]:
    """Fold ``text`` char by char; ``idx[i]`` = index in ``text`` of folded char i.

    The map has one extra entry (len(text)), so a folded end offset maps too.
    A folded span (a, b) covers ``text[idx[a]:idx[b - 1] + 1]``.
    """
    out: list[str] = []
    idx: list[int] = []
    for i, ch in enumerate(text):
        for c in _fold_char(ch):
            out.append(c)
            idx.append(i)
    idx.append(len(text))
    return "".join(out), tuple(idx)


def _orig_span(idx: tuple[int, ...], a: int, b: int) -> tuple[int, int]:
    return (idx[a], idx[b - 1] + 1) if b > a else (idx[a], idx[a])


def _find_atoms(folded: str) -> list[_Atom]:
    """All period expressions, earliest first; on overlap the longest wins."""
    found = []
    for rank, (kind, rx) in enumerate(_ATOMS):
        for m in rx.finditer(folded):
            groups = m.groupdict()
            year = int(groups["y"]) if groups.get("y") else None
            found.append((m.start(), -(m.end() - m.start()), rank, _Atom(kind, m.span(), groups, year)))
    found.sort(key=lambda t: t[:3])
    atoms: list[_Atom] = []
    for *_, atom in found:
        if not atoms or atom.span[0] >= atoms[-1].span[1]:
            atoms.append(atom)
    return atoms


def _chains(folded: str, atoms: list[_Atom], source: str, idx: tuple[int, ...]) -> list[_Chain]:
    """Group dated atoms joined only by "và", "-", ",", "đến" into chains."""
    chains: list[list[_Atom]] = []
    for atom in atoms:
        prev = chains[-1][-1] if chains else None
        if (prev and atom.kind in _DATED and prev.kind in _DATED
                and _JOIN.match(folded, prev.span[1], atom.span[0])):
            chains[-1].append(atom)
        else:
            chains.append([atom])
    result = []
    for group in chains:
        begin = group[0].span[0]
        trig = _TRIGGER.search(folded, max(0, begin - 40), begin)
        if trig and not _trigger_as_written(source, idx, trig.span("t")):
            trig = None
        word = " ".join(trig.group("t").split()) if trig else None
        result.append(_Chain(tuple(group), word, trig.start() if trig else begin, group[-1].span[1]))
    return result


def _trigger_as_written(source: str, idx: tuple[int, ...], span: tuple[int, int]) -> bool:
    """Folding merges words: "tư"/"tử" are not "từ", "trọng" is not "trong", "tôi" not "tới"."""
    a, b = _orig_span(idx, *span)
    first = unicodedata.normalize("NFC", source[a:b].split()[0].lower()) if b > a else ""
    return first in _TRIGGER_SPELLINGS.get(fold(first), (first,))


def _read(source: str) -> tuple[str, tuple[int, ...], list[_Chain]]:
    folded, idx = fold_with_map(source)
    return folded, idx, _chains(folded, _find_atoms(folded), source, idx)


def _last_day(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def _atom_period(atom: _Atom, year: int | None) -> tuple[date, date] | None:
    """The (start, end) an atom stands for, or None when invalid / no year."""
    g = atom.groups
    try:
        if atom.kind == "year":
            y1, y2 = sorted((int(g["y"]), int(g["y2"] or g["y"])))
            return date(y1, 1, 1), date(y2, 12, 31)
        if year is None:
            return None
        if atom.kind == "day":
            day = date(year, int(g["m"]), int(g["d"]))
            return day, day
        if atom.kind == "month":
            m1, m2 = int(g["m"]), int(g["m2"] or g["m"])
            return (date(year, m1, 1), _last_day(year, m2)) if m1 <= m2 else None
        if atom.kind == "quarter":
            q1, q2 = _ROMAN[g["q"]], _ROMAN[g["q2"] or g["q"]]
            return (date(year, 3 * q1 - 2, 1), _last_day(year, 3 * q2)) if q1 <= q2 else None
        n = int(g["n"])  # "6 tháng đầu năm" / "4 tháng cuối năm"
        if not 1 <= n <= 12:
            return None
        if g["pos"] == "dau":
            return date(year, 1, 1), _last_day(year, n)
        return date(year, 13 - n, 1), date(year, 12, 31)
    except ValueError:
        return None


def _atom_years(atoms: tuple[_Atom, ...], doc_year: int | None) -> list[int | None]:
    """Fill a missing year from the next atom that has one, then the previous, then doc_year."""
    years = [a.year if a.kind != "year" else int(a.groups["y"]) for a in atoms]
    filled: list[int | None] = []
    for i, y in enumerate(years):
        later = next((v for v in years[i + 1:] if v is not None), None)
        earlier = next((v for v in reversed(filled) if v is not None), None)
        filled.append(y if y is not None else later or earlier or doc_year)
    return filled


def _chain_deadline(chain: _Chain, doc_year: int | None, text: str) -> Deadline | None:
    """Read a chain (with its trigger word) as a Deadline; None when it cannot be dated."""
    kinds = {a.kind for a in chain.atoms}
    if kinds <= {"ongoing", "recurring"}:
        return Deadline(text=text, kind="ongoing" if "ongoing" in kinds else "recurring")
    years = _atom_years(chain.atoms, doc_year)
    periods = [_atom_period(a, y) for a, y in zip(chain.atoms, years)]
    if any(p is None for p in periods):
        return None
    start, end = min(p[0] for p in periods), max(p[1] for p in periods)
    trig = chain.trigger
    if trig == "truoc":
        if chain.atoms[0].kind != "day":
            if start == date.min:
                return None
            end = start - timedelta(days=1)
        start = None
    elif trig in ("tu", "ke tu") and len(chain.atoms) == 1:
        end = None
    elif trig and trig.split()[0] in ("den", "toi", "cham", "han"):
        start = None
    kind = "date" if start is not None and start == end else "range"
    return Deadline(text=text, start=start, end=end, kind=kind)


def _envelope(text: str, deadlines: list[Deadline]) -> Deadline:
    """Several dated expressions in one cell: from the earliest start to the latest end."""
    if len(deadlines) == 1:
        return Deadline(text, deadlines[0].start, deadlines[0].end, deadlines[0].kind)
    starts = [d.start for d in deadlines]
    ends = [d.end for d in deadlines]
    start = min(starts) if None not in starts else None  # type: ignore[type-var]
    end = max(ends) if None not in ends else None  # type: ignore[type-var]
    return Deadline(text=text, start=start, end=end, kind="range")


def parse_deadline(text: str, doc_year: int | None = None) -> Deadline:
    """Parse a deadline cell as written ("Quý II/2023", "Thường xuyên", …)."""
    written = squash(text)
    folded, _, chains = _read(written)
    if not folded or folded.startswith("theo"):
        return Deadline(text=written)
    if re.match(rf"thuong{_S}xuyen", folded):
        return Deadline(text=written, kind="ongoing")
    if re.match(rf"(?:dinh{_S}ky|hang{_S}(?:ngay|tuan|thang|quy|nam)(?!\w))", folded):
        return Deadline(text=written, kind="recurring")
    dated = [d for c in chains if c.atoms[0].kind in _DATED
             for d in [_chain_deadline(c, doc_year, written)] if d is not None]
    if dated:
        return _envelope(written, dated)
    kinds = {a.kind for c in chains for a in c.atoms}
    if "ongoing" in kinds:
        return Deadline(text=written, kind="ongoing")
    if "recurring" in kinds:
        return Deadline(text=written, kind="recurring")
    return Deadline(text=written)


def _is_deadline_in_prose(folded: str, chain: _Chain) -> bool:
    """In prose only a period with a trigger word or a label counts (not titles, issue dates)."""
    if chain.atoms[0].kind == "recurring":
        return True
    label_ok = _LABEL.search(folded[max(0, chain.start - 40):chain.start]) is not None
    if chain.atoms[0].kind == "ongoing":
        return label_ok
    return chain.trigger is not None or label_ok


def find_deadlines(text: str, doc_year: int | None = None) -> list[tuple[tuple[int, int], Deadline]]:
    """Deadline expressions in prose, with exact spans into ``text``.

    The span includes the trigger word ("trong tháng 11 năm 2025", "trước ngày
    20 hằng tháng"), and ``deadline.text == text[span]``.
    """
    folded, idx, chains = _read(text)
    found = []
    for chain in chains:
        if not _is_deadline_in_prose(folded, chain):
            continue
        a, b = _orig_span(idx, chain.start, chain.end)
        deadline = _chain_deadline(chain, doc_year, text[a:b])
        if deadline is not None:
            found.append(((a, b), deadline))
    return found


def _shift_month(year: int, month: int, delta: int) -> tuple[int, int]:
    total = year * 12 + month - 1 + delta
    return total // 12, total % 12 + 1


_RELATIVE = re.compile(r"(?<!\w)(?P<unit>thang|quy|nam)\s+(?P<rel>nay|sau|toi|truoc|ngoai)(?!\w)")
_OFFSET = {"nay": 0, "sau": 1, "toi": 1, "truoc": -1, "ngoai": -1}


def _relative_period(folded: str, today: date) -> tuple[date, date] | None:
    """"tháng này", "quý sau", "năm nay", "năm ngoái" … relative to ``today``."""
    m = _RELATIVE.search(folded)
    if not m or (m.group("rel") == "ngoai" and m.group("unit") != "nam"):
        return None
    delta = _OFFSET[m.group("rel")]
    try:
        return _shifted(m.group("unit"), delta, today)
    except ValueError:  # beyond date.max / date.min
        return None


def _shifted(unit: str, delta: int, today: date) -> tuple[date, date]:
    if unit == "nam":
        year = today.year + delta
        return date(year, 1, 1), date(year, 12, 31)
    if unit == "thang":
        year, month = _shift_month(today.year, today.month, delta)
        return date(year, month, 1), _last_day(year, month)
    quarter_start = (today.month - 1) // 3 * 3 + 1
    year, month = _shift_month(today.year, quarter_start, 3 * delta)
    return date(year, month, 1), _last_day(year, month + 2)


def _named_in_question(folded: str, chain: _Chain) -> bool:
    """A bare year/date in a question may be a document's number or date, not a period."""
    atom = chain.atoms[0]
    if chain.trigger or atom.kind not in ("year", "day"):
        return atom.kind in _DATED
    if atom.kind == "year":
        return bool(atom.groups.get("pre") or atom.groups.get("y2"))
    return not _DOC_REF.search(folded[max(0, atom.span[0] - 40):atom.span[0]])


def parse_period(question: str, today: date) -> tuple[date, date] | None:
    """The period a question asks about, or None.

    An open side is filled with date(1, 1, 1) / date.max ("trước 30/9" ->
    (date(1, 1, 1), 30/9 of this year)). A missing year is ``today``'s year.
    """
    folded, _, chains = _read(squash(question))
    chains = [c for c in chains if _named_in_question(folded, c)]
    chains.sort(key=lambda c: c.trigger is None)  # a period after "trong"/"trước" first
    for chain in chains:
        deadline = _chain_deadline(chain, today.year, "")
        if deadline is not None and (deadline.start or deadline.end):
            return deadline.start or _BEGIN_OF_TIME, deadline.end or date.max
    return _relative_period(folded, today)


def overlaps(deadline: Deadline, start: date, end: date) -> bool:
    """Is a task with this deadline "due in" [start, end]?

    Rule: its deadline period ENDS inside the period (a single date lies in it);
    a deadline with only a start ("Từ 01/7/2025") matches when it starts inside.
    "ongoing", "recurring" and "unknown" never match a bounded period.
    """
    if deadline.kind not in ("date", "range"):
        return False
    if deadline.end is not None:
        return start <= deadline.end <= end
    return deadline.start is not None and start <= deadline.start <= end
