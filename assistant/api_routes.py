"""Version 1 routes: ask, documents (list, detail, text, original, upload, delete), jobs, tasks.

Handlers that call blocking code (the answerer, SQLite, file reads) are plain ``def`` so
FastAPI runs them in its thread pool and the event loop stays free.
"""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Query, Request, Security, UploadFile
from fastapi.responses import FileResponse, JSONResponse, Response, StreamingResponse
from fastapi.security import APIKeyHeader

from assistant.api_errors import ApiError
from assistant.api_jobs import remove_stored
from assistant.api_models import (
    AnswerOut, AskRequest, DeleteResult, DocumentDetail, DocumentList, DocumentText, ErrorOut, JobOut, PlanDiffOut,
    TaskPage, TaskSpan, UploadAccepted,
)
from assistant.api_security import KEY_HEADER, check_read, check_write, client_identity
from assistant.api_views import (
    article_json, document_summary, meta_json, search_tasks, span_view, task_span_view,
)
from assistant.exports import MEDIA_TYPES, export_tasks
from assistant.lookup import diff_documents, export_rows, task_to_json

# Declared so the OpenAPI schema shows the key; the checks themselves read the header.
api_key_header = APIKeyHeader(name=KEY_HEADER, auto_error=False, description="Khóa API / API key")

ERRORS = {status: {"model": ErrorOut} for status in (400, 401, 403, 404, 413, 422, 429, 500, 503)}


def rate_limited(request: Request) -> None:
    state = request.app.state
    state.limiter.check(client_identity(request, state.settings))


def reader(request: Request, _key: Annotated[str | None, Security(api_key_header)] = None) -> None:
    check_read(request, request.app.state.settings)


def writer(request: Request, _key: Annotated[str | None, Security(api_key_header)] = None) -> None:
    check_write(request, request.app.state.settings)


def wait_ready(request: Request) -> None:
    """Data endpoints wait for start-up (model and index loading) instead of failing early."""
    state = request.app.state
    if not state.ready.wait(timeout=state.ready_wait_s) or state.startup_error:
        message = state.startup_error or "đang khởi động / starting up"
        raise ApiError(503, "not_ready", f"dịch vụ chưa sẵn sàng: {message}",
                       "the service is not ready yet; try again shortly")


# One server-sent event; its data is a JSON document (the answer, a citation, or the end marker).
SSE_EVENT = {"type": "object", "required": ["event", "data"], "properties": {
    "event": {"type": "string", "enum": ["answer", "citation", "done"]}, "data": {"type": "string"}}}
WRITE_OPERATIONS = {("post", "/v1/documents"), ("delete", "/v1/documents/{doc_id}")}

router = APIRouter(prefix="/v1", dependencies=[Depends(rate_limited)], responses=ERRORS)


# -- ask -----------------------------------------------------------------------------------
@router.post(
    "/ask", response_model=AnswerOut, tags=["ask"], dependencies=[Depends(reader), Depends(wait_ready)],
    summary="Hỏi một câu / ask a question",
    responses={200: {"content": {"text/event-stream": {"schema": SSE_EVENT}},
                     "description": "JSON answer, or server-sent events with ?stream=true"}},
)
def ask(body: AskRequest, request: Request, stream: bool = False):
    """Answer a Vietnamese question with citations. With ``?stream=true`` the reply is
    server-sent events: ``answer`` (the JSON), one ``citation`` per citation, then ``done``."""
    state = request.app.state
    question = body.question.strip()
    limit = state.settings.max_question_chars
    if len(question) > limit:
        raise ApiError(413, "question_too_long",
                       f"câu hỏi quá dài ({len(question)} ký tự, tối đa {limit}); hãy rút gọn câu hỏi",
                       f"the question is too long ({len(question)} characters, max {limit}); shorten it")
    if state.settings.log_questions:
        request.state.log_extra = {"question": question}
    answer = state.services.answerer.answer(question, body.conversation_id, body.top_k)
    payload = answer.to_json()
    if stream:
        return StreamingResponse(_sse(payload), media_type="text/event-stream",
                                 headers={"Cache-Control": "no-cache", "X-Accel-Buffering": "no"})
    return JSONResponse(payload)


def _sse(payload: dict):
    def event(name: str, data) -> bytes:
        # json.dumps escapes newlines, so each event's data is exactly one line.
        return f"event: {name}\ndata: {json.dumps(data, ensure_ascii=False)}\n\n".encode("utf-8")

    yield event("answer", payload)
    for citation in payload.get("citations", []):
        yield event("citation", citation)
    yield event("done", {"conversation_id": payload.get("conversation_id")})


# -- documents -----------------------------------------------------------------------------
def _row_or_404(request: Request, doc_id: str):
    row = request.app.state.services.catalogue.document_row(doc_id)
    if row is None:
        raise ApiError(404, "document_not_found",
                       "không tìm thấy văn bản; hãy xem danh sách tại /v1/documents",
                       "no such document; see the list at /v1/documents")
    return row


