"""A small fake Telegram Bot API server for end-to-end tests (127.0.0.1 only, stdlib only).

It answers ``/bot<token>/<method>`` like Telegram does (``{"ok": true, "result": …}``),
records every call with its parameters, serves queued updates to ``getUpdates`` (long-polling
briefly when there is nothing), can inject errors (``fail_next``) and, like Telegram, refuses
HTML it cannot parse and texts longer than 4096 characters.
"""
from __future__ import annotations

import html
import json
import re
import threading
import time
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl

BOT_ID = 900_000_001
BOT_USERNAME = "cchc_test_bot"
TELEGRAM_TAGS = {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "a", "code", "pre",
                 "blockquote", "tg-spoiler", "span", "tg-emoji"}
MAX_POLL_WAIT_S = 0.2  # keep long polls short so tests and shutdown stay fast


@dataclass
class Call:
    method: str
    params: dict[str, Any]


class _TelegramHTML(HTMLParser):
    """Telegram's rules, roughly: known tags, properly nested; entities must be valid."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag not in TELEGRAM_TAGS:
            self.errors.append(f"unsupported start tag \"{tag}\"")
        self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(f"unexpected end tag \"{tag}\"")

    def handle_data(self, data):
        self.text.append(data)

    def handle_entityref(self, name):
        if name not in {"lt", "gt", "amp", "quot"}:
            self.errors.append(f"unsupported entity &{name};")
        self.text.append(html.unescape(f"&{name};"))

    def handle_charref(self, name):
        self.text.append(html.unescape(f"&#{name};"))


def check_html(text: str) -> tuple[str | None, str]:
    """(error or None, the text as the user sees it)."""
    # A bare '&' not starting an entity, or a '<' not starting a tag, is refused by Telegram.
    if re.search(r"&(?!(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);)", text):
        return "Bad Request: can't parse entities: unescaped &", text
    if re.search(r"<(?![a-z/])", text):
        return "Bad Request: can't parse entities: unescaped <", text
    parser = _TelegramHTML()
    parser.feed(text)
    parser.close()
    if parser.stack:
        parser.errors.append(f"unclosed tag \"{parser.stack[-1]}\"")
    visible = "".join(parser.text)
    return (f"Bad Request: can't parse entities: {parser.errors[0]}" if parser.errors else None), visible


def _decode(value: str) -> Any:
    # PTB sends form fields; objects (reply_markup, …) are JSON-encoded strings.
    if value[:1] in "{[":
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


class FakeTelegram:
    def __init__(self, token: str = "123456:TEST-TOKEN") -> None:
        self.token = token
        self.calls: list[Call] = []
        self._updates: list[dict] = []
        self._next_update_id = 1
        self._next_message_id = 1000
        self._failures: dict[str, list[tuple[int, dict]]] = {}
        self._cond = threading.Condition()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    # -- lifecycle -------------------------------------------------------------------------
    @property
    def base_url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> "FakeTelegram":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    # -- test API --------------------------------------------------------------------------
    def queue_update(self, update: dict) -> int:
        """Queue an update (its update_id is assigned here) and return the id."""
        with self._cond:
            update = {**update, "update_id": self._next_update_id}
            self._next_update_id += 1
            self._updates.append(update)
            self._cond.notify_all()
            return update["update_id"]

    def fail_next(self, method: str, status: int, description: str, parameters: dict | None = None) -> None:
        body = {"ok": False, "error_code": status, "description": description}
        if parameters:
            body["parameters"] = parameters
        with self._cond:
            self._failures.setdefault(method, []).append((status, body))

    def calls_to(self, method: str) -> list[Call]:
        with self._cond:
            return [c for c in self.calls if c.method == method]

    def sent_texts(self, chat_id: int | None = None) -> list[str]:
        return [c.params["text"] for c in self.calls_to("sendMessage")
                if chat_id is None or int(c.params["chat_id"]) == chat_id]

    def wait_for(self, predicate, timeout: float = 5.0) -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out; calls so far: {[c.method for c in self.calls]}")
            time.sleep(0.01)

    # -- Bot API methods -------------------------------------------------------------------
    def _bot_user(self) -> dict:
        return {"id": BOT_ID, "is_bot": True, "first_name": "CCHC", "username": BOT_USERNAME,
                "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False}

    def _message(self, params: dict, text: str) -> dict:
        chat_id = int(params["chat_id"])
        with self._cond:
            self._next_message_id += 1
            message_id = self._next_message_id
        chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup"}
        if chat_id < 0:
            chat["title"] = "Nhóm thử"
        return {"message_id": message_id, "date": int(time.time()), "chat": chat,
                "from": self._bot_user(), "text": text}

    def _get_updates(self, params: dict) -> list[dict]:
        offset = int(params.get("offset") or 0)
        wait = min(float(params.get("timeout") or 0), MAX_POLL_WAIT_S)
        with self._cond:
            self._updates = [u for u in self._updates if u["update_id"] >= offset]
            if not self._updates and wait > 0:
                self._cond.wait(wait)
            limit = int(params.get("limit") or 100)
            return list(self._updates[:limit])

    def _send_message(self, params: dict) -> tuple[int, dict]:
        text = params.get("text", "")
        visible = text
        if params.get("parse_mode", "").upper() == "HTML":
            error, visible = check_html(text)
            if error:
                return 400, {"ok": False, "error_code": 400, "description": error}
        if not visible.strip():
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message text is empty"}
        if len(visible.encode("utf-16-le")) // 2 > 4096:
            return 400, {"ok": False, "error_code": 400, "description": "Bad Request: message is too long"}
        return 200, {"ok": True, "result": self._message(params, text)}

    def dispatch(self, method: str, params: dict) -> tuple[int, dict]:
        with self._cond:
            self.calls.append(Call(method, params))
            failures = self._failures.get(method)
            if failures:
                return failures.pop(0)
        simple_true = {"deleteWebhook", "setWebhook", "setMyCommands", "answerCallbackQuery",
                       "sendChatAction", "close", "logOut", "deleteMyCommands"}
        if method == "getMe":
            return 200, {"ok": True, "result": self._bot_user()}
        if method == "getUpdates":
            return 200, {"ok": True, "result": self._get_updates(params)}
        if method == "sendMessage":
            return self._send_message(params)
        if method == "editMessageText":
            return 200, {"ok": True, "result": self._message(params, params.get("text", ""))}
        if method == "getMyCommands":
            return 200, {"ok": True, "result": []}
        if method == "getWebhookInfo":
            return 200, {"ok": True, "result": {"url": "", "has_custom_certificate": False,
                                                "pending_update_count": 0}}
        if method in simple_true:
            return 200, {"ok": True, "result": True}
        return 404, {"ok": False, "error_code": 404, "description": "Not Found: method not found"}

    def _handler_class(self):
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):  # keep test output quiet
                pass

            def do_POST(self):  # noqa: N802 (http.server naming)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length).decode("utf-8") if length else ""
                self._respond(raw)

            def do_GET(self):  # noqa: N802
                self._respond(self.path.partition("?")[2])

            def _respond(self, raw: str) -> None:
                match = re.fullmatch(r"/bot(?P<token>[^/]+)/(?P<method>\w+)", self.path.partition("?")[0])
                if not match or match["token"] != fake.token:
                    status, body = 401, {"ok": False, "error_code": 401, "description": "Unauthorized"}
                else:
                    status, body = fake.dispatch(match["method"], self._params(raw))
                data = json.dumps(body).encode()
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(data)))
                    self.end_headers()
                    self.wfile.write(data)
                except (BrokenPipeError, ConnectionResetError):  # the bot stopped mid long-poll
                    pass

            def _params(self, raw: str) -> dict:
                if "json" in (self.headers.get("Content-Type") or ""):
                    return json.loads(raw or "{}")
                return {k: _decode(v) for k, v in parse_qsl(raw, keep_blank_values=True)}

        return Handler
