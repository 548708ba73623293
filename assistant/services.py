"""Builds the heavy things once, lazily, from the one Settings object."""
from __future__ import annotations

import threading
from functools import cached_property
from pathlib import Path

from assistant.settings import DEFAULT_MODEL, Settings
from ingest.errors import CchcError


class ModelNotBuilt(CchcError):
    def __init__(self, path: Path):
        super().__init__(
            "model_not_built",
            f"Chưa có mô hình nhúng tại {path}. Hãy chạy: cchc model build",
            f"The embedding model is not built at {path}. Run: cchc model build",
        )


def default_model_dir(settings: Settings) -> Path:
    return settings.models_dir / DEFAULT_MODEL


def resolve_model(settings: Settings) -> str:
    """The default name means the folder built by `cchc model build`; anything else is passed on."""
    if settings.embed_model == DEFAULT_MODEL:
        folder = default_model_dir(settings)
        if not (folder / "model.safetensors").exists():
            raise ModelNotBuilt(folder)
        return str(folder)
    return settings.embed_model


class Services:
    def __init__(self, settings: Settings):
        self.settings = settings
        self._lock = threading.RLock()

    @cached_property
    def catalogue(self):
        from index.catalogue import Catalogue

        return Catalogue(self.settings.catalogue_path)

    @cached_property
    def embedder(self):
        from index.embedder import FakeEmbedder, real_embedder

        if self.settings.embedder == "fake":
            return FakeEmbedder()
        return real_embedder(
            resolve_model(self.settings), self.settings.embed_batch_size, self.settings.embed_quantize,
            self.settings.embed_backend,
        )

    @cached_property
    def vectors(self):
        from index.vectors import VectorIndex, chroma_client

        client = chroma_client(self.settings.chroma_url, self.settings.chroma_path)
        return VectorIndex(client, self.settings.collection, self.embedder, self.settings.data_dir / "docstore")

    @cached_property
    def tokens(self):
        """Keyword-index tokens of every chunk, kept on disk: start-up reads them, never re-segments."""
        from index.keyword import TokenCache

        return TokenCache(self.settings.data_dir / "keyword_tokens.sqlite3")

    @cached_property
    def ingestor(self):
        from index.ingestor import Ingestor

        return Ingestor(self.catalogue, lambda: self.vectors, self.settings.max_file_bytes,
                        self.settings.max_chunks_per_doc, self.tokens)

    @cached_property
    def answerer(self):
        from assistant.answerer import build_answerer

        return build_answerer(self)
