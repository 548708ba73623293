"""Agency names: canonical forms, splitting lead/coordinator cells, finding mentions.

The alias table (``data/agencies.toml``, versioned) maps abbreviations and
spellings to one canonical name. Names compare with ``ingest.text.key`` (case,
spaces, diacritics, tone placement and punctuation ignored). Pure functions over
an ``AliasTable`` value; ``load_aliases`` reading the packaged TOML is the only I/O.
"""
from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any, Mapping

from ingest.deadlines import fold_with_map
from ingest.text import fold, key, squash

Span = tuple[int, int]

# Words that open an agency name (folded); the split heuristic and the generic
# finder both use them. Ambiguous short words must be capitalised to count.
_START = re.compile(
    r"(?:bo|so|ban|van phong|uy ban|ubnd|hdnd|co quan|tong cuc|cuc|hoi dong|thong tan|dai|ngan hang"
    r"|toa an|vien|kiem toan|thanh tra|cong an|to|cac|nhung|tung|thanh vien|chu tich|lanh dao"
    r"|trung tam|phong|quoc hoi|chinh phu|thu tuong|bao hiem|mat tran)(?!\w)"
)
_NEEDS_CAPITAL = {"to", "dai", "vien", "phong", "cuc", "ban"}  # tổ chức, đại, viên, phòng…
_QUALIFIER = re.compile(r"(?: khac)?(?: co)? lien quan$| duoc phan cong(?: phu trach)?$| khac$")
_CLEAN_LEFT = re.compile(r"^[\s\-–•+*]+")
_CLEAN_RIGHT = re.compile(r"[\s;.,:*]+$")


@dataclass(frozen=True)
class Agency:
    name: str
    aliases: tuple[str, ...] = ()
    kind: str = "agency"  # ministry | agency | assembly | local | role | group
    parent: str | None = None
    successor: str | None = None
    not_followed_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Alias:
    """One spelling as a word sequence for matching inside text."""

    words: tuple[str, ...]
    gaps: tuple[frozenset[str], ...]  # punctuation allowed between consecutive words
    canonical: str
    written: str
    abbrev: bool  # one token like "VPCP", "TTg": checked for case and doc-number context
    stop_after: tuple[tuple[str, ...], ...]


@dataclass(frozen=True, eq=False)
class AliasTable:
    version: str
    date: str
    agencies: tuple[Agency, ...]
    index: Mapping[str, str] = field(repr=False)  # key(spelling) -> canonical name
    by_name: Mapping[str, Agency] = field(repr=False)
    by_first_word: Mapping[str, tuple[_Alias, ...]] = field(repr=False)

    def canonical(self, name: str) -> str:
        """Canonical name of any spelling; an unknown name comes back cleaned."""
        cleaned = clean_name(name)
        k = key(cleaned)
        if k in self.index:
            return self.index[k]
        bare = _QUALIFIER.sub("", k)  # "… khác có liên quan" -> the group itself
        return self.index.get(bare, cleaned) if bare != k else cleaned

    def agency(self, name: str) -> Agency | None:
        return self.by_name.get(self.canonical(name))

    def is_group(self, name: str) -> bool:
        found = self.agency(name)
        return found is not None and found.kind == "group"

    def ancestors(self, name: str) -> tuple[str, ...]:
        """Parents of a canonical name, nearest first (cycles cut)."""
        chain: list[str] = []
        current = self.agency(name)
        while current and current.parent and current.parent not in chain:
            chain.append(current.parent)
            current = self.by_name.get(current.parent)
        return tuple(chain)


def clean_name(name: str) -> str:
    """Squash spaces; strip bullets and trailing ";.,:" and markdown stars."""
    return _CLEAN_RIGHT.sub("", _CLEAN_LEFT.sub("", squash(name)))


def _is_abbrev(spelling: str) -> bool:
    return " " not in spelling and sum(c.isupper() for c in spelling) >= 2


def _word_gaps(folded: str) -> tuple[list[str], list[frozenset[str]]]:
    spans = [m.span() for m in re.finditer(r"\w+", folded)]
    words = [folded[a:b] for a, b in spans]
    gaps = [frozenset(c for c in folded[spans[i][1]:spans[i + 1][0]] if not c.isspace() and c != "*")
            for i in range(len(spans) - 1)]
    return words, gaps


