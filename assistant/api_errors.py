"""One JSON shape for every API failure: ``{"error": {"code": "...", "message": "vi / en"}}``.

Every error path (routing 404/405, validation 422, limits 413/429, auth 401/403, and any
unexpected exception as a generic 500) goes through ``error_body`` so a client only ever
has one shape to parse. No stack trace ever reaches the client.
"""
from __future__ import annotations

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from ingest.errors import CchcError

# Generic bilingual wording for statuses raised by the framework itself (not by our code).
_STATUS_TEXT: dict[int, tuple[str, str, str]] = {
    400: ("bad_request", "yêu cầu không hợp lệ", "bad request"),
    401: ("unauthorized", "cần khóa API hợp lệ (header X-API-Key)", "a valid API key is required (X-API-Key header)"),
    403: ("forbidden", "không có quyền thực hiện thao tác này", "not allowed"),
    404: ("not_found", "không tìm thấy địa chỉ hoặc tài nguyên yêu cầu", "the requested path or resource was not found"),
    405: ("method_not_allowed", "phương thức HTTP không được hỗ trợ tại địa chỉ này",
          "this HTTP method is not allowed on this path"),
    413: ("too_large", "yêu cầu quá lớn", "the request is too large"),
    415: ("unsupported_media_type", "kiểu nội dung không được hỗ trợ", "unsupported content type"),
    429: ("rate_limited", "quá nhiều yêu cầu; hãy thử lại sau", "too many requests; try again later"),
    500: ("internal_error", "lỗi máy chủ nội bộ; hãy thử lại sau hoặc báo quản trị viên",
          "internal server error; try again later or contact the administrator"),
    503: ("unavailable", "dịch vụ chưa sẵn sàng; hãy thử lại sau giây lát",
          "the service is not ready yet; try again shortly"),
}


class ApiError(StarletteHTTPException):
    """An error we raise on purpose. Subclasses Starlette's HTTPException so that FastAPI
    re-raises it unchanged even from inside body parsing (e.g. a body that grows too large)."""

    def __init__(self, status: int, code: str, vi: str, en: str, headers: dict[str, str] | None = None):
        super().__init__(status_code=status, detail=f"{vi} / {en}", headers=headers)
        self.code = code
        self.message = f"{vi} / {en}"

    @classmethod
    def from_cchc(cls, status: int, err: CchcError) -> "ApiError":
        return cls(status, err.code, err.message_vi, err.message_en)


def error_body(code: str, message: str, details: list | None = None) -> dict:
    body: dict = {"code": code, "message": message}
    if details:
        body["details"] = details
    return {"error": body}


def error_response(status: int, code: str, message: str, headers: dict | None = None,
                   details: list | None = None) -> JSONResponse:
    return JSONResponse(error_body(code, message, details), status_code=status, headers=headers)


def generic_error(status: int) -> tuple[str, str]:
    code, vi, en = _STATUS_TEXT.get(status, (f"http_{status}", "lỗi yêu cầu", "request error"))
    return code, f"{vi} / {en}"


async def http_exception_handler(request: Request, exc: StarletteHTTPException) -> JSONResponse:
    if isinstance(exc, ApiError):
        return error_response(exc.status_code, exc.code, exc.message, exc.headers)
    code, message = generic_error(exc.status_code)
    headers = dict(getattr(exc, "headers", None) or {})
    if exc.status_code == 405:
        headers["Allow"] = _allowed_methods(request)
    return error_response(exc.status_code, code, message, headers or None)


def _allowed_methods(request: Request) -> str:
    """Every method any route serves on this path (Starlette lists only the first route's)."""
    from starlette.routing import Match

    methods: set[str] = set()
    for route in request.app.router.routes:
        for method in getattr(route, "methods", None) or ():
            if route.matches({**request.scope, "method": method})[0] == Match.FULL:
                methods.add(method)
    return ", ".join(sorted(methods))


def _describe(err: dict) -> dict:
    # Keep only what helps a client fix the request: where, what. Never echo large inputs.
    return {"loc": [str(x) for x in err.get("loc", ())], "type": err.get("type", ""), "msg": str(err.get("msg", ""))[:200]}


async def validation_exception_handler(request: Request, exc: RequestValidationError) -> JSONResponse:
    details = [_describe(e) for e in exc.errors()][:20]
    where = ", ".join(".".join(d["loc"]) for d in details) or "body"
    message = (f"dữ liệu gửi lên không hợp lệ ({where}); hãy kiểm tra lại các trường"
               f" / invalid request data ({where}); check the fields")
    return error_response(422, "validation_error", message, details=details)


def install_error_handlers(app) -> None:
    app.add_exception_handler(StarletteHTTPException, http_exception_handler)
    app.add_exception_handler(RequestValidationError, validation_exception_handler)
