"""Ingest files: read, parse, embed, store. The only place that joins ingest/ to the stores.

Order matters for crash safety: vectors are upserted first (index/vectors.py, llama-index's
IngestionPipeline) and the catalogue row (with the content hash) is committed last, in one
transaction. A run killed in between leaves the old hash in the catalogue, so the next run
reads that file again; the pipeline's docstore then finds its chunks already embedded.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Callable, Iterable

from index.catalogue import Catalogue, chunk_id, document_id
from ingest.errors import CchcError, IngestError, file_too_large, too_many_chunks
from ingest.pipeline import PIPELINE_VERSION, parse_document
from ingest.readers import SUPPORTED, read_bytes

if TYPE_CHECKING:
    from index.keyword import TokenCache
    from index.vectors import VectorIndex


@dataclass(frozen=True)
class FileResult:
    source: str
    status: str  # "added" | "updated" | "unchanged" | "error"
    doc_id: str | None = None
    tasks: int = 0
    articles: int = 0
    chunks: int = 0
    seconds: float = 0.0
    error: str | None = None


@dataclass
class IngestReport:
    results: list[FileResult] = field(default_factory=list)

    def count(self, status: str) -> int:
        return sum(1 for r in self.results if r.status == status)

    @property
    def errors(self) -> list[FileResult]:
        return [r for r in self.results if r.status == "error"]

    @property
    def tasks(self) -> int:
        return sum(r.tasks for r in self.results if r.status != "error")


def expand_paths(paths: Iterable[Path | str]) -> list[Path]:
    """Files as given, and every supported file under given folders (sorted)."""
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files += sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUPPORTED)
        else:
            files.append(path)
    return files


class Ingestor:
    def __init__(self, catalogue: Catalogue, vectors: Callable[[], "VectorIndex"], max_bytes: int,
                 max_chunks: int = 10_000, tokens: "TokenCache | None" = None):
        self.catalogue = catalogue
        self.tokens = tokens  # keyword tokens made here, so no question waits for them
        self.max_chunks = max_chunks  # checked before embedding, which takes ~0.3 s a chunk
        # Made on the first file that changed: a re-ingest of unchanged files never loads
        # Chroma and llama-index (~1.4 s of imports).
        self._vectors = vectors
        self.max_bytes = max_bytes

    @property
    def vectors(self) -> "VectorIndex":
        return self._vectors()

    def ingest_paths(self, paths: Iterable[Path | str], on_file: Callable[[FileResult], None] | None = None) -> IngestReport:
        report = IngestReport()
        for path in expand_paths(paths):
            result = self.ingest_file(path)
            report.results.append(result)
            if on_file:
                on_file(result)
        return report

    def ingest_file(self, path: Path, source: str | None = None) -> FileResult:
        source = source or path.name
        try:
            if not path.exists():
                raise IngestError(source, "not_found", "không tìm thấy tệp; hãy kiểm tra đường dẫn",
                                  "file not found; check the path")
            size = path.stat().st_size
            if size > self.max_bytes:  # checked before reading the whole file
                raise file_too_large(source, size, self.max_bytes)
            return self.ingest_bytes(path.read_bytes(), source, original_path=str(path))
        except CchcError as err:
            return FileResult(source, "error", error=str(err))

    def ingest_bytes(self, data: bytes, source: str, original_path: str | None = None) -> FileResult:
        started = time.perf_counter()
        # The file's hash and the pipeline version: a file is read again when either changes.
        sha = f"{hashlib.sha256(data).hexdigest()}:{PIPELINE_VERSION}"
        previous = self.catalogue.sha256_of(source)
        if previous == sha:
            return FileResult(source, "unchanged", document_id(source), seconds=time.perf_counter() - started)
        try:
            read = read_bytes(data, source, max_bytes=self.max_bytes)
            doc = parse_document(read, source)
        except CchcError as err:
            return FileResult(source, "error", error=str(err))
        except Exception as err:  # a parser bug must not stop the batch
            return FileResult(source, "error", error=f"{source}: lỗi phân tích ({err!r}) / parse failure")
        if len(doc.chunks) > self.max_chunks:
            return FileResult(source, "error", error=str(too_many_chunks(source, len(doc.chunks), self.max_chunks)))
        doc_id = document_id(source)
        self.vectors.replace(doc_id, source, [(chunk_id(doc_id, i), c) for i, c in enumerate(doc.chunks)])
        self.catalogue.upsert(doc, sha, read.fmt, original_path)
        if self.tokens is not None:
            self.tokens.warm([c.text for c in doc.chunks])
        return FileResult(
            source, "updated" if previous else "added", doc_id, len(doc.tasks), len(doc.articles),
            len(doc.chunks), time.perf_counter() - started,
        )

    def remove(self, doc_id_or_source: str) -> str | None:
        row = self.catalogue.document_row(doc_id_or_source)
        if row is None:
            return None
        self.vectors.remove(row["id"])
        return self.catalogue.remove(row["id"])
