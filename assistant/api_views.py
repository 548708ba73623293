"""Catalogue rows -> JSON-ready dicts for the API (pure functions, no FastAPI)."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from assistant.api_errors import ApiError
from assistant.lookup import filter_tasks, task_to_json
from index.catalogue import meta_from_json
from ingest.text import fold
from ingest.types import Task


def _iso(value) -> str | None:
    return value.isoformat() if isinstance(value, date) else value


def document_summary(row) -> dict:
    """``has_original`` is None when unknown (Catalogue.documents() does not select the path)."""
    meta = meta_from_json(row["meta"])
    known = "original_path" in row.keys()
    original = row["original_path"] if known else None
    return {
        "id": row["id"], "source": row["source"], "type": meta.doc_type, "number": meta.number,
        "date": _iso(meta.date), "title": meta.title, "issuer": meta.issuer, "fmt": row["fmt"],
        "ingested_at": row["ingested_at"], "tasks": row["n_tasks"], "articles": row["n_articles"],
        "chunks": row["n_chunks"], "has_original": bool(original and Path(original).is_file()) if known else None,
    }


def meta_json(raw: str) -> dict:
    meta = meta_from_json(raw)
    return {
        "doc_type": meta.doc_type, "number": meta.number, "issuer": meta.issuer, "place": meta.place,
        "date": _iso(meta.date), "title": meta.title, "signer": meta.signer, "signer_title": meta.signer_title,
        "effective": meta.effective, "recipients": list(meta.recipients), "plan_title": meta.plan_title,
        "relations": [{"kind": r.kind, "target": r.target, "start": r.quote_span[0], "end": r.quote_span[1]}
                      for r in meta.relations],
    }


def article_json(row) -> dict:
    return {"number": row["number"], "title": row["title"], "path": list(json.loads(row["path"])),
            "part": row["part"], "start": row["span_start"], "end": row["span_end"]}


def span_view(doc_id: str, source: str, text: str, start: int | None, end: int | None, context: int) -> dict:
    """The whole text, plus the span [start, end) and its surroundings when both are given."""
    out = {"id": doc_id, "source": source, "length": len(text), "text": text}
    if start is None and end is None:
        return out
    if start is None or end is None or not 0 <= start <= end <= len(text):
        raise ApiError(422, "invalid_span",
                       f"đoạn trích không hợp lệ: cần 0 ≤ start ≤ end ≤ {len(text)}",
                       f"invalid span: need 0 <= start <= end <= {len(text)}")
    out.update(start=start, end=end, before=text[max(0, start - context):start], quote=text[start:end],
               after=text[end:end + context])
    return out


def task_span_view(doc_id: str, source: str, text: str, task: Task, context: int) -> dict:
    """A task row with its span and up to ``context`` characters either side. The context starts
    after the first line break inside that window and stops at the last one, so it reads as whole
    lines (a task table's neighbouring rows); a window without a line break is cut where it falls."""
    start, end = task.span
    low, high = max(0, start - context), min(len(text), end + context)
    if low > 0:
        cut = text.find("\n", low, start)
        low = cut + 1 if cut != -1 else low
    if high < len(text):
        cut = text.rfind("\n", end, high)
        high = cut if cut != -1 else high
    return {"id": doc_id, "source": source, "length": len(text), "task": task_to_json(source, task),
            "start": start, "end": end, "before": text[low:start], "quote": text[start:end],
            "after": text[end:high]}


def search_tasks(catalogue, agency: str | None, due_from: date | None, due_to: date | None,
                 q: str | None, doc: str | None) -> list[tuple[str, Task]]:
    """(source, task) rows matching the filters; every word of ``q`` must appear (accents aside)
    in the description, the agencies or the product."""
    rows = filter_tasks(catalogue, agency=agency or None, due_from=due_from, due_to=due_to, doc=doc or None)
    words = fold(q or "").lower().split()
    if not words:
        return rows

    def haystack(task: Task) -> str:
        return fold(" ".join([task.description, *task.lead, *task.coordinate, task.product or ""])).lower()

    return [(src, t) for src, t in rows if all(w in haystack(t) for w in words)]
