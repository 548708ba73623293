"""BM25 keyword index (bm25s) over two fields of each chunk.

- ``folded``: syllables without diacritics plus syllable bigrams, so "so hoa ho so" finds
  "số hóa hồ sơ" and bigrams stand in for Vietnamese compound words; one-letter
  syllables are kept (bm25s's own tokenizer would drop them).
- ``words``: pyvi word segmentation with diacritics ("số_hóa", "hồ_sơ"), used when the
  question is typed with diacritics (sharper: "họp" and "hợp" stay apart).
"""
from __future__ import annotations

import hashlib
import re
import sqlite3
import threading
import unicodedata
from pathlib import Path
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
    """Both fields' tokens of each chunk text, kept between index builds and, with a ``path``,
    between runs (SQLite, keyed by the text's hash).

    pyvi segmentation is most of a build (~1-6 ms a chunk on two cores): without the cache every
    upload re-tokenised the whole corpus before the next question (63 s at 53k chunks), and every
    start-up did too (70 s for the 297 wild documents). The ingestor tokenises a document's chunks
    when it stores them (``warm``), so the first question after an upload finds them ready."""

    def __init__(self, path: Path | None = None):
        self._tokens: dict[str, tuple[list[str], list[str]]] = {}
        self._db = None
        self._lock = threading.Lock()
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._db = sqlite3.connect(str(path), check_same_thread=False)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("CREATE TABLE IF NOT EXISTS tokens (key TEXT PRIMARY KEY, folded TEXT, words TEXT)")

    def tokens(self, texts: Sequence[str]) -> tuple[list[list[str]], list[list[str]]]:
        kept = {t: self._tokens[t] for t in texts if t in self._tokens}
        kept.update(self._stored([t for t in dict.fromkeys(texts) if t not in kept]))
        fresh = {t: (folded_tokens(t) or ["_"], word_tokens(t) or ["_"]) for t in dict.fromkeys(texts) if t not in kept}
        self._store(fresh)
        kept.update(fresh)
        self._tokens = kept  # texts no longer indexed are forgotten
        return [kept[t][0] for t in texts], [kept[t][1] for t in texts]

    def warm(self, texts: Sequence[str]) -> None:
        """Tokenise and store texts not seen before (called at ingest, off the request path)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self._tokens]
        missing = [t for t in missing if t not in self._stored(missing)]
        self._store({t: (folded_tokens(t) or ["_"], word_tokens(t) or ["_"]) for t in missing})

    def _stored(self, texts: list[str]) -> dict[str, tuple[list[str], list[str]]]:
        if self._db is None or not texts:
            return {}
        by_key = {_key(t): t for t in texts}
        found = {}
        keys = list(by_key)
        with self._lock:
            for i in range(0, len(keys), 500):
                part = keys[i : i + 500]
                rows = self._db.execute(
                    f"SELECT key, folded, words FROM tokens WHERE key IN ({','.join('?' * len(part))})", part).fetchall()
                found.update((by_key[k], (f.split(" "), w.split(" "))) for k, f, w in rows)
        return found

    def _store(self, fresh: dict[str, tuple[list[str], list[str]]]) -> None:
        if self._db is None or not fresh:
            return
        rows = [(_key(t), " ".join(f), " ".join(w)) for t, (f, w) in fresh.items()]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO tokens (key, folded, words) VALUES (?, ?, ?)", rows)


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


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
