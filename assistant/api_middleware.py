"""The outermost request layer: request id, body-size limit, JSON access log, last-resort 500.

A pure ASGI middleware (not BaseHTTPMiddleware) so streaming responses pass through
untouched and an exception anywhere below becomes the generic 500 error shape here,
before Starlette's ServerErrorMiddleware could render anything else.
"""
from __future__ import annotations

import json
import logging
import re
import time
import uuid

from assistant.api_errors import ApiError, error_body, generic_error

log = logging.getLogger("cchc.api")

_SAFE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

SECURITY_HEADERS = [
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
    (b"content-security-policy",
     b"default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
     b"connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"),
]


def body_too_large(limit: int) -> ApiError:
    mb = limit / (1024 * 1024)
    return ApiError(413, "body_too_large",
                    f"nội dung gửi lên quá lớn (giới hạn {mb:.1f} MB); hãy gửi tệp nhỏ hơn hoặc ít tệp hơn",
                    f"the request body is too large (limit {mb:.1f} MB); send smaller or fewer files")


class RequestMiddleware:
    def __init__(self, app, settings, body_limit_for, early_reject=None):
        self.app = app
        self.settings = settings
        self.body_limit_for = body_limit_for  # path -> max body bytes
        self.early_reject = early_reject or (lambda scope: None)  # scope -> ApiError | None

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        state = {"status": 500, "started": False}
        limit = self.body_limit_for(scope["path"])

        async def send_wrapped(message):
            if message["type"] == "http.response.start":
                state["status"], state["started"] = message["status"], True
                headers = list(message.get("headers", []))
                headers.append((b"x-request-id", request_id.encode()))
                headers.extend(SECURITY_HEADERS)
                message = {**message, "headers": headers}
            await send(message)

        try:
            declared = _content_length(scope)
            refused = self.early_reject(scope)
            if refused is not None:
                await self._send_error(send_wrapped, refused)
            elif declared is not None and declared > limit:
                # Rejected before reading a byte of the body.
                await self._send_error(send_wrapped, body_too_large(limit))
            else:
                await self.app(scope, _counting(receive, limit), send_wrapped)
        except ApiError as err:  # raised by _counting outside a route's error handling
            if not state["started"]:
                await self._send_error(send_wrapped, err)
        except Exception:
            log.exception(json.dumps({"event": "unhandled_error", "request_id": request_id,
                                      "path": scope["path"]}))
            if not state["started"]:
                code, message = generic_error(500)
                await _send_json(send_wrapped, 500, error_body(code, message))
        finally:
            self._log(scope, request_id, state["status"], started)

    async def _send_error(self, send, err: ApiError) -> None:
        await _send_json(send, err.status_code, error_body(err.code, err.message), err.headers)

    def _log(self, scope, request_id: str, status: int, started: float) -> None:
        record = {
            "event": "request", "request_id": request_id, "method": scope["method"],
            "path": scope["path"], "status": status,
            "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            "client": (scope.get("client") or ("?",))[0],
        }
        extra = scope.get("state", {}).get("log_extra")
        if extra:
            record.update(extra)
        log.info(json.dumps(record, ensure_ascii=False))


def _request_id(scope) -> str:
    for name, value in scope.get("headers", []):
        if name == b"x-request-id":
            text = value.decode("latin-1")
            if _SAFE_ID.fullmatch(text):
                return text  # a caller's id is kept so logs join up across services
    return uuid.uuid4().hex


def _content_length(scope) -> int | None:
    for name, value in scope.get("headers", []):
        if name == b"content-length":
            try:
                return int(value)
            except ValueError:
                return None
    return None


def _counting(receive, limit: int):
    """Wrap receive so a body without (or lying about) Content-Length still stops at the limit."""
    seen = 0

    async def wrapped():
        nonlocal seen
        message = await receive()
        if message["type"] == "http.request":
            seen += len(message.get("body", b""))
            if seen > limit:
                raise body_too_large(limit)
        return message

    return wrapped


async def _send_json(send, status: int, body: dict, headers: dict | None = None) -> None:
    payload = json.dumps(body, ensure_ascii=False).encode("utf-8")
    raw_headers = [(b"content-type", b"application/json"), (b"content-length", str(len(payload)).encode())]
    raw_headers += [(k.lower().encode(), str(v).encode()) for k, v in (headers or {}).items()]
    await send({"type": "http.response.start", "status": status, "headers": raw_headers})
    await send({"type": "http.response.body", "body": payload})
