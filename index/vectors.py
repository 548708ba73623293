"""Chunk vectors in Chroma (cosine), through llama-index's ChromaVectorStore.

Embedded ``PersistentClient`` under the data dir by default; ``CCHC_CHROMA_URL`` switches
to a Chroma server (``HttpClient``) with no other change. Embeddings are always passed
explicitly: Chroma's default embedding function would try to download a model.
"""
from __future__ import annotations

import threading
from urllib.parse import urlparse

import numpy as np

from index.embedder import Embedder
from ingest.types import Chunk


def chroma_client(chroma_url: str | None, path):
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    config = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if chroma_url:
        url = urlparse(chroma_url)
        return chromadb.HttpClient(
            host=url.hostname or "127.0.0.1", port=url.port or 8000, ssl=url.scheme == "https", settings=config
        )
    return chromadb.PersistentClient(path=str(path), settings=config)


# Cosine space; a wider HNSW search than Chroma's default (ef 10): with it, a fresh index of the
# bundled corpus missed 4 of the exact top 120 neighbours, among them the example question's task.
HNSW = {"hnsw:space": "cosine", "hnsw:search_ef": 256, "hnsw:construction_ef": 256, "hnsw:M": 32}


class VectorIndex:
    def __init__(self, client, collection: str, embedder: Embedder):
        from llama_index.core import Settings as LlamaSettings
        from llama_index.vector_stores.chroma import ChromaVectorStore

        LlamaSettings.llm = None  # extractive answers: no LLM, and nothing may download one
        self.embedder = embedder
        name = f"{collection}-{_slug(embedder.name)}"  # a different model never mixes vectors
        self._collection = client.get_or_create_collection(name, metadata=HNSW, embedding_function=None)
        self.store = ChromaVectorStore(chroma_collection=self._collection)
        self._lock = threading.Lock()
        self._cache: dict[str, np.ndarray] = {}

    def replace(self, doc_id: str, source: str, chunks: list[tuple[str, Chunk]], batch: int = 64,
                progress=None) -> None:
        """Drop the document's vectors and add its chunks (re-ingest never duplicates)."""
        from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

        self.remove(doc_id)
        for i in range(0, len(chunks), batch):
            part = chunks[i : i + batch]
            vectors = self.embedder.embed([c.text for _, c in part], kind="passage")
            nodes = [
                TextNode(
                    id_=cid, text=c.text, embedding=vec.tolist(),
                    metadata={"doc_id": doc_id, "source": source, "kind": c.kind,
                              "task_number": c.task_number or "", "article": c.article or "",
                              "section": c.section[:500], "start": c.span[0], "end": c.span[1]},
                    relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=doc_id)},
                )
                for (cid, c), vec in zip(part, vectors)
            ]
            with self._lock:
                self.store.add(nodes)
            if progress:
                progress(len(part))

    def remove(self, doc_id: str) -> None:
        with self._lock:
            self.store.delete(ref_doc_id=doc_id)

    def query(self, text: str, k: int) -> list[tuple[str, float]]:
        return self.query_vector(self._query_vector(text), k)

    def _query_vector(self, text: str) -> np.ndarray:
        """Embed a query once: a follow-up search of the same text reuses the vector."""
        with self._lock:
            cached = self._cache.get(text)
        if cached is None:
            cached = self.embedder.embed([text], kind="query")[0]
            with self._lock:
                self._cache[text] = cached
                while len(self._cache) > 256:
                    self._cache.pop(next(iter(self._cache)))
        return cached

    def query_vector(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """(chunk id, cosine similarity), best first.

        Asked of the collection directly for ids and distances only: llama-index's query also
        fetches every hit's text and metadata, which the retriever holds in memory already, and
        that was most of the 14 ms a query took."""
        result = self._collection.query(query_embeddings=[vector.tolist()], n_results=k, include=["distances"])
        ids, distances = (result.get("ids") or [[]])[0], (result.get("distances") or [[]])[0]
        return [(cid, 1.0 - float(d)) for cid, d in zip(ids, distances)]

    def count(self) -> int:
        return self._collection.count()

    def ids_for(self, doc_id: str) -> list[str]:
        return self._collection.get(where={"doc_id": doc_id}, include=[])["ids"]


def _slug(name: str) -> str:
    keep = "".join(ch if ch.isalnum() else "-" for ch in name.rsplit("/", 1)[-1].lower())
    return keep.strip("-")[:40] or "model"
