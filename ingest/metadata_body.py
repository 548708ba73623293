"""What the body of a document states up to its signature: signer, effect, relations, plan title."""
from __future__ import annotations

import re
from bisect import bisect_left

from ingest.metadata_view import DATE_SLASH, DATE_WORDS, DOC, View, mkdate, number_at, rx
from ingest.text import squash
from ingest.types import Span

_ROLE = re.compile(r"(TM|KT|TL|TUQ|Q|T/M|K/T)\.?\s")
_POSITION = re.compile(r"(PHÓ |Q\. )?(CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|THỨ TRƯỞNG|GIÁM ĐỐC|TRƯỞNG"
                       r"|TỔ TRƯỞNG|CHÁNH|BÍ THƯ|TỔNG|CỤC TRƯỞNG|VỤ TRƯỞNG|CHỦ NHIỆM|PHÓ)\b")
_POSITION_LINE = re.compile(r"(?m)^[ \t|]*(?:PHÓ |Q\. )?(?:CHỦ TỊCH|THỦ TƯỚNG|BỘ TRƯỞNG|THỨ TRƯỞNG|GIÁM ĐỐC"
                            r"|CỤC TRƯỞNG|VỤ TRƯỞNG|CHỦ NHIỆM|TỔNG CỤC TRƯỞNG)\b[A-ZĐÀ-Ỹ \t]*$")
_EFFECT = rx(r"nay co hieu luc(?: thi hanh)?(?: ke)? tu (?:ngay )?(ky(?: ban hanh)?\b|ban hanh\b"
             r"|\d{1,2} thang \d{1,2} nam \d{4}|\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4})")
_PLAN = rx(r"ban hanh kem theo " + DOC + r" nay "
           r"(ke hoach|quy che|quy dinh|chuong trinh|de an|quy trinh|danh muc|dieu le)\b")
_RELATION = rx(r"\b(thay the|bai bo|sua doi,? bo sung|het hieu luc)\b")
_KINDS = {"thay the": "replaces", "bai bo": "repeals", "het hieu luc": "repeals"}
_TARGET = rx(DOC + r" so ")
_OWN = rx(r"\b" + DOC + r" nay\b")
_SENTENCE_END = re.compile(r"[.;](?=\s|$)")
_PIECE = re.compile(r"(?:[^|/\n]|(?<! )/|/(?! ))+")  # split at "|" and " / " (docx cell lines)


def _pieces(v: View, a: int, lines: int = 60):
    for n, (la, lb) in enumerate(v.lines(a, len(v.s))):
        if n >= lines:
            return
        for m in _PIECE.finditer(v.s, la, lb):
            piece = m.group()
            x = m.start() + len(piece) - len(piece.lstrip())
            yield x, max(x, m.start() + len(piece.rstrip()))


def _is_name(p: str) -> bool:
    words = p.split()
    return 2 <= len(words) <= 5 and all(w.isalpha() and w[0].isupper() and w[1:].islower() for w in words)


def _is_caps_title(p: str) -> bool:
    return sum(c.isalpha() for c in p) >= 2 and p.isupper() and all(c.isalpha() or c in " .-&/" for c in p)


def find_signature(v: View, start: int):
    """-> (signer span, title part spans) from the block after "Nơi nhận:" (or a TM./KT. line)."""
    m = re.compile(r"(?m)^[^\w\n]*noi nhan[ \t]*:").search(v.f, start)
    m = m or re.compile(r"(?m)^[ \t|]*(?:TM|KT|TL|TUQ)\. [A-ZĐ]").search(v.s, start)
    lines = 60
    if m is None:  # no distribution list nor role line: the last position line ("THỨ TRƯỞNG") and the name under it
        m = next(reversed(list(_POSITION_LINE.finditer(v.s, start))), None)
        lines = 4
    parts: list[tuple[int, int]] = []
    for x, y in _pieces(v, m.start(), lines) if m else ():
        piece = v.s[x:y]
        if v.f.startswith("noi nhan", x) or piece[:1] in "-+•":
            tail = re.split(r"[:;]", piece)[-1]  # pdf puts the title after a recipient: "…; CHỦ TỊCH"
            if tail != piece and len(tail.split()) >= 2 and _is_caps_title(tail.strip()):
                parts.append((y - len(tail.lstrip()), y))
        elif _is_name(piece.rstrip(".")):
            return (x, x + len(piece.rstrip("."))), parts
        elif _is_caps_title(piece):
            parts.append((x, y))
        elif re.match(r"phu luc|dieu \d|mau so|\(kem theo|\(ban hanh", v.f[x:y]):
            break
    return None, parts


