"""Passage vectors kept by the hash of their text, one SQLite file per embedding model.

Embedding is the slow part of every ingest (a few passages a second on two cores). A chunk whose
text was embedded before, by any document, is not embedded again: the unchanged chunks of a
document whose parse changed elsewhere (a parser fix moves spans, so the document's vectors are
replaced), a task row repeated across plans, a file uploaded under another name. The cache is
content-addressed, so a stale entry cannot exist; it is filled from the vector store the first
time it is opened beside one that already holds vectors.
"""
from __future__ import annotations

import hashlib
import sqlite3
import threading
from pathlib import Path
from typing import Iterable, Sequence

import numpy as np


def text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, path: Path | None = None):
        self.path = path
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
        self._db = sqlite3.connect(str(path) if path else ":memory:", check_same_thread=False)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("CREATE TABLE IF NOT EXISTS vectors (key TEXT PRIMARY KEY, vector BLOB NOT NULL)")
        self._lock = threading.Lock()

    def __len__(self) -> int:
        with self._lock:
            return self._db.execute("SELECT COUNT(*) FROM vectors").fetchone()[0]

    def get(self, keys: Sequence[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        with self._lock:
            for start in range(0, len(keys), 500):  # SQLite's limit on bound parameters
                part = keys[start : start + 500]
                rows = self._db.execute(
                    f"SELECT key, vector FROM vectors WHERE key IN ({','.join('?' * len(part))})", part).fetchall()
                found.update((k, np.frombuffer(v, dtype=np.float32)) for k, v in rows)
        return found

    def put(self, items: Iterable[tuple[str, np.ndarray]]) -> None:
        rows = [(k, np.asarray(v, dtype=np.float32).tobytes()) for k, v in items]
        with self._lock, self._db:
            self._db.executemany("INSERT OR REPLACE INTO vectors (key, vector) VALUES (?, ?)", rows)

    def embed(self, embedder, texts: Sequence[str], kind: str = "passage") -> np.ndarray:
        """Vectors of ``texts``: cached ones read, the others embedded once each and kept."""
        keys = [text_key(f"{kind}\n{t}") for t in texts]
        known = self.get(list(dict.fromkeys(keys)))
        missing = list(dict.fromkeys(k for k in keys if k not in known))
        if missing:
            by_key = dict(zip(keys, texts))
            fresh = embedder.embed([by_key[k] for k in missing], kind=kind)
            self.put(zip(missing, fresh))
            known.update(zip(missing, (np.asarray(v, dtype=np.float32) for v in fresh)))
        return np.stack([known[k] for k in keys]) if keys else np.zeros((0, 0), dtype=np.float32)

    def seed(self, pairs: Iterable[tuple[str, Sequence[float]]], kind: str = "passage") -> int:
        """Fill the cache from (text, vector) pairs a vector store already holds."""
        items = [(text_key(f"{kind}\n{t}"), np.asarray(v, dtype=np.float32)) for t, v in pairs if t]
        self.put(items)
        return len(items)
