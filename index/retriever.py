"""Hybrid retrieval: dense (Chroma) + BM25 (two fields), fused by reciprocal rank fusion.

The chunk table is held in memory (a few thousand rows at most on one machine) and is
rebuilt when the catalogue changes, detected by a cheap fingerprint of document hashes.
"""
from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np

from index.catalogue import Catalogue
from index.keyword import KeywordIndex, TokenCache, has_diacritics
from index.vectors import VectorIndex

RRF_K = 60


@dataclass(frozen=True)
class ChunkRecord:
    id: str
    doc_id: str
    source: str
    kind: str
    text: str
    section: str
    task_number: str | None
    article: str | None
    start: int
    end: int


@dataclass(frozen=True)
class Hit:
    chunk: ChunkRecord
    rrf: float
    dense: float  # cosine similarity (0 when the dense side did not return it)
    bm25: float
    rank_dense: int | None
    rank_bm25: int | None


class HybridRetriever:
    def __init__(self, catalogue: Catalogue, vectors: VectorIndex, pool: int = 60, tokens: TokenCache | None = None):
        self.catalogue = catalogue
        self.vectors = vectors
        self.pool = pool
        self._lock = threading.Lock()
        self._fingerprint: tuple | None = None
        self.records: list[ChunkRecord] = []
        self._by_id: dict[str, int] = {}
        self._keyword = KeywordIndex([])
        self._tokens = tokens or TokenCache()

    def refresh(self) -> None:
        fingerprint = self.catalogue.version()
        with self._lock:
            if fingerprint == self._fingerprint:
                return
            sources = {row["id"]: row["source"] for row in self.catalogue.documents()}
            self.records = [
                ChunkRecord(r["id"], r["doc_id"], sources.get(r["doc_id"], ""), r["kind"], r["text"], r["section"],
                            r["task_number"], r["article"], r["span_start"], r["span_end"])
                for r in self.catalogue.chunks()
            ]
            self._by_id = {r.id: i for i, r in enumerate(self.records)}
            self._keyword = KeywordIndex([r.text for r in self.records], self._tokens)
            self._fingerprint = fingerprint

    def search(self, query: str, k: int = 10, doc_ids: set[str] | None = None,
               kinds: set[str] | None = None) -> list[Hit]:
        self.refresh()

        def allowed(i: int) -> bool:
            rec = self.records[i]
            return (doc_ids is None or rec.doc_id in doc_ids) and (kinds is None or rec.kind in kinds)

        dense = [(self._by_id[cid], sim) for cid, sim in self.vectors.query(query, self.pool * 2) if cid in self._by_id]
        dense = [(i, s) for i, s in dense if allowed(i)][: self.pool]
        if doc_ids is not None or kinds is not None:
            scores = self._keyword.scores(query)
            keyword = sorted(((i, float(s)) for i, s in enumerate(scores) if s > 0 and allowed(i)),
                             key=lambda x: -x[1])[: self.pool]
        else:
            keyword = self._keyword.top(query, self.pool)
        # Without diacritics the dense side is much weaker than the folded BM25 field.
        dense_weight = 1.0 if has_diacritics(query) else 0.25
        return self._fuse(dense, keyword, dense_weight)[:k]

    def keyword_texts(self, query: str, k: int, doc_ids: set[str] | None = None) -> list[str]:
        """Texts of the chunks keyword search ranks first (folded syllables: accents not needed)."""
        self.refresh()
        scores = self._keyword.scores(query)
        order = [int(i) for i in np.argsort(-scores) if scores[i] > 0
                 and (doc_ids is None or self.records[int(i)].doc_id in doc_ids)] if scores.size else []
        return [self.records[i].text for i in order[:k]]

    def _fuse(self, dense: list[tuple[int, float]], keyword: list[tuple[int, float]], dense_weight: float = 1.0) -> list[Hit]:
        fused: dict[int, dict] = {}
        for rank, (i, sim) in enumerate(dense):
            fused.setdefault(i, {"rrf": 0.0, "dense": 0.0, "bm25": 0.0, "rd": None, "rb": None})
            fused[i].update(dense=sim, rd=rank)
            fused[i]["rrf"] += dense_weight / (RRF_K + rank + 1)
        for rank, (i, score) in enumerate(keyword):
            fused.setdefault(i, {"rrf": 0.0, "dense": 0.0, "bm25": 0.0, "rd": None, "rb": None})
            fused[i].update(bm25=score, rb=rank)
            fused[i]["rrf"] += 1.0 / (RRF_K + rank + 1)
        hits = [Hit(self.records[i], v["rrf"], v["dense"], v["bm25"], v["rd"], v["rb"]) for i, v in fused.items()]
        hits.sort(key=lambda h: -h.rrf)
        return hits
