"""Duties in legal texts: which agency an article or khoản makes responsible for what.

Articles titled "Trách nhiệm của X" (or just "X") give X their khoản; elsewhere a khoản
counts when it opens with an agency followed closely by a duty verb ("X chủ trì, …").
Pure functions over the normalised text and the articles ``ingest.legal`` parsed.
"""
from __future__ import annotations

import re

from ingest.agencies import AliasTable, find_agencies
from ingest.types import Article, Clause, Span

_DUTY_TITLE = re.compile(r"^(?:trách nhiệm|nhiệm vụ)(?:,? (?:và )?(?:nhiệm vụ|quyền hạn|trách nhiệm))* của\s+", re.I)
_DUTY_ARTICLE = re.compile(r"trách nhiệm|nhiệm vụ|tổ chức thực hiện", re.I)
_DUTY_VERB = re.compile(
    r"\b(?:có trách nhiệm|chịu trách nhiệm|chủ trì|phối hợp|có nhiệm vụ|được giao|tham mưu|hướng dẫn"
    r"|chỉ đạo|thực hiện|triển khai|xây dựng|ban hành|bảo đảm|đảm bảo|có thẩm quyền|là cơ quan)\b", re.I)
# What may stand before the subject: "Giao", "Đề nghị", a head's title ("Giám đốc Sở …").
_SUBJECT_LEAD = re.compile(
    r"^(?:(?:giao|đề nghị|yêu cầu|ủy quyền cho|uỷ quyền cho|trách nhiệm của|các|giám đốc|chủ tịch|thủ trưởng"
    r"|bộ trưởng|chánh văn phòng|người đứng đầu|lãnh đạo)\s*)*$", re.I)
_JOIN = re.compile(r"^(?:\s*(?:,|;|và|với|cùng)\s*)*(?:các\s+)?$", re.I)
_BOILERPLATE = re.compile(r"thi hành (?:Nghị định|Quyết định|Thông tư|Nghị quyết|Quy chế|Quy định) này", re.I)
_LABEL = re.compile(r"^[\s*]*(?:\d{1,3}\s?\.|[a-zđ]\s?\))[\s*]*")


def _title_owners(title: str, table: AliasTable) -> list[str]:
    """Agencies an article is about: "Trách nhiệm của X" or a title that is just "X"."""
    m = _DUTY_TITLE.match(title)
    rest = title[m.end():] if m else title
    found = find_agencies(rest, table)
    if not m and sum(e - s for (s, e), _ in found) < 0.8 * len(rest.strip()):
        return []  # "Hiệu lực thi hành" is not an agency
    return list(dict.fromkeys(name for _, name in found))


def _subjects(piece: str, table: AliasTable) -> tuple[list[str], int]:
    """Agencies a duty sentence opens with ("Giao Sở X chủ trì …") and where they end."""
    sentence = re.split(r"[.:]\s|\n\s*\n", piece, maxsplit=1)[0]
    names, reach = [], 0
    for (start, end), name in find_agencies(sentence, table):
        gap = sentence[reach:start]
        if not (_SUBJECT_LEAD.match(gap) if not names else _JOIN.match(gap)):
            break
        names.append(name)
        reach = end
    return list(dict.fromkeys(names)), reach


def _clause_duties(
    text: str, clause: Clause, owners: list[str], loose: bool, table: AliasTable
) -> list[tuple[str, Span]]:
    piece = _LABEL.sub("", text[clause.span[0]:clause.span[1]], count=1)
    if _BOILERPLATE.search(piece):
        return []
    names, reach = _subjects(piece, table)
    verb = _DUTY_VERB.search(piece, reach, reach + 80)
    # The duty verb must follow the subject closely: "X (trong phạm vi …) chủ trì …".
    acts = verb is not None and not re.search(r"[;(]|\n\s*\n", piece[reach:verb.start()])
    if names and (loose or owners or acts):
        return [(name, clause.span) for name in names]
    if owners:
        return [(name, clause.span) for name in owners]
    # A khoản without a subject may still list subjects point by point.
    return [hit for child in clause.children for hit in _clause_duties(text, child, [], loose, table)]


def _body(text: str, article: Article) -> Clause:
    """The article after its heading line(s), as one pseudo-clause."""
    start, end = article.span
    cut = text.find(".", start, end) + 1  # after "Điều N."
    for word in article.title.split():  # then past the title, however it was wrapped
        found = text.find(word, cut, end)
        cut = found + len(word) if found >= 0 else cut
    while cut < end and text[cut] in "* \n\t":
        cut += 1
    return Clause("", (cut, end))


def responsibilities(
    articles: tuple[Article, ...], text: str, table: AliasTable
) -> tuple[tuple[str, str, Span], ...]:
    """(agency canonical, article path "Quy chế > Chương III. … > Điều 12. …", duty span).

    Articles titled "Trách nhiệm của X" (or just "X") give X every khoản, unless a khoản
    names its own subject ("1. Trách nhiệm của Ủy ban nhân dân cấp tỉnh"); elsewhere a
    khoản counts when it opens with an agency followed by a duty verb ("X chủ trì, …").
    """
    out: list[tuple[str, str, Span]] = []
    for article in articles:
        owners = _title_owners(article.title, table)
        loose = bool(_DUTY_ARTICLE.search(article.title))
        label = " > ".join(article.path)
        for clause in article.clauses or (_body(text, article),):
            if clause.span[0] < clause.span[1]:
                out.extend((name, label, span) for name, span in _clause_duties(text, clause, owners, loose, table))
    return tuple(dict.fromkeys(out))