def _make_alias(spelling: str, agency: Agency) -> _Alias | None:
    words, gaps = _word_gaps(fold(spelling))
    if not words:
        return None
    stops = tuple(tuple(key(s).split()) for s in agency.not_followed_by)
    return _Alias(tuple(words), tuple(gaps), agency.name, spelling, _is_abbrev(spelling), stops)


def build_table(data: Mapping[str, Any]) -> AliasTable:
    """An AliasTable from parsed TOML; ValueError when one spelling names two agencies."""
    agencies = tuple(
        Agency(name=a["name"], aliases=tuple(a.get("aliases", ())), kind=a.get("kind", "agency"),
               parent=a.get("parent"), successor=a.get("successor"),
               not_followed_by=tuple(a.get("not_followed_by", ())))
        for a in data.get("agency", ())
    )
    index: dict[str, str] = {}
    first: dict[str, list[_Alias]] = {}
    for agency in agencies:
        for spelling in (agency.name, *agency.aliases):
            k = key(spelling)
            if index.setdefault(k, agency.name) != agency.name:
                raise ValueError(f"alias {spelling!r} names both {index[k]!r} and {agency.name!r}")
            alias = _make_alias(spelling, agency)
            if alias:
                first.setdefault(alias.words[0], []).append(alias)
    by_first = {w: tuple(sorted(v, key=lambda a: -len(a.words))) for w, v in first.items()}
    return AliasTable(
        version=str(data.get("version", "")), date=str(data.get("date", "")), agencies=agencies,
        index=MappingProxyType(index), by_name=MappingProxyType({a.name: a for a in agencies}),
        by_first_word=MappingProxyType(by_first),
    )


def parse_table(toml_text: str) -> AliasTable:
    return build_table(tomllib.loads(toml_text))


@lru_cache(maxsize=1)
def load_aliases() -> AliasTable:
    """The packaged alias table (``ingest/data/agencies.toml``)."""
    try:
        resource = resources.files("ingest").joinpath("data", "agencies.toml")
        text = resource.read_text(encoding="utf-8")
    except (NotADirectoryError, TypeError):
        # A stale editable install can expose "ingest" as a namespace package,
        # which importlib.resources cannot read from in Python 3.11.
        text = (Path(__file__).parent / "data" / "agencies.toml").read_text(encoding="utf-8")
    return parse_table(text)


# --- finding known names in text -------------------------------------------------

@dataclass(frozen=True)
class _Words:
    """A text's words in folded form, with spans in the original text."""

    text: str
    folded: str
    idx: tuple[int, ...]
    spans: tuple[Span, ...]  # folded spans
    words: tuple[str, ...]

    @classmethod
    def of(cls, text: str) -> "_Words":
        folded, idx = fold_with_map(text)
        spans = tuple(m.span() for m in re.finditer(r"\w+", folded))
        return cls(text, folded, idx, spans, tuple(folded[a:b] for a, b in spans))

    def orig(self, i: int, j: int) -> Span:
        """Original span of words i..j-1."""
        return self.idx[self.spans[i][0]], self.idx[self.spans[j - 1][1] - 1] + 1


def _fits(w: _Words, i: int, alias: _Alias) -> bool:
    n = len(alias.words)
    if w.words[i:i + n] != alias.words:
        return False
    for k in range(n - 1):  # the text may omit punctuation the alias has, never add it
        gap = w.folded[w.spans[i + k][1]:w.spans[i + k + 1][0]]
        if not {c for c in gap if not c.isspace() and c != "*"} <= alias.gaps[k]:
            return False
    if any(w.words[i + n:i + n + len(s)] == s for s in alias.stop_after):
        return False
    return not alias.abbrev or _abbrev_ok(w, i, alias)


def _abbrev_ok(w: _Words, i: int, alias: _Alias) -> bool:
    """"CP" in "NQ-CP" or "TTg" in "QĐ-TTg" is part of a document number, not a body."""
    a, b = w.orig(i, i + 1)
    before = w.text[a - 1] if a > 0 else " "
    after = w.text[b] if b < len(w.text) else " "
    if before in "-/" or after in "-/":
        return False
    return len(alias.written) > 2 or w.text[a:b] == alias.written


