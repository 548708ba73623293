"""The legal grounds before a document's body ("*Căn cứ Luật …;*", "Theo đề nghị của …") say on
what the document rests, never what it requires: they answer only a question about its grounds."""
from __future__ import annotations

import re

from assistant.understand import Question
from ingest.text import fold

# The grounds open with these (folded, emphasis removed): "Căn cứ …", "Theo đề nghị …", "Xét Tờ trình …".
_GROUNDS = re.compile(r"(can cu|theo de nghi|xet de nghi|xet to trinh)\b")
_GROUNDS_LINE = re.compile(r"^[ \t|]*(?:can cu|theo de nghi|xet de nghi|xet to trinh)\b", re.M)
# The body begins at its first article, part or item: a "Căn cứ …" after it is content
# ("Căn cứ chức năng, nhiệm vụ được giao, các sở …").
_BODY_OPENS = re.compile(r"^[ \t|*]*(?:Điều\s+1\b|[IVX]{1,4}\s*\.|\d{1,2}\s*\.\s)", re.M)
GROUNDS_REACH = 1200  # characters back to the statement's opening words
SENTENCE_HEAD = 100  # characters into a sentence where the grounds may begin


def asks_grounds(q: Question) -> bool:
    return _GROUNDS.search(fold(q.text)) is not None


def in_grounds(text: str, at: int) -> bool:
    """Is ``at`` in the legal grounds before the body ("*Căn cứ Luật …;*", "Theo đề nghị của …"),
    a statement that may wrap over several lines and sits before the first article or item?"""
    body = _BODY_OPENS.search(text, 0, at + 1)
    if body is not None and body.start() <= at:
        return False
    lo = max(0, at - GROUNDS_REACH)
    before = fold(re.sub(r"[*_]", "", text[lo:at]))
    here = fold(re.sub(r"[*_]", "", text[at:at + SENTENCE_HEAD]))
    window = before + here
    # An opener a line or two into the sentence counts: the authority line above the grounds
    # ("CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH …") is read as one sentence with them.
    openers = [m for m in _GROUNDS_LINE.finditer(window) if m.start() <= len(window) - 12]
    if not openers:
        return False
    between = window[openers[-1].start():len(before)] if openers[-1].start() < len(before) else ""
    if re.search(r"[;:.]\s*\n|\n\s*\n", between):
        return False  # the statement ended before ``at``
    return True
