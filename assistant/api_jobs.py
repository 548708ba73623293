"""Uploads: safe naming, storage of the original, and background ingest jobs.

Naming. The client's file name is never used as a path. Only its base name is kept
(directories in either slash style are dropped, control and reserved characters removed);
"", "." and ".." are refused. That base name is the document's ``source`` (what citations
show and how documents are identified). The bytes are stored as
``uploads_dir/<doc_id>-<sha256[:16]><ext>``, a name we generate (doc_id is a hash of the
source), so nothing the client sends can point outside uploads_dir.

Overwrite policy. Uploading a file whose base name equals an indexed document's source
is a NEW VERSION of that document: once the new file ingests successfully it replaces the
old one (catalogue rows, vectors and the stored original). If the new version fails to
ingest, the old version stays untouched. Identical content is a no-op ("unchanged").

Jobs run one at a time on a single worker thread, so two uploads never interleave their
writes to the catalogue and the vector index.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
import threading
import time
import unicodedata
import uuid
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from index.catalogue import document_id
from index.ingestor import FileResult
from ingest import errors as ingest_errors
from ingest.readers import SUPPORTED

log = logging.getLogger("cchc.api")

MAX_NAME_CHARS = 180
_RESERVED = set('<>:"|?*')


class UnsafeName(ValueError):
    pass


def safe_source_name(filename: str | None) -> str:
    """The base name of a client-given file name, cleaned; raises UnsafeName if nothing is left."""
    name = unicodedata.normalize("NFC", filename or "")
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(ch for ch in name if ch.isprintable() and ch not in _RESERVED)
    name = " ".join(name.split()).strip()
    if name in ("", ".", "..") or set(name) == {"."}:
        raise UnsafeName(filename or "")
    if len(name) > MAX_NAME_CHARS:  # keep the extension: it selects the reader
        stem, ext = os.path.splitext(name)
        name = stem[: MAX_NAME_CHARS - len(ext)] + ext
    return name


def stored_path(uploads_dir: Path, source: str, data: bytes) -> Path:
    ext = os.path.splitext(source)[1].lower()
    ext = ext if re.fullmatch(r"\.[a-z0-9]{1,8}", ext) else ""
    digest = hashlib.sha256(data).hexdigest()[:16]
    return uploads_dir / f"{document_id(source)}-{digest}{ext}"


def remove_stored(uploads_dir: Path, doc_id: str, keep: Path | None = None) -> None:
    """Delete stored originals of one document (all, or all but ``keep``)."""
    if not re.fullmatch(r"[0-9a-f]{12}", doc_id) or not uploads_dir.is_dir():
        return  # doc ids are hex; anything else is not ours to glob with
    for path in uploads_dir.glob(f"{doc_id}-*"):
        if keep is None or path.resolve() != keep.resolve():
            path.unlink(missing_ok=True)


@dataclass
class FileEntry:
    filename: str  # as the client sent it (shown back, never used as a path)
    source: str | None
    path: Path | None = None
    status: str = "queued"
    error: str | None = None
    result: FileResult | None = None  # the ingestor's report once the file has been read

    @property
    def doc_id(self) -> str | None:
        return self.result.doc_id if self.result else None

    def to_json(self) -> dict:
        r = self.result or FileResult(self.source or self.filename, self.status)
        return {"filename": self.filename, "source": self.source, "status": self.status,
                "doc_id": r.doc_id, "tasks": r.tasks, "articles": r.articles,
                "chunks": r.chunks, "seconds": round(r.seconds, 3), "error": self.error}


@dataclass
class Job:
    id: str
    files: list[FileEntry]
    status: str = "queued"  # queued | running | done | failed
    created_at: float = field(default_factory=time.time)
    finished_at: float | None = None

    def to_json(self) -> dict:
        processed = sum(1 for f in self.files if f.status not in ("queued", "running"))
        return {"id": self.id, "status": self.status, "total": len(self.files), "processed": processed,
                "files": [f.to_json() for f in self.files], "created_at": self.created_at,
                "finished_at": self.finished_at}


class JobRunner:
    """Keeps recent jobs in memory and runs them on one worker thread."""

    def __init__(self, services, uploads_dir: Path, max_jobs: int = 500):
        self.services = services
        self.uploads_dir = uploads_dir
        self.max_jobs = max_jobs
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._pool: ThreadPoolExecutor | None = None

    def shutdown(self) -> None:
        """Finish queued jobs; a later submit (the app started again) makes a new worker."""
        with self._lock:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=True, cancel_futures=False)

    def _worker(self) -> ThreadPoolExecutor:
        with self._lock:
            if self._pool is None:
                self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="cchc-ingest")
            return self._pool

    def get(self, job_id: str) -> dict | None:
        with self._lock:
            job = self._jobs.get(job_id)
            return job.to_json() if job else None

    def submit(self, uploads: list[tuple[str, bytes]]) -> dict:
        """Store each (client filename, bytes) safely and queue the job; returns its JSON."""
        self.uploads_dir.mkdir(parents=True, exist_ok=True)
        entries = [self._prepare(name, data) for name, data in uploads]
        job = Job(uuid.uuid4().hex, entries)
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self.max_jobs:  # forget the oldest jobs
                self._jobs.pop(next(iter(self._jobs)))
            snapshot = job.to_json()
        self._worker().submit(self._run, job)
        return snapshot

    def _prepare(self, filename: str, data: bytes) -> FileEntry:
        shown = " ".join(str(filename).split())[:MAX_NAME_CHARS]
        try:
            source = safe_source_name(filename)
        except UnsafeName:
            return FileEntry(shown, None, status="error",
                             error="tên tệp không hợp lệ; hãy đổi tên tệp / invalid file name; rename the file")
        ext = os.path.splitext(source)[1].lower()
        if ext not in SUPPORTED:  # nothing to store for a type we cannot read
            return FileEntry(shown, source, status="error",
                             error=str(ingest_errors.unsupported_extension(source, ext, SUPPORTED)))
        path = stored_path(self.uploads_dir, source, data)
        tmp = path.with_name(path.name + f".{uuid.uuid4().hex}.part")
        tmp.write_bytes(data)
        os.replace(tmp, path)  # atomic: a reader never sees half a file
        return FileEntry(shown, source, path)

    def _run(self, job: Job) -> None:
        self._set(job, status="running")
        try:
            for entry in job.files:
                if entry.status == "queued":
                    self._ingest_one(entry)
            self._set(job, status="done")
        except Exception:  # the worker must survive anything; the job says what happened
            log.exception("upload job %s failed", job.id)
            with self._lock:
                for entry in job.files:
                    if entry.status in ("queued", "running"):
                        entry.status, entry.error = "error", "lỗi nội bộ khi nạp tệp / internal ingest error"
            self._set(job, status="failed")

    def _ingest_one(self, entry: FileEntry) -> None:
        with self._lock:
            entry.status = "running"
        try:
            result = self.services.ingestor.ingest_bytes(
                entry.path.read_bytes(), entry.source, original_path=str(entry.path.resolve()))
        except Exception:
            log.exception("ingest of %s failed", entry.source)
            result = None
        with self._lock:
            if result is None:
                entry.status, entry.error = "error", f"{entry.source}: lỗi nội bộ khi nạp tệp / internal ingest error"
            else:
                entry.status, entry.error, entry.result = result.status, result.error, result
        self._tidy(entry)

    def _tidy(self, entry: FileEntry) -> None:
        if entry.status in ("added", "updated", "unchanged") and entry.doc_id:
            keep = self._current_original(entry.doc_id) or entry.path
            remove_stored(self.uploads_dir, entry.doc_id, keep=keep)
        elif entry.status == "error" and entry.path is not None:
            # A failed new version must not remove the stored original of the old one.
            doc_id = document_id(entry.source)
            if self._current_original(doc_id) != entry.path.resolve():
                entry.path.unlink(missing_ok=True)

    def _current_original(self, doc_id: str) -> Path | None:
        row = self.services.catalogue.document_row(doc_id)
        return Path(row["original_path"]).resolve() if row and row["original_path"] else None

    def _set(self, job: Job, status: str) -> None:
        with self._lock:
            job.status = status
            if status in ("done", "failed"):
                job.finished_at = time.time()