# A head word that is the end of a common word: "cán bộ xây dựng chính sách" (officials who
# draft policy) is not "Bộ Xây dựng", nor is "toàn bộ".
_COMPOUND_BEFORE = {"bo": frozenset({"can", "toan"})}


def _known_matches(w: _Words, table: AliasTable) -> list[tuple[Span, str]]:
    """Known spellings, left to right, the longest at each position."""
    found: list[tuple[Span, str]] = []
    i = 0
    while i < len(w.words):
        hit = next((a for a in table.by_first_word.get(w.words[i], ()) if _fits(w, i, a)), None)
        if hit is None or (i > 0 and w.words[i - 1] in _COMPOUND_BEFORE.get(w.words[i], ())):
            i += 1
            continue
        found.append((w.orig(i, i + len(hit.words)), hit.canonical))
        i += len(hit.words)
    return found


_GENERIC_HEAD = re.compile(r"(?<!\w)(?:Bộ|Sở|Ủy ban|Uỷ ban|Ban|Tổng cục|Cục)(?=[ \t]+\w)")
_CAPWORD = re.compile(r"[ \t]+([^\W\d_]+)")
_JOINER = re.compile(r",[ \t]*|[ \t]+và(?=[ \t])|[ \t]*-(?=[ \t]*[^\W\d_])|")
# First syllables of words that follow a name in prose ("Bộ Y tế chủ trì"): not part of it.
_STOP = frozenset(
    "chu phoi co la cua thuc duoc voi trong theo tai de cho ve da se bao phai can lam thi tham huong"
    " trien kiem xay tiep nhan gui ra va hoac to quy tinh thanh nam tren o chi sau truoc khi ky"
    " neu cung tu ban".split()
)


def _capword_at(text: str, pos: int) -> re.Match[str] | None:
    m = _CAPWORD.match(text, pos)
    if not m or not m.group(1)[0].isupper() or _START.match(fold(text[m.start(1):m.start(1) + 12])):
        return None
    return m


def _generic_end(text: str, pos: int) -> int:
    """End of "<Capitalised word> [one lower syllable]" chunks joined by ",", "và", "-"."""
    end = pos
    while (cap := _capword_at(text, pos)) is not None:
        end = cap.end()
        low = _CAPWORD.match(text, end)
        if low and low.group(1).islower() and fold(low.group(1)) not in _STOP:
            end = low.end()
        joiner = _JOINER.match(text, end)
        pos = joiner.end() if joiner else end
        if pos == end and not _capword_at(text, pos):
            break
    return end


def _generic_matches(text: str) -> list[Span]:
    """Unknown "Bộ X", "Sở X", "Ủy ban X" … in accented text (capitalisation marks the name)."""
    spans = []
    for m in _GENERIC_HEAD.finditer(text):
        end = _generic_end(text, m.end())
        if end > m.end():
            spans.append((m.start(), end))
    return spans


def find_agencies(text: str, table: AliasTable) -> list[tuple[Span, str]]:
    """Agencies mentioned in ``text``: (span, canonical name), in order of position."""
    known = _known_matches(_Words.of(text), table)
    found = list(known)
    for a, b in _generic_matches(text):
        if all(b <= ka or a >= kb for (ka, kb), _ in found):  # known names win
            found.append(((a, b), table.canonical(text[a:b])))
    return sorted(found)


# --- splitting cells ---------------------------------------------------------------

_HARD = re.compile(r";|(?:^|\n)[ \t]*[-–•+][ \t]+")
_SOFT = re.compile(r"[ \t]*,[ \t\n]*(?:và[ \t\n]+)?|[ \t\n]+và[ \t\n]+|[ \t]*\n[ \t\n]*")
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_LIST_HEAD = re.compile(r"^\s*(?:các\s+)?(bộ|sở|ban|ủy ban|uỷ ban)\s*:\s*", re.IGNORECASE)
_LIST_SEP = re.compile(r"\s*,\s*|\s+và\s+")


def _starts_agency(piece: str, pos: int, newline_only: bool, known_starts: set[int]) -> bool:
    """Does the text at ``pos`` begin a new agency name?"""
    if pos in known_starts:
        return True
    rest = piece[pos:pos + 40]
    m = _START.match(fold(rest))
    if not m or not rest:
        return False
    capital = rest[0].isupper()
    if m.group(0) in _NEEDS_CAPITAL and not capital:
        return False
    # A line break inside a wrapped cell ("Bộ Quốc\nphòng") is not a separator.
    return not newline_only or capital or m.group(0) in ("cac", "tung", "nhung")


