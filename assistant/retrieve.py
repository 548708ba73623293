"""Retrieve: hybrid search hits turned into typed Evidence (document, span, section path, task
or article, scores). Later stages read Evidence only, never the index's rows."""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Literal

from assistant.evidence import Doc, DocumentStore
from index.retriever import Hit, HybridRetriever
from ingest.types import Task

EvidenceKind = Literal["task", "article", "prose"]


@dataclass(frozen=True)
class Scores:
    rrf: float  # reciprocal rank fusion of the dense and keyword lists
    dense: float  # cosine similarity (0 when the dense side did not return the chunk)
    bm25: float
    rerank: float = 0.0  # set by the select stage


@dataclass(frozen=True, eq=False)  # compared by identity: two spans of one text are two pieces of evidence
class Evidence:
    doc: Doc
    kind: EvidenceKind
    span: tuple[int, int]
    section: tuple[str, ...]  # heading path, outermost first
    text: str  # the chunk as indexed: document title, section path, body
    task: Task | None
    article: str | None  # "Điều 12"
    scores: Scores
    task_number: str | None = None  # the chunk's task number (kept when its row was not resolved)

    @property
    def section_text(self) -> str:
        return " > ".join(self.section)

    @property
    def heading(self) -> str:
        """An article's own title, else the whole section path (a task row's headings)."""
        return self.section[-1] if self.kind == "article" and self.section else self.section_text

    def with_rerank(self, value: float) -> "Evidence":
        return replace(self, scores=replace(self.scores, rerank=value))


class Retrieval:
    """Search over the hybrid index, answering with Evidence of indexed documents."""

    def __init__(self, retriever: HybridRetriever, docs: DocumentStore):
        self.retriever, self.docs = retriever, docs

    def search(self, text: str, k: int, doc_ids: set[str] | None = None,
               kinds: set[str] | None = None) -> list[Evidence]:
        hits = self.retriever.search(text, k=k, doc_ids=doc_ids, kinds=kinds)
        # A document loaded twice (the same file under two names) gives every passage twice:
        # one piece of evidence each, the first ranked, so copies do not crowd out the rest.
        seen: set[str] = set()
        out = []
        for h in hits:
            if h.chunk.text in seen or (ev := self.evidence(h)) is None:
                continue
            seen.add(h.chunk.text)
            out.append(ev)
        return out

    def keyword_texts(self, text: str, k: int, doc_ids: set[str] | None = None) -> list[str]:
        return self.retriever.keyword_texts(text, k, doc_ids)

    def evidence(self, hit: Hit) -> Evidence | None:
        c = hit.chunk
        doc = self.docs.docs.get(c.doc_id)
        if doc is None:  # removed since the index was read
            return None
        task = self.docs.task_at(c.doc_id, c.start, c.end, c.task_number) if c.kind == "task" else None
        kind: EvidenceKind = c.kind if c.kind in ("task", "article") else "prose"
        return Evidence(doc, kind, (c.start, c.end), split_section(c.section), c.text, task, c.article,
                        Scores(hit.rrf, hit.dense, hit.bm25), c.task_number)


def split_section(section: str | None) -> tuple[str, ...]:
    return tuple(p for p in re.split(r" > ", section or "") if p)