def join_signer_title(v: View, parts: list[tuple[int, int]]) -> str | None:
    """Join title lines: a wrapped "TM. ỦY BAN / NHÂN DÂN" joins, each role starts anew."""
    out: list[str] = []
    for x, y in parts:
        piece = squash(v.s[x:y])
        if out and out[-1].startswith("TM.") and not _ROLE.match(piece + " ") and not _POSITION.match(piece):
            out[-1] += " " + piece
        else:
            out.append(piece)
    return " / ".join(out) or None


def find_effective(v: View, a: int, b: int) -> tuple[str | None, Span | None]:
    """"<Quyết định> này có hiệu lực (thi hành) (kể) từ ngày ký | <date>" -> value, span."""
    m = _EFFECT.search(v.f, a, b)
    what = m.group(1) if m else ""
    if what.startswith(("ky", "ban")):
        return ("kể từ ngày ký" if what.startswith("ky") else "kể từ ngày ban hành"), m.span()
    found = DATE_WORDS.match("ngay " + what) or DATE_SLASH.match(what)
    when = mkdate(*found.groups()) if found else None
    return (when.isoformat(), m.span()) if when else (None, None)


def _opens(prefix: str) -> bool:
    """Is the verb the first word of its sentence ("Điều 2. Bãi bỏ", "3. Thay thế", "a) …")?"""
    lead = re.sub(r"[\W_]+", " ", prefix).strip()
    return re.fullmatch(r"(dieu \d+[a-z]?)?( ?(\d+|[a-z]))?", lead) is not None


def find_relations(v: View, a: int, b: int) -> list[tuple[str, str, int, int]]:
    """Replaces/repeals/amends stated by this document itself, not every mention.

    The verb must open its sentence ("Điều 2. Bãi bỏ …") or share it with "<Quyết định> này"
    (the effect article: "… có hiệu lực … và thay thế Quyết định số N"); amends must open it.
    """
    found: list[tuple[str, str, int, int]] = []
    ends = [m.start() for m in _SENTENCE_END.finditer(v.f, a, b)]
    for m in _RELATION.finditer(v.f, a, b):
        k = bisect_left(ends, m.start())
        s0 = max(ends[k - 1] + 1 if k else a, m.start() - 600)
        s1 = min(ends[k] if k < len(ends) else b, m.end() + 600)
        verb, opens = " ".join(m.group(1).split()), _opens(v.f[s0:m.start()])
        if v.f[s0:s1].lstrip().startswith(("can cu", "theo de nghi")) \
                or not (opens or verb in _KINDS and _OWN.search(v.f, s0, s1)):
            continue
        lo, hi = (s0, m.start()) if verb == "het hieu luc" else (m.end(), s1)
        for t in _TARGET.finditer(v.f, lo, hi):
            num = number_at(v, t.end())
            if num and all(num[0] != f[1] for f in found):
                quote = (num[1], m.end()) if verb == "het hieu luc" else (m.start(), num[2])
                found.append((_KINDS.get(verb, "amends"), num[0], *quote))
    return found


def find_plan_title(v: View, a: int, b: int) -> tuple[int, int] | None:
    """"Ban hành kèm theo Quyết định này Kế hoạch …" -> span of "Kế hoạch …"."""
    m = _PLAN.search(v.f, a, b)
    end = _SENTENCE_END.search(v.f, m.start(2), min(b, m.start(2) + 600)) if m else None
    return (m.start(2), end.start() if end else min(b, m.start(2) + 300)) if m else None
