"""Pydantic request/response models: they document the API in its OpenAPI schema.

The answer models mirror ``Answer.to_json()`` field for field (the contract scored by
shared/eval/score.py); the ask endpoint returns ``to_json()`` itself, unchanged.
"""
from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field


def _whole_number(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class AskRequest(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [
        {"question": "cơ quan nào chủ trì nhiệm vụ số hóa hồ sơ?", "conversation_id": None, "top_k": None}]})

    # The length limit comes from settings (max_question_chars) and is checked by the route,
    # so an over-long question gets a clear 413 rather than a generic validation error.
    question: str = Field(min_length=1, pattern=r"\S", description="Câu hỏi tiếng Việt / the question")
    conversation_id: str | None = Field(default=None, max_length=200,
                                        description="Gửi lại để hỏi tiếp / send back for a follow-up")
    # Strict: true or "3" is not a number of citations (JSON's 3.0 is, as JSON Schema says).
    top_k: Annotated[int | None, BeforeValidator(_whole_number)] = Field(
        default=None, ge=1, le=50, strict=True, description="Số trích dẫn tối đa / max citations")


class CitationOut(BaseModel):
    source: str
    document_number: str | None
    document_title: str | None
    section: str | None
    task_number: str | None
    quote: str
    start: int
    end: int
    document_id: str | None = None


class TaskOut(BaseModel):
    source: str
    task_number: str
    description: str
    lead: list[str]
    coordinate: list[str]
    deadline: dict[str, Any] | None
    product: str | None
    section: str | None = None


class AnswerOut(BaseModel):
    status: Literal["answered", "not_found"]
    answer: str
    conversation_id: str
    citations: list[CitationOut]
    tasks: list[TaskOut]
    intent: str
    fields: dict[str, Any]
    # Why the answer is not_found (a miss told apart from a refusal): weak_evidence, off_topic,
    # agency_not_in_span, task_number_absent, subject_not_in_span, ambiguous, empty_index, …
    reason: str | None = None


class ErrorDetail(BaseModel):
    code: str
    message: str
    details: list[dict[str, Any]] | None = None


class ErrorOut(BaseModel):
    error: ErrorDetail


class DocumentSummary(BaseModel):
    id: str
    source: str
    type: str | None
    number: str | None
    date: str | None
    title: str | None
    issuer: str | None
    fmt: str | None
    ingested_at: str
    tasks: int
    articles: int
    chunks: int
    has_original: bool | None = None  # None in the list view (unknown there)


class DocumentList(BaseModel):
    documents: list[DocumentSummary]
    counts: dict[str, int]


class ArticleOut(BaseModel):
    number: str
    title: str
    path: list[str]
    part: str | None
    start: int
    end: int


class CitedTask(TaskOut):
    quote: str  # text[start:end] of the document
    start: int
    end: int


class TaskChange(BaseModel):
    old: CitedTask
    new: CitedTask
    fields: list[Literal["lead", "coordinate", "deadline", "product", "description"]]


class PlanDiffOut(BaseModel):
    old: str
    new: str
    added: list[CitedTask]
    removed: list[CitedTask]
    changed: list[TaskChange]


class DocumentDetail(BaseModel):
    document: DocumentSummary
    meta: dict[str, Any]
    text_length: int
    tasks: list[TaskOut]
    articles: list[ArticleOut]


class DocumentText(BaseModel):
    id: str
    source: str
    length: int
    text: str
    start: int | None = None
    end: int | None = None
    before: str | None = None
    quote: str | None = None
    after: str | None = None


class TaskSpan(BaseModel):
    """A task row with the text it was read from: ``quote == text[start:end]`` of the document,
    ``before``/``after`` the surrounding lines (cut at line ends inside the asked context)."""
    id: str
    source: str
    length: int
    task: TaskOut
    start: int
    end: int
    before: str
    quote: str
    after: str


class FileResultOut(BaseModel):
    filename: str
    source: str | None
    status: str  # queued | running | added | updated | unchanged | error
    doc_id: str | None = None
    tasks: int = 0
    articles: int = 0
    chunks: int = 0
    seconds: float = 0.0
    error: str | None = None


class JobOut(BaseModel):
    id: str
    status: Literal["queued", "running", "done", "failed"]
    total: int
    processed: int
    files: list[FileResultOut]
    created_at: float
    finished_at: float | None = None


class UploadAccepted(BaseModel):
    job_id: str
    status_url: str
    job: JobOut


class DeleteResult(BaseModel):
    deleted: str
    source: str


class TaskPage(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[TaskOut]


class Health(BaseModel):
    status: Literal["ok", "starting", "error"]
    ready: bool
    model: str | None
    answerer_loaded: bool
    index: dict[str, int]
    error: str | None = None


class Ready(BaseModel):
    ready: bool
