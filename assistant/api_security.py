"""API keys and the per-client rate limit.

Keys come from settings.api_keys and are compared with ``hmac.compare_digest`` (constant
time). A key is never logged or stored: clients are identified by a short hash of it.
Reading is open when settings.open_read; writing always needs a valid key, and with no keys
configured writing is refused outright (there is nobody who could be allowed).
"""
from __future__ import annotations

import hashlib
import hmac
import math
import threading
import time
from collections import OrderedDict, deque

from fastapi import Request

from assistant.api_errors import ApiError
from assistant.settings import Settings

KEY_HEADER = "X-API-Key"


def key_is_valid(settings: Settings, given: str | None) -> bool:
    if not given:
        return False
    given_b = given.encode("utf-8", "surrogatepass")
    # Check every key (no early exit), so timing does not tell which key nearly matched.
    found = False
    for key in settings.api_keys:
        found |= hmac.compare_digest(given_b, key.encode("utf-8", "surrogatepass"))
    return found


def client_identity(request: Request, settings: Settings) -> str:
    """Who to count a request against: the key (hashed) when valid, else the client IP."""
    given = request.headers.get(KEY_HEADER)
    if given and key_is_valid(settings, given):
        return "key:" + hashlib.sha256(given.encode("utf-8", "surrogatepass")).hexdigest()[:16]
    return "ip:" + (request.client.host if request.client else "unknown")


def check_read(request: Request, settings: Settings) -> None:
    given = request.headers.get(KEY_HEADER)
    if given and not key_is_valid(settings, given):
        raise _invalid_key()
    if not settings.open_read and not given:
        raise ApiError(401, "auth_required",
                       "cần khóa API để đọc dữ liệu; gửi khóa trong header X-API-Key",
                       "an API key is required to read; send it in the X-API-Key header",
                       headers={"WWW-Authenticate": KEY_HEADER})


def check_write(request: Request, settings: Settings) -> None:
    if not settings.api_keys:
        raise ApiError(403, "writing_disabled",
                       "chưa cấu hình khóa API nên không thể tải lên hoặc xóa; quản trị viên hãy đặt "
                       "biến môi trường CCHC_API_KEYS",
                       "no API keys are configured, so uploading and deleting are disabled; "
                       "set the CCHC_API_KEYS environment variable")
    given = request.headers.get(KEY_HEADER)
    if not given:
        raise ApiError(401, "auth_required",
                       "cần khóa API để tải lên hoặc xóa văn bản; gửi khóa trong header X-API-Key",
                       "an API key is required to upload or delete; send it in the X-API-Key header",
                       headers={"WWW-Authenticate": KEY_HEADER})
    if not key_is_valid(settings, given):
        raise _invalid_key()


def _invalid_key() -> ApiError:
    return ApiError(401, "invalid_key", "khóa API không đúng; hãy kiểm tra lại khóa",
                    "the API key is not valid; check the key", headers={"WWW-Authenticate": KEY_HEADER})


class RateLimiter:
    """Sliding one-minute window per client, in memory, bounded in the number of clients."""

    def __init__(self, per_minute: int, window_s: float = 60.0, max_clients: int = 10_000, clock=time.monotonic):
        self.per_minute = per_minute
        self.window_s = window_s
        self.max_clients = max_clients
        self.clock = clock
        self._hits: OrderedDict[str, deque[float]] = OrderedDict()
        self._lock = threading.Lock()

    def hit(self, identity: str) -> float | None:
        """Record a request; return None if allowed, else the seconds to wait."""
        if self.per_minute <= 0:
            return None  # 0 or less disables the limit
        now = self.clock()
        with self._lock:
            hits = self._hits.pop(identity, None) or deque()
            while hits and hits[0] <= now - self.window_s:
                hits.popleft()
            self._hits[identity] = hits  # re-inserted last: most recently seen
            if len(self._hits) > self.max_clients:
                self._hits.popitem(last=False)  # forget the longest-idle client
            if len(hits) >= self.per_minute:
                return max(0.0, hits[0] + self.window_s - now)
            hits.append(now)
            return None

    def check(self, identity: str) -> None:
        wait = self.hit(identity)
        if wait is not None:
            seconds = max(1, math.ceil(wait))
            raise ApiError(429, "rate_limited",
                           f"quá nhiều yêu cầu; hãy thử lại sau {seconds} giây",
                           f"too many requests; retry after {seconds} s",
                           headers={"Retry-After": str(seconds)})
