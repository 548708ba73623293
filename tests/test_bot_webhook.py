"""Webhook mode end to end: the real PTB Application and its tornado server on 127.0.0.1.

Telegram would POST updates to the public https URL and a reverse proxy would forward them to
``CCHC_WEBHOOK_LISTEN``:``CCHC_WEBHOOK_PORT``; here the test POSTs to that local port itself.
Outgoing Bot API calls go to the fake server in fake_telegram.py.
"""
from __future__ import annotations

import asyncio
import contextlib
import html
import os
import signal
import socket
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from assistant.settings import Settings
from bots.telegram import build_application, load_texts, run_bot, webhook_options, webhook_problem

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_telegram import FakeTelegram  # noqa: E402
from test_bot_e2e import USER, FakeAnswerer, message  # noqa: E402

pytest.importorskip("tornado")

TEXTS = load_texts()
QUESTION = "Cơ quan nào chủ trì nhiệm vụ số hóa hồ sơ?"
PUBLIC_URL = "https://bot.example.invalid/telegram/hook"  # what Telegram calls; never contacted here
SECRET = "bi-mat_2024"
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"


@pytest.fixture
def fake():
    server = FakeTelegram().start()
    yield server
    server.stop()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def webhook_settings(**extra) -> Settings:
    return Settings(webhook_url=PUBLIC_URL, webhook_listen="127.0.0.1", webhook_port=free_port(),
                    webhook_secret=SECRET, telegram_allowed=[], telegram_rate_per_min=100, **extra)


def local_url(settings: Settings) -> str:
    """Where the reverse proxy would forward PUBLIC_URL: same path, local port."""
    return f"http://127.0.0.1:{settings.webhook_port}/telegram/hook"


def update(update_id: int, text: str) -> dict:
    return {**message(text), "update_id": update_id}


@contextlib.asynccontextmanager
async def webhook_running(app, settings: Settings):
    await app.initialize()
    await app.updater.start_webhook(**webhook_options(settings))
    await app.start()
    try:
        yield
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def test_webhook_answers_update_with_secret_and_refuses_wrong_secret(fake):
    answerer = FakeAnswerer()
    settings = webhook_settings()
    app = build_application(answerer, list, settings, fake.base_url, token=fake.token)

    async def scenario():
        async with webhook_running(app, settings), httpx.AsyncClient(timeout=5) as client:
            url = local_url(settings)
            wrong = await client.post(url, json=update(1, "câu hỏi giả mạo"), headers={SECRET_HEADER: "sai"})
            missing = await client.post(url, json=update(2, "câu hỏi giả mạo"))
            assert (wrong.status_code, missing.status_code) == (403, 403)
            good = await client.post(url, json=update(3, QUESTION), headers={SECRET_HEADER: SECRET})
            assert good.status_code == 200
            await asyncio.to_thread(fake.wait_for, lambda: fake.calls_to("sendMessage"))

    asyncio.run(asyncio.wait_for(scenario(), 20))
    (sent,) = fake.calls_to("sendMessage")  # the refused posts produced nothing
    assert int(sent.params["chat_id"]) == USER
    assert "Các bộ, ngành, địa phương" in sent.params["text"] and "01 tháng 06 năm 2023" in sent.params["text"]
    assert answerer.calls == [(QUESTION, None)]
    (hook,) = fake.calls_to("setWebhook")  # Telegram is told the public URL and the secret
    assert hook.params["url"] == PUBLIC_URL and hook.params["secret_token"] == SECRET
    assert hook.params["allowed_updates"] == ["message", "callback_query"]
    assert not fake.calls_to("getUpdates")  # no long polling in webhook mode


def test_webhook_options_come_from_settings():
    settings = Settings(webhook_url="https://bot.example.vn/tg/abc", webhook_port=9000, webhook_secret="s3")
    options = webhook_options(settings)
    assert (options["listen"], options["port"], options["url_path"]) == ("0.0.0.0", 9000, "tg/abc")
    assert (options["webhook_url"], options["secret_token"]) == ("https://bot.example.vn/tg/abc", "s3")
    assert webhook_options(Settings(webhook_url="https://h/x", webhook_secret=""))["secret_token"] is None


@pytest.mark.parametrize("settings_kw, text_key", [
    ({"webhook_url": "http://bot.example.vn/tg"}, "webhook_not_https"),
    ({"webhook_url": "https://bot.example.vn/tg", "webhook_secret": "có dấu+/="}, "webhook_secret_invalid"),
])
def test_run_bot_refuses_unusable_webhook_settings(settings_kw, text_key, capsys):
    settings = Settings(**settings_kw)
    assert webhook_problem(settings, TEXTS) is not None
    assert run_bot(settings, token="123:abc") == 2
    assert TEXTS[text_key].splitlines()[0][:40] in capsys.readouterr().err


class WebhookDriver:
    """Plays Telegram and the service manager while run_bot blocks the main thread: POSTs
    updates once the webhook is set, then stops the bot with SIGTERM like systemd would."""

    def __init__(self, fake: FakeTelegram, settings: Settings):
        self.fake, self.settings = fake, settings
        self.bot_returned = threading.Event()
        self.statuses: list[int] = []
        self.thread = threading.Thread(target=self.run, daemon=True)

    def _wait(self, predicate, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while not predicate() and not self.bot_returned.is_set() and time.monotonic() < deadline:
            time.sleep(0.02)
        return predicate()

    def run(self) -> None:
        # getMe is PTB's first call, made after it installed its SIGTERM handler: only then is
        # the signal safe (before, it would kill the test process).
        if not self._wait(lambda: self.fake.calls_to("getMe"), 120):
            return
        try:
            if self._wait(lambda: self.fake.calls_to("setWebhook"), 20):
                self._post_updates()
        finally:
            if not self.bot_returned.is_set():
                os.kill(os.getpid(), signal.SIGTERM)

    def _post_updates(self) -> None:
        url = local_url(self.settings)
        with httpx.Client(timeout=5) as client:
            for update_id, secret in ((1, "sai"), (2, SECRET)):
                for _ in range(50):  # the server may still be binding its port
                    try:
                        reply = client.post(url, json=update(update_id, "/vanban"), headers={SECRET_HEADER: secret})
                        break
                    except httpx.ConnectError:
                        time.sleep(0.05)
                else:
                    raise AssertionError(f"nothing listens on {url}")
                self.statuses.append(reply.status_code)
        self._wait(lambda: self.fake.calls_to("sendMessage"), 10)


@pytest.mark.skipif(os.name == "nt", reason="stops the bot with SIGTERM")
def test_run_bot_webhook_mode_serves_and_stops_on_sigterm(fake, tmp_path):
    settings = webhook_settings(data_dir=tmp_path, embedder="fake")
    driver = WebhookDriver(fake, settings)
    driver.thread.start()
    try:
        code = run_bot(settings, token=fake.token, base_url=fake.base_url)
    finally:
        driver.bot_returned.set()
        driver.thread.join(10)
        asyncio.set_event_loop(None)  # PTB leaves its closed loop as the current one
    assert code == 0
    assert driver.statuses == [403, 200]
    assert fake.sent_texts(USER) == [html.escape(TEXTS["no_documents"], quote=False)]  # empty data dir
    (hook,) = fake.calls_to("setWebhook")
    assert hook.params["url"] == PUBLIC_URL and hook.params["secret_token"] == SECRET
