"""BM25 keyword index (bm25s) over two fields of each chunk.

- ``folded``: syllables without diacritics plus syllable bigrams, so "so hoa ho so" finds
  "số hóa hồ sơ" and bigrams stand in for Vietnamese compound words; one-letter
  syllables are kept (bm25s's own tokenizer would drop them).
- ``words``: pyvi word segmentation with diacritics ("số_hóa", "hồ_sơ"), used when the
  question is typed with diacritics (sharper: "họp" and "hợp" stay apart).
"""
from __future__ import annotations

import re
import unicodedata
from typing import Sequence

import numpy as np

from ingest.text import fold

_TOKEN = re.compile(r"\w+", re.UNICODE)


def folded_tokens(text: str) -> list[str]:
    syllables = _TOKEN.findall(fold(text))
    return syllables + [a + "_" + b for a, b in zip(syllables, syllables[1:])]


def word_tokens(text: str) -> list[str]:
    from pyvi import ViTokenizer

    segmented = ViTokenizer.tokenize(unicodedata.normalize("NFC", text.lower()))
    return [t for t in segmented.split() if _TOKEN.search(t)]


def has_diacritics(text: str) -> bool:
    return fold(text) != text.lower()


class TokenCache:
    """Both fields' tokens of each chunk text, kept from one index build to the next.

    pyvi segmentation is most of a build (~1 ms a chunk): without the cache, every upload
    re-tokenised the whole corpus before the next question (63 s at 53k chunks)."""

    def __init__(self):
        self._tokens: dict[str, tuple[list[str], list[str]]] = {}

    def tokens(self, texts: Sequence[str]) -> tuple[list[list[str]], list[list[str]]]:
        kept = {}
        for text in texts:
            kept[text] = self._tokens.get(text) or kept.get(text) or (folded_tokens(text) or ["_"], word_tokens(text) or ["_"])
        self._tokens = kept  # texts no longer indexed are forgotten
        return [kept[t][0] for t in texts], [kept[t][1] for t in texts]


class KeywordIndex:
    def __init__(self, texts: Sequence[str], cache: TokenCache | None = None):
        import bm25s

        self.size = len(texts)
        self._folded = bm25s.BM25()
        self._words = bm25s.BM25()
        if texts:
            folded, words = (cache or TokenCache()).tokens(texts)
            self._folded.index(folded, show_progress=False)
            self._words.index(words, show_progress=False)

    def scores(self, query: str) -> np.ndarray:
        """BM25 scores of every chunk (folded field, plus the accented field when useful)."""
        if self.size == 0:
            return np.zeros(0)
        folded = self._folded.get_scores(folded_tokens(query))
        if not has_diacritics(query):
            return np.asarray(folded)
        return np.asarray(folded) + np.asarray(self._words.get_scores(word_tokens(query)))

    def top(self, query: str, k: int) -> list[tuple[int, float]]:
        scores = self.scores(query)
        if scores.size == 0:
            return []
        order = np.argsort(-scores)[:k]
        return [(int(i), float(scores[i])) for i in order if scores[i] > 0]
