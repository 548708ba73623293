"""Diacritics put back on a question typed without them, from the words of the passages that
keyword search finds for it. Pure: text in, text out.

On a phone users type "co quan nao chu tri so hoa ho so". Keyword search on folded syllables
still finds the right passages, but the dense model reads unaccented Vietnamese poorly and the
accented keyword field cannot be used. The passages keyword search returns write the same words
with their accents: each folded word pair (then each word) of the question takes the accented
form those passages use most. A word they never use stays as typed.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Iterable

from ingest.text import fold

_WORD = re.compile(r"\w+")


def accent_table(texts: Iterable[str]) -> tuple[dict[tuple[str, str], str], dict[str, str]]:
    """(folded pair -> accented pair, folded word -> accented word): the most frequent forms."""
    pairs: dict[tuple[str, str], Counter] = defaultdict(Counter)
    words: dict[str, Counter] = defaultdict(Counter)
    for text in texts:
        tokens = [t.lower() for t in _WORD.findall(text)]
        for a, b in zip(tokens, tokens[1:]):
            pairs[(fold(a), fold(b))][f"{a} {b}"] += 1
        for t in tokens:
            words[fold(t)][t] += 1
    return ({k: c.most_common(1)[0][0] for k, c in pairs.items()},
            {k: c.most_common(1)[0][0] for k, c in words.items()})


def restore(question: str, texts: Iterable[str]) -> str:
    """The question with the accents the passages give its words (pairs first, then words)."""
    pair_form, word_form = accent_table(texts)
    tokens = _WORD.findall(question)
    out = list(tokens)
    fixed = [False] * len(tokens)
    for i in range(len(tokens) - 1):
        key = (tokens[i].lower(), tokens[i + 1].lower())
        if fold(key[0]) != key[0] or fold(key[1]) != key[1]:
            continue  # typed with accents already
        form = pair_form.get(key)
        if form:
            first, second = form.split(" ")
            if not fixed[i]:
                out[i], fixed[i] = _cased(tokens[i], first), True
            out[i + 1], fixed[i + 1] = _cased(tokens[i + 1], second), True
    for i, token in enumerate(tokens):
        if not fixed[i] and token.lower() in word_form and fold(token) == token.lower():
            out[i] = _cased(token, word_form[token.lower()])
    return _rejoin(question, tokens, out)


def _cased(typed: str, form: str) -> str:
    return form.upper() if typed.isupper() and len(typed) > 1 else form.capitalize() if typed[:1].isupper() else form


def _rejoin(question: str, tokens: list[str], out: list[str]) -> str:
    """The question's own spacing and punctuation, its words replaced."""
    parts, pos = [], 0
    for token, new in zip(tokens, out):
        at = question.index(token, pos)
        parts.append(question[pos:at] + new)
        pos = at + len(token)
    return "".join(parts) + question[pos:]
