"""The SQLite catalogue: documents (content hash, metadata, text), tasks, articles, chunks.

One transaction per document, so an ingest killed at any point leaves either the old
rows or the new ones, never half of each. Re-ingesting an unchanged file is a no-op.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from dataclasses import asdict
from datetime import date
from pathlib import Path
from typing import Iterator

from ingest.types import Deadline, Document, DocumentMeta, Relation, Task

SCHEMA = """
CREATE TABLE IF NOT EXISTS documents (
    id TEXT PRIMARY KEY, source TEXT UNIQUE NOT NULL, sha256 TEXT NOT NULL,
    fmt TEXT, meta TEXT NOT NULL, text TEXT NOT NULL, ingested_at TEXT NOT NULL,
    original_path TEXT
);
CREATE TABLE IF NOT EXISTS tasks (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, ordinal INTEGER NOT NULL,
    number TEXT NOT NULL, section TEXT NOT NULL, description TEXT NOT NULL,
    lead TEXT NOT NULL, coordinate TEXT NOT NULL, deadline TEXT, due_start TEXT, due_end TEXT,
    product TEXT, extra TEXT NOT NULL, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL,
    PRIMARY KEY (doc_id, ordinal)
);
CREATE TABLE IF NOT EXISTS articles (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE, ordinal INTEGER NOT NULL,
    number TEXT NOT NULL, title TEXT NOT NULL, path TEXT NOT NULL, part TEXT,
    span_start INTEGER NOT NULL, span_end INTEGER NOT NULL, PRIMARY KEY (doc_id, ordinal)
);
CREATE TABLE IF NOT EXISTS chunks (
    id TEXT PRIMARY KEY, doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    ordinal INTEGER NOT NULL, kind TEXT NOT NULL, text TEXT NOT NULL, section TEXT NOT NULL,
    task_number TEXT, article TEXT, span_start INTEGER NOT NULL, span_end INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS relations (
    doc_id TEXT NOT NULL REFERENCES documents(id) ON DELETE CASCADE,
    kind TEXT NOT NULL, target TEXT NOT NULL, span_start INTEGER, span_end INTEGER
);
CREATE INDEX IF NOT EXISTS tasks_doc ON tasks(doc_id);
CREATE INDEX IF NOT EXISTS chunks_doc ON chunks(doc_id);
-- Telegram reminders: which chat follows which agency (canonical name). Created on open like the
-- rest, so a catalogue made before it gains the table; documents never reference it.
CREATE TABLE IF NOT EXISTS subscriptions (
    chat_id INTEGER NOT NULL, agency TEXT NOT NULL, as_written TEXT NOT NULL, created_at TEXT NOT NULL,
    PRIMARY KEY (chat_id, agency)
);
"""


def document_id(source: str) -> str:
    """Stable id from the file name (citations compare by file name)."""
    import hashlib

    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:12]


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, default=str)


def meta_to_json(meta: DocumentMeta) -> str:
    return _json(asdict(meta))


def meta_from_json(raw: str) -> DocumentMeta:
    data = json.loads(raw)
    data["date"] = date.fromisoformat(data["date"]) if data.get("date") else None
    data["recipients"] = tuple(data.get("recipients") or ())
    data["relations"] = tuple(
        Relation(r["kind"], r["target"], tuple(r["quote_span"])) for r in data.get("relations") or ()
    )
    data["spans"] = tuple((name, tuple(span)) for name, span in data.get("spans") or ())
    known = DocumentMeta.__dataclass_fields__
    return DocumentMeta(**{k: v for k, v in data.items() if k in known})


def task_from_row(row: sqlite3.Row) -> Task:
    deadline = None
    if row["deadline"] is not None:
        d = json.loads(row["deadline"])
        deadline = Deadline(
            d["text"],
            date.fromisoformat(d["start"]) if d.get("start") else None,
            date.fromisoformat(d["end"]) if d.get("end") else None,
            d.get("kind", "unknown"),
        )
    return Task(
        number=row["number"], section=tuple(json.loads(row["section"])), description=row["description"],
        lead=tuple(json.loads(row["lead"])), coordinate=tuple(json.loads(row["coordinate"])),
        deadline=deadline, product=row["product"], span=(row["span_start"], row["span_end"]),
        extra=tuple(tuple(x) for x in json.loads(row["extra"])),
    )


class Catalogue:
    """Thread-safe access to the SQLite catalogue (one connection, serialised)."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._conn = sqlite3.connect(str(path), check_same_thread=False, isolation_level=None)
        self._conn.row_factory = sqlite3.Row
        self._conn.execute("PRAGMA foreign_keys = ON")
        self._conn.execute("PRAGMA journal_mode = WAL") if str(path) != ":memory:" else None
        self._conn.executescript(SCHEMA)
        self._lock = threading.RLock()
        self._writes = 0

    def version(self) -> tuple[int, int]:
        """Changes whenever any connection writes: cheap to poll before each question."""
        with self._lock:
            return self._writes, self._conn.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        self._conn.close()

    # -- writing -------------------------------------------------------------------------
    def sha256_of(self, source: str) -> str | None:
        row = self._query_one("SELECT sha256 FROM documents WHERE source = ?", (source,))
        return row["sha256"] if row else None

    def upsert(self, doc: Document, sha256: str, fmt: str, original_path: str | None = None) -> str:
        """Replace every row of ``doc.source`` in one transaction; return the document id."""
        doc_id = document_id(doc.source)
        with self._lock:
            cur = self._conn.cursor()
            cur.execute("BEGIN IMMEDIATE")
            try:
                cur.execute("DELETE FROM documents WHERE id = ?", (doc_id,))
                cur.execute(
                    "INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, datetime('now'), ?)",
                    (doc_id, doc.source, sha256, fmt, meta_to_json(doc.meta), doc.text, original_path),
                )
                self._insert_rows(cur, doc_id, doc)
                cur.execute("COMMIT")
                self._writes += 1
            except BaseException:
                cur.execute("ROLLBACK")
                raise
        return doc_id

    def _insert_rows(self, cur: sqlite3.Cursor, doc_id: str, doc: Document) -> None:
        cur.executemany(
            "INSERT INTO tasks VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
            [_task_row(doc_id, i, t) for i, t in enumerate(doc.tasks)],
        )
        cur.executemany(
            "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?)",
            [(doc_id, i, a.number, a.title, _json(list(a.path)), a.part, a.span[0], a.span[1])
             for i, a in enumerate(doc.articles)],
        )
        cur.executemany(
            "INSERT INTO chunks VALUES (?,?,?,?,?,?,?,?,?,?)",
            [(chunk_id(doc_id, i), doc_id, i, c.kind, c.text, c.section, c.task_number, c.article,
              c.span[0], c.span[1]) for i, c in enumerate(doc.chunks)],
        )
        cur.executemany(
            "INSERT INTO relations VALUES (?,?,?,?,?)",
            [(doc_id, r.kind, r.target, r.quote_span[0], r.quote_span[1]) for r in doc.meta.relations],
        )

    def remove(self, doc_id_or_source: str) -> str | None:
        row = self.document_row(doc_id_or_source)
        if row is None:
            return None
        with self._lock:
            self._conn.execute("DELETE FROM documents WHERE id = ?", (row["id"],))
            self._writes += 1
        return row["id"]

    # -- reading -------------------------------------------------------------------------
    def _query(self, sql: str, params=()) -> list[sqlite3.Row]:
        with self._lock:
            return self._conn.execute(sql, params).fetchall()

    def _query_one(self, sql: str, params=()) -> sqlite3.Row | None:
        rows = self._query(sql, params)
        return rows[0] if rows else None

    def document_row(self, doc_id_or_source: str) -> sqlite3.Row | None:
        return self._query_one(
            "SELECT * FROM documents WHERE id = ? OR source = ?", (doc_id_or_source, doc_id_or_source)
        )

    def documents(self) -> list[sqlite3.Row]:
        return self._query(
            "SELECT d.id, d.source, d.sha256, d.fmt, d.meta, d.ingested_at, "
            "(SELECT COUNT(*) FROM tasks t WHERE t.doc_id = d.id) AS n_tasks, "
            "(SELECT COUNT(*) FROM articles a WHERE a.doc_id = d.id) AS n_articles, "
            "(SELECT COUNT(*) FROM chunks c WHERE c.doc_id = d.id) AS n_chunks "
            "FROM documents d ORDER BY d.source"
        )

    def tasks(self, doc_id: str | None = None) -> Iterator[tuple[str, int, Task]]:
        sql = "SELECT * FROM tasks" + (" WHERE doc_id = ?" if doc_id else "") + " ORDER BY doc_id, ordinal"
        for row in self._query(sql, (doc_id,) if doc_id else ()):
            yield row["doc_id"], row["ordinal"], task_from_row(row)

    def articles(self, doc_id: str | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM articles" + (" WHERE doc_id = ?" if doc_id else "") + " ORDER BY doc_id, ordinal"
        return self._query(sql, (doc_id,) if doc_id else ())

    def chunks(self, doc_id: str | None = None) -> list[sqlite3.Row]:
        sql = "SELECT * FROM chunks" + (" WHERE doc_id = ?" if doc_id else "") + " ORDER BY doc_id, ordinal"
        return self._query(sql, (doc_id,) if doc_id else ())

    def relations(self) -> list[sqlite3.Row]:
        return self._query("SELECT r.*, d.source FROM relations r JOIN documents d ON d.id = r.doc_id")

    # -- reminder subscriptions -------------------------------------------------------------
    # Not counted in version(): following an agency changes no answer, so it must not make the
    # answerer reload its indexes.
    def subscribe(self, chat_id: int, agency: str, as_written: str) -> bool:
        """Record that ``chat_id`` follows ``agency``; False when it already did."""
        with self._lock:
            cur = self._conn.execute(
                "INSERT OR IGNORE INTO subscriptions VALUES (?, ?, ?, datetime('now'))",
                (chat_id, agency, as_written),
            )
            return cur.rowcount == 1

    def unsubscribe(self, chat_id: int, agency: str | None = None) -> list[str]:
        """Stop following ``agency`` (every agency when None); the names removed."""
        with self._lock:
            removed = [r["agency"] for r in self.subscriptions(chat_id) if agency is None or r["agency"] == agency]
            self._conn.executemany("DELETE FROM subscriptions WHERE chat_id = ? AND agency = ?",
                                   [(chat_id, a) for a in removed])
        return removed

    def subscriptions(self, chat_id: int | None = None) -> list[sqlite3.Row]:
        """(chat_id, agency, as_written, created_at) rows, of one chat or of all, in the order followed."""
        sql = "SELECT * FROM subscriptions" + (" WHERE chat_id = ?" if chat_id is not None else "")
        return self._query(sql + " ORDER BY chat_id, rowid", (chat_id,) if chat_id is not None else ())

    def counts(self) -> dict[str, int]:
        return {
            table: self._query_one(f"SELECT COUNT(*) AS n FROM {table}")["n"]
            for table in ("documents", "tasks", "articles", "chunks")
        }


def chunk_id(doc_id: str, ordinal: int) -> str:
    return f"{doc_id}:{ordinal}"


def _task_row(doc_id: str, ordinal: int, t: Task) -> tuple:
    d = t.deadline
    deadline = _json({"text": d.text, "start": d.start, "end": d.end, "kind": d.kind}) if d else None
    return (
        doc_id, ordinal, t.number, _json(list(t.section)), t.description, _json(list(t.lead)),
        _json(list(t.coordinate)), deadline, d.start.isoformat() if d and d.start else None,
        d.end.isoformat() if d and d.end else None, t.product, _json([list(x) for x in t.extra]),
        t.span[0], t.span[1],
    )