@router.get("/documents", response_model=DocumentList, tags=["documents"],
            dependencies=[Depends(reader)], summary="Danh sách văn bản / list documents")
def list_documents(request: Request):
    catalogue = request.app.state.services.catalogue
    return {"documents": [document_summary(row) for row in catalogue.documents()], "counts": catalogue.counts()}


@router.get("/documents/{doc_id}", response_model=DocumentDetail, tags=["documents"],
            dependencies=[Depends(reader)], summary="Một văn bản / one document")
def get_document(doc_id: str, request: Request):

    catalogue = request.app.state.services.catalogue
    row = _row_or_404(request, doc_id)
    summary_row = next(r for r in catalogue.documents() if r["id"] == row["id"])
    return {
        "document": {**document_summary(summary_row), "has_original": _has_original(row)}, "meta": meta_json(row["meta"]), "text_length": len(row["text"]),
        "tasks": [task_to_json(row["source"], t) for _, _, t in catalogue.tasks(row["id"])],
        "articles": [article_json(a) for a in catalogue.articles(row["id"])],
    }


@router.get("/documents/{old_id}/diff/{new_id}", response_model=PlanDiffOut, tags=["documents"],
            dependencies=[Depends(reader)], summary="So sánh hai phiên bản kế hoạch / compare two plan versions")
def diff_documents_route(old_id: str, new_id: str, request: Request):
    """Task rows added, removed and changed (lead, coordinators, deadline, product, text) from the
    old document to the new one, rows matched by content (numbers shift between versions)."""
    for doc in (old_id, new_id):
        _row_or_404(request, doc)
    return diff_documents(request.app.state.services.catalogue, old_id, new_id)


def _has_original(row) -> bool:
    return bool(row["original_path"]) and Path(row["original_path"]).is_file()


@router.get("/documents/{doc_id}/text", response_model=DocumentText, tags=["documents"],
            dependencies=[Depends(reader)], summary="Văn bản đã chuẩn hóa / normalised text")
def get_document_text(doc_id: str, request: Request,
                      start: Annotated[int | None, Query(ge=0)] = None,
                      end: Annotated[int | None, Query(ge=0)] = None,
                      context: Annotated[int, Query(ge=0, le=5000)] = 300):
    """The normalised text every citation points into. With ``start`` and ``end``, also the
    cited span (``quote == text[start:end]``) and ``context`` characters before and after."""
    row = _row_or_404(request, doc_id)
    return span_view(row["id"], row["source"], row["text"], start, end, context)


# ":path": a number as written may hold a slash; the literal "/span" still ends the route.
@router.get("/documents/{doc_id}/tasks/{task_number:path}/span", response_model=TaskSpan, tags=["tasks"],
            dependencies=[Depends(reader)], summary="Nhiệm vụ và đoạn văn bản nguồn / a task and its source span")
def get_task_span(doc_id: str, task_number: str, request: Request,
                  context: Annotated[int, Query(ge=0, le=5000)] = 400):
    """One task row (its number as written, e.g. ``35`` or ``III.14``) with the text it was read
    from: ``quote`` is ``text[start:end]``; ``before``/``after`` the whole lines around it within
    ``context`` characters. The web page's task table opens a row's source with it."""
    row = _row_or_404(request, doc_id)
    for _, _, task in request.app.state.services.catalogue.tasks(row["id"]):
        if task.number == task_number:
            return task_span_view(row["id"], row["source"], row["text"], task, context)
    shown = " ".join(task_number.split())[:40]
    raise ApiError(404, "task_not_found",
                   f"văn bản không có nhiệm vụ số “{shown}”; hãy xem danh sách tại /v1/tasks",
                   f"the document has no task numbered “{shown}”; see the list at /v1/tasks")


@router.get("/documents/{doc_id}/original", tags=["documents"], dependencies=[Depends(reader)],
            summary="Tải tệp gốc / download the original file",
            responses={200: {"content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}},
                             "description": "the stored original file"}})
def get_document_original(doc_id: str, request: Request):
    row = _row_or_404(request, doc_id)
    path = Path(row["original_path"]) if row["original_path"] else None
    if path is None or not path.is_file():
        raise ApiError(404, "original_missing", "tệp gốc của văn bản này không còn được lưu",
                       "the original file of this document is no longer stored")
    return FileResponse(path, filename=row["source"], media_type="application/octet-stream")


@router.post("/documents", response_model=UploadAccepted, status_code=202, tags=["documents"],
             dependencies=[Depends(writer)], summary="Tải lên văn bản / upload documents")