def _split_piece(piece: str, table: AliasTable) -> list[str]:
    """Split on commas, "và" and line breaks only where a new agency starts."""
    known = [span for span, _ in _known_matches(_Words.of(piece), table)]
    protected = known + [m.span() for m in _BRACKETS.finditer(piece)]
    known_starts = {a for a, _ in known}
    parts, last = [], 0
    for m in _SOFT.finditer(piece):
        if any(m.start() < b and a < m.end() for a, b in protected):
            continue
        newline_only = "," not in m.group(0) and "và" not in m.group(0)
        if _starts_agency(piece, m.end(), newline_only, known_starts):
            parts.append(piece[last:m.start()])
            last = m.end()
    parts.append(piece[last:])
    return parts


def _expand_list(piece: str, table: AliasTable) -> list[str] | None:
    """"Các Bộ: Tài chính, Y tế" -> ["Bộ Tài chính", "Bộ Y tế"] (known names kept whole)."""
    head = _LIST_HEAD.match(piece)
    if not head:
        return None
    prefix = head.group(1).capitalize()
    body = piece[head.end():]
    cuts = [0] + [x for m in _LIST_SEP.finditer(body) for x in m.span()] + [len(body)]
    items = [(cuts[k], cuts[k + 1]) for k in range(0, len(cuts), 2)]
    names, i = [], 0
    while i < len(items):
        j = next((j for j in range(len(items), i + 1, -1)
                  if key(f"{prefix} {body[items[i][0]:items[j - 1][1]]}") in table.index), i + 1)
        names.append(f"{prefix} {clean_name(body[items[i][0]:items[j - 1][1]])}")
        i = j
    return names


def split_agencies(cell: str, table: AliasTable) -> tuple[str, ...]:
    """Agencies of a lead/coordinator cell, as written (cleaned).

    Hard separators: ";", line-start bullets. Commas, "và" and line breaks split
    only where the next words start an agency (Bộ, Sở, Văn phòng, các …) or a
    known spelling, and never inside a known name or brackets, so "Các bộ,
    ngành, địa phương" and "Bộ Văn hóa, Thể thao và Du lịch" stay whole. A list
    "Các Bộ: Tài chính, Y tế" is expanded to "Bộ Tài chính", "Bộ Y tế".
    """
    out: list[str] = []
    for piece in _HARD.split(cell):
        parts = _expand_list(piece, table) or _split_piece(piece, table)
        out.extend(p for p in (clean_name(p) for p in parts) if p)
    return tuple(out)


# --- comparing -------------------------------------------------------------------

def same_agency(a: str, b: str, table: AliasTable) -> bool:
    return key(table.canonical(a)) == key(table.canonical(b))


def _covers(asked: str, found: str, table: AliasTable) -> bool:
    """Is ``found`` the asked agency or one of its sub-bodies ("UBND" covers "UBND tỉnh")?"""
    return key(found) == key(asked) or asked in table.ancestors(found)


@lru_cache(maxsize=100_000)  # a cell is read once, whatever agency is asked about it
def agencies_in(cell: str, table: AliasTable) -> tuple[str, ...]:
    """The canonical names of the agencies a cell mentions, read once per cell."""
    return tuple(canon for _, canon in find_agencies(cell, table))


@lru_cache(maxsize=100_000)  # the same cells are asked about by many questions; all three are immutable
def mentions(agency_canonical: str, cell_agencies: tuple[str, ...], table: AliasTable) -> bool:
    """Does a cell's agency list involve ``agency_canonical``?

    "Bộ Nội vụ" is involved in "Bộ Nội vụ và các cơ quan liên quan"; a generic
    group ("các bộ, ngành, địa phương") involves no specific ministry.
    """
    asked = table.canonical(agency_canonical)
    asked_is_group = table.is_group(asked)
    for part in cell_agencies:
        if _covers(asked, table.canonical(part), table):
            return True
        found = agencies_in(part, table)
        if any(_covers(asked, c, table) for c in found if asked_is_group or not table.is_group(c)):
            return True
        if asked not in table.by_name and f" {key(asked)} " in f" {key(part)} ":
            return True  # an unknown body named inside the part
    return False
