"""Chunk vectors in Chroma (cosine), through llama-index's ChromaVectorStore.

Embedded ``PersistentClient`` under the data dir by default; ``CCHC_CHROMA_URL`` switches
to a Chroma server (``HttpClient``) with no other change. Embeddings are always passed
explicitly: Chroma's default embedding function would try to download a model.
"""
from __future__ import annotations

import hashlib
import json
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlparse

import numpy as np

from index.embed_cache import EmbeddingCache

from index.embedder import Embedder
from ingest.types import Chunk

if TYPE_CHECKING:  # llama-index loads lazily (~1 s); only the annotation needs it here
    from llama_index.core.schema import Document


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
    """Chunk vectors of one embedding model, written through llama-index's IngestionPipeline.

    The pipeline's docstore keeps one hash per document (its source name and the digest of its
    chunks), persisted beside the catalogue: a document whose chunks are unchanged is skipped
    without embedding, a changed one has its old vectors deleted before the new ones are added
    (upsert: re-ingest never duplicates)."""

    def __init__(self, client, collection: str, embedder: Embedder, docstore_dir: Path | None = None):
        from llama_index.core import Settings as LlamaSettings
        from llama_index.core.llms import MockLLM

        from index.transforms import BatchedChromaVectorStore

        # Extractive answers: no LLM, and nothing may download one. A MockLLM set directly, as
        # llm=None would make llama-index print "LLM is explicitly disabled" to the terminal.
        LlamaSettings.llm = MockLLM()
        self.embedder = embedder
        name = f"{collection}-{_slug(embedder.name)}"  # a different model never mixes vectors
        self._collection = client.get_or_create_collection(name, metadata=HNSW, embedding_function=None)
        self.store = BatchedChromaVectorStore(chroma_collection=self._collection)
        self.store.max_batch = client.get_max_batch_size()
        self._docstore_path = docstore_dir / f"{name}.json" if docstore_dir else None
        self.docstore = _load_docstore(self._docstore_path)
        self.cache = EmbeddingCache(docstore_dir / f"{name}.vectors.sqlite3" if docstore_dir else None)
        self._seeded = False
        self._lock = threading.Lock()  # the query-vector cache
        self._write_lock = threading.Lock()  # one pipeline run at a time
        self._cache: dict[str, np.ndarray] = {}

    def replace(self, doc_id: str, source: str, chunks: list[tuple[str, Chunk]], batch: int = 64,
                progress=None) -> bool:
        """Upsert the document's chunks; True when they were embedded, False when unchanged."""
        from llama_index.core.ingestion import DocstoreStrategy, IngestionPipeline

        from index.transforms import DocumentChunks, EmbedPassages

        nodes = [_node(doc_id, source, cid, c) for cid, c in chunks]
        document = _document(doc_id, source, nodes)
        with self._write_lock:
            self._seed_cache()
            if self.docstore.get_document_hash(doc_id) and not self.ids_for(doc_id, limit=1):
                self.docstore.delete_document(doc_id, raise_error=False)  # the vectors were lost: redo
            pipeline = IngestionPipeline(
                transformations=[DocumentChunks(nodes), EmbedPassages(self.embedder, self.cache, batch, progress)],
                docstore=self.docstore, vector_store=self.store,
                docstore_strategy=DocstoreStrategy.UPSERTS, disable_cache=True,
            )
            embedded = pipeline.run(documents=[document], store_doc_text=False)
            self._persist_docstore()
        return bool(embedded) or not nodes

    def _seed_cache(self, page: int = 2000) -> None:
        """An index built before the cache existed: its vectors fill the cache once."""
        if self._seeded:
            return
        self._seeded = True
        if len(self.cache) or not self.count():
            return
        for offset in range(0, self.count(), page):
            got = self._collection.get(include=["embeddings", "documents"], limit=page, offset=offset)
            self.cache.seed(zip(got["documents"] or [], got["embeddings"] if got["embeddings"] is not None else []))

    def remove(self, doc_id: str) -> None:
        with self._write_lock:
            self.store.delete(ref_doc_id=doc_id)
            self.docstore.delete_document(doc_id, raise_error=False)
            self._persist_docstore()

    def _persist_docstore(self) -> None:
        if self._docstore_path is not None:
            self._docstore_path.parent.mkdir(parents=True, exist_ok=True)
            self.docstore.persist(str(self._docstore_path))

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

    def ids_for(self, doc_id: str, limit: int | None = None) -> list[str]:
        return self._collection.get(where={"doc_id": doc_id}, include=[], limit=limit)["ids"]


def _node(doc_id: str, source: str, chunk_id: str, chunk: Chunk):
    from llama_index.core.schema import NodeRelationship, RelatedNodeInfo, TextNode

    return TextNode(
        id_=chunk_id, text=chunk.text,
        metadata={"doc_id": doc_id, "source": source, "kind": chunk.kind,
                  "task_number": chunk.task_number or "", "article": chunk.article or "",
                  "section": chunk.section[:500], "start": chunk.span[0], "end": chunk.span[1]},
        relationships={NodeRelationship.SOURCE: RelatedNodeInfo(node_id=doc_id)},
    )


def _document(doc_id: str, source: str, nodes) -> Document:
    """The document as the pipeline's docstore sees it: its hash covers every chunk's id, text
    and metadata, so the same chunks are never embedded twice."""
    from llama_index.core.schema import Document

    digest = hashlib.sha256()
    for node in nodes:
        digest.update(json.dumps([node.id_, node.text, node.metadata], ensure_ascii=False).encode())
    return Document(id_=doc_id, text=source, metadata={"chunks": len(nodes), "digest": digest.hexdigest()})


def _load_docstore(path: Path | None):
    from llama_index.core.storage.docstore import SimpleDocumentStore

    if path is not None and path.exists():
        return SimpleDocumentStore.from_persist_path(str(path))
    return SimpleDocumentStore()


def _slug(name: str) -> str:
    keep = "".join(ch if ch.isalnum() else "-" for ch in name.rsplit("/", 1)[-1].lower())
    return keep.strip("-")[:40] or "model"
