"""Text in, Document out: metadata, tasks, articles and chunks. Pure."""
from __future__ import annotations

from ingest.boilerplate import body_span
from ingest.chunking import build_chunks
from ingest.legal import parse_articles
from ingest.metadata import extract_metadata
from ingest.tasks import parse_tasks
from ingest.types import Document, ReadText

# Bumped whenever parsing or chunking output changes: stored files are then read again
# on the next ingest instead of being skipped as unchanged.
PIPELINE_VERSION = "16"


def parse_document(read: ReadText, source: str) -> Document:
    text = read.text
    meta = extract_metadata(text)
    year = meta.date.year if meta.date else None
    articles = parse_articles(text)
    tasks = parse_tasks(text, read.tables, year, within=body_span(text))
    chunks = build_chunks(text, meta, tasks, articles)
    return Document(
        source=source, text=text, meta=meta, tasks=tasks, articles=articles,
        chunks=chunks, warnings=read.warnings,
    )