def upload_documents(request: Request, files: Annotated[list[UploadFile], File(min_length=1, description="tệp .txt .md .docx .pdf .html")]):
    """Upload one or more files; they are ingested in the background. Poll ``status_url``.
    A file with the same base name as an indexed document replaces it (a new version)."""
    settings = request.app.state.settings
    if len(files) > settings.max_upload_files:
        raise ApiError(413, "too_many_files",
                       f"quá nhiều tệp ({len(files)}); mỗi lần tải lên tối đa {settings.max_upload_files} tệp",
                       f"too many files ({len(files)}); at most {settings.max_upload_files} per upload")
    max_bytes = int(settings.max_upload_mb * 1024 * 1024)
    for f in files:
        if f.size is not None and f.size > max_bytes:
            raise _file_too_large(f.filename, f.size, settings.max_upload_mb)
    uploads = []
    for f in files:
        data = f.file.read(max_bytes + 1)  # size may be unknown: never read past the limit
        if len(data) > max_bytes:
            raise _file_too_large(f.filename, len(data), settings.max_upload_mb)
        uploads.append((f.filename or "", data))
    job = request.app.state.jobs.submit(uploads)
    return {"job_id": job["id"], "status_url": f"/v1/jobs/{job['id']}", "job": job}


def _file_too_large(name: str | None, size: int, limit_mb: float) -> ApiError:
    shown = " ".join(str(name or "").split())[:80]
    return ApiError(413, "file_too_large",
                    f"tệp “{shown}” quá lớn ({size / 1048576:.1f} MB, tối đa {limit_mb:g} MB); hãy chia nhỏ tệp",
                    f"the file “{shown}” is too large ({size / 1048576:.1f} MB, max {limit_mb:g} MB); split it")


@router.delete("/documents/{doc_id}", response_model=DeleteResult, tags=["documents"],
               dependencies=[Depends(writer)], summary="Xóa văn bản / delete a document")
def delete_document(doc_id: str, request: Request):
    state = request.app.state
    row = _row_or_404(request, doc_id)
    state.services.ingestor.remove(row["id"])
    remove_stored(state.settings.uploads_dir, row["id"])
    return {"deleted": row["id"], "source": row["source"]}


@router.get("/jobs/{job_id}", response_model=JobOut, tags=["documents"], dependencies=[Depends(reader)],
            summary="Tiến độ nạp tệp / upload job status")
def get_job(job_id: str, request: Request):
    job = request.app.state.jobs.get(job_id)
    if job is None:
        raise ApiError(404, "job_not_found", "không tìm thấy tác vụ nạp tệp (có thể đã hết hạn)",
                       "no such upload job (it may have expired)")
    return job


# -- tasks ---------------------------------------------------------------------------------
# Only YYYY-MM-DD: pydantic's date type would also take "0" (a Unix timestamp) as 1970-01-01.
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _date(value: str | None, name: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ApiError(422, "invalid_date", f"{name}: ngày không hợp lệ ({value}); dùng dạng YYYY-MM-DD",
                       f"{name}: invalid date ({value}); use YYYY-MM-DD") from None


@router.get("/tasks", response_model=TaskPage, tags=["tasks"], dependencies=[Depends(reader)],
            summary="Tìm nhiệm vụ / search tasks",
            responses={200: {"content": {m.split(";")[0]: {} for m in MEDIA_TYPES.values()},
                             "description": "JSON page, or the export file asked by `format`"}})
def list_tasks(request: Request,
               agency: Annotated[str | None, Query(max_length=200, description="cơ quan (chủ trì hoặc phối hợp)")] = None,
               due_from: Annotated[str | None, Query(pattern=ISO_DATE, json_schema_extra={"format": "date"},
                                                     description="hạn từ ngày (YYYY-MM-DD)")] = None,
               due_to: Annotated[str | None, Query(pattern=ISO_DATE, json_schema_extra={"format": "date"},
                                                   description="hạn đến ngày (YYYY-MM-DD)")] = None,
               q: Annotated[str | None, Query(max_length=200, description="từ khóa trong nội dung")] = None,
               doc: Annotated[str | None, Query(max_length=200, description="mã hoặc tên tệp văn bản")] = None,
               page: Annotated[int, Query(ge=1, le=100_000)] = 1,
               page_size: Annotated[int, Query(ge=1, le=200)] = 20,
               format: Annotated[Literal["json", "csv", "xlsx", "ics"], Query(
                   description="json (paged) or a file of every matching row: csv, xlsx, ics")] = "json"):
    """Structured search over every task row; a task is due in [due_from, due_to] when its
    deadline period ends inside it. JSON is paged; csv, xlsx and ics hold every matching row."""
    catalogue = request.app.state.services.catalogue
    rows = search_tasks(catalogue, agency, _date(due_from, "due_from"), _date(due_to, "due_to"), q, doc)
    if format != "json":
        data = export_tasks(export_rows(catalogue, rows), format)
        return Response(data, media_type=MEDIA_TYPES[format],
                        headers={"Content-Disposition": f'attachment; filename="nhiem-vu.{format}"'})
    first = (page - 1) * page_size
    items = [task_to_json(src, t) for src, t in rows[first:first + page_size]]
    return {"total": len(rows), "page": page, "page_size": page_size, "items": items}
