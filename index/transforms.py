"""llama-index parts of our IngestionPipeline (index/vectors.py): the structural chunks of a
document, their passage vectors from our Embedder, and a Chroma store that writes in batches
Chroma accepts. Imported lazily (llama-index takes ~1 s to import)."""
from __future__ import annotations

from llama_index.core.schema import TransformComponent
from llama_index.vector_stores.chroma import ChromaVectorStore
from pydantic import PrivateAttr

from index.embed_cache import EmbeddingCache
from index.embedder import Embedder


class DocumentChunks(TransformComponent):
    """Document -> its structural chunks (parsed beforehand by ingest/: one task, one article
    part or one prose block per node), for the documents the docstore found new or changed."""

    _nodes: list = PrivateAttr()

    def __init__(self, nodes: list):
        super().__init__()
        self._nodes = nodes

    def __call__(self, documents, **kwargs):
        wanted = {d.id_ for d in documents}
        return [n for n in self._nodes if n.ref_doc_id in wanted]


class EmbedPassages(TransformComponent):
    """Passage vectors from our Embedder (its own prompts and backend), in batches, through the
    cache of vectors by text (index/embed_cache.py): a text embedded before is not embedded again."""

    _embedder: Embedder = PrivateAttr()
    _cache: EmbeddingCache = PrivateAttr()
    _batch: int = PrivateAttr()
    _progress: object = PrivateAttr()

    def __init__(self, embedder: Embedder, cache: EmbeddingCache, batch: int, progress=None):
        super().__init__()
        self._embedder, self._cache, self._batch, self._progress = embedder, cache, batch, progress

    def __call__(self, nodes, **kwargs):
        for i in range(0, len(nodes), self._batch):
            part = nodes[i : i + self._batch]
            for node, vector in zip(part, self._cache.embed(self._embedder, [n.text for n in part], "passage")):
                node.embedding = vector.tolist()
            if self._progress:
                self._progress(len(part))
        return nodes


class BatchedChromaVectorStore(ChromaVectorStore):
    """``add`` in batches of the client's largest size: llama-index sends up to 41,665 rows at
    once, more than Chroma accepts (5,461 here), and a document of ~10k chunks failed to store."""

    max_batch: int = 5000

    def add(self, nodes, **kwargs):
        ids = []
        for start in range(0, len(nodes), self.max_batch):
            ids += ChromaVectorStore.add(self, nodes[start : start + self.max_batch], **kwargs)
        return ids
