"""Frozen data types shared by every parser. Pure: no I/O, no globals.

Every span is a half-open ``(start, end)`` character range into ``Document.text``
(the normalised text), so ``doc.text[start:end]`` is always the exact quoted source.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

Span = tuple[int, int]


@dataclass(frozen=True)
class Deadline:
    """A deadline as written plus its parsed period.

    kind: "date" (one day), "range" (a period with start/end), "ongoing"
    (thường xuyên), "recurring" (hằng năm, hằng tháng…), "unknown" (not parsed).
    """

    text: str
    start: date | None = None
    end: date | None = None
    kind: str = "unknown"


@dataclass(frozen=True)
class Cell:
    """One table cell: text as it reads (lines joined) and its span in the text."""

    text: str
    span: Span


@dataclass(frozen=True)
class Table:
    """A table as a reader found it (docx, pdf): rows of cells, spans in the text."""

    rows: tuple[tuple[Cell, ...], ...]
    span: Span


@dataclass(frozen=True)
class ReadText:
    """What a reader returns: normalised text, its tables, and a map back to the original.

    ``offsets[i]`` is the index in ``original`` of normalised character ``i``
    (len(offsets) == len(text) + 1) so a quote can be located in the original.
    """

    text: str
    original: str
    offsets: tuple[int, ...]
    tables: tuple[Table, ...] = ()
    fmt: str = "txt"
    warnings: tuple[str, ...] = ()


@dataclass(frozen=True)
class Task:
    """One task row of a plan: who leads, who coordinates, by when, what it produces."""

    number: str
    section: tuple[str, ...]
    description: str
    lead: tuple[str, ...]
    coordinate: tuple[str, ...]
    deadline: Deadline | None
    product: str | None
    span: Span
    # Other named columns the table has (e.g. ("Cơ quan trình", "…"), ("Hồ sơ", "…")).
    extra: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class Relation:
    """A relation between this document and another: replaces, repeals, amends, issues."""

    kind: str  # "replaces" | "repeals" | "amends" | "issues" | "issued_by"
    target: str  # the other document's number as written, e.g. "17/2024/QĐ-UBND"
    quote_span: Span


@dataclass(frozen=True)
class DocumentMeta:
    doc_type: str | None = None  # "Quyết định", "Kế hoạch", … or "Tin tức"/"Khác"
    number: str | None = None  # as written, e.g. "62/QĐ-TCTCCTTHC"
    issuer: str | None = None
    place: str | None = None
    date: date | None = None
    title: str | None = None  # trích yếu
    signer: str | None = None
    signer_title: str | None = None  # e.g. "KT. THỦ TƯỚNG / PHÓ THỦ TƯỚNG"
    effective: str | None = None  # "kể từ ngày ký" or an ISO date
    recipients: tuple[str, ...] = ()  # Kính gửi
    plan_title: str | None = None  # the plan a decision issues ("Kế hoạch … ban hành kèm theo")
    relations: tuple[Relation, ...] = ()
    spans: tuple[tuple[str, Span], ...] = ()  # field name -> span of its evidence


@dataclass(frozen=True)
class Clause:
    """A khoản ("1.") or điểm ("a)") inside an article."""

    label: str  # "1", "a"
    span: Span
    children: tuple["Clause", ...] = ()


@dataclass(frozen=True)
class Article:
    """An article (Điều N) of a legal text with its place in the structure."""

    number: str  # "12"
    title: str  # "Trách nhiệm của Sở Khoa học và Công nghệ"
    path: tuple[str, ...]  # ("Quy chế", "Chương III. …", "Điều 12. …")
    span: Span
    clauses: tuple[Clause, ...] = ()
    part: str | None = None  # "Quyết định" | "Quy chế" | "Phụ lục" …


@dataclass(frozen=True)
class Section:
    """A heading in the body (I., 1., Chương, Phụ lục…) and the span it governs."""

    label: str
    title: str
    level: int
    span: Span


@dataclass(frozen=True)
class Chunk:
    """A unit of retrieval: one task, one article (or khoản), or a piece of prose."""

    kind: str  # "task" | "article" | "prose" | "meta"
    text: str  # the text to index (with the document title and section path)
    span: Span  # the exact source span it stands for
    section: str = ""
    task_number: str | None = None
    article: str | None = None


@dataclass(frozen=True)
class Document:
    source: str  # file name
    text: str  # normalised text; every span points into it
    meta: DocumentMeta
    tasks: tuple[Task, ...] = ()
    articles: tuple[Article, ...] = ()
    sections: tuple[Section, ...] = ()
    chunks: tuple[Chunk, ...] = ()
    warnings: tuple[str, ...] = field(default=())
