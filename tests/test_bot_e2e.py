"""End to end: the real PTB Application, polling a fake Bot API server on 127.0.0.1.

The answerer is a fake that records what it was asked; everything else (handlers, HTML,
splitting, retries, access, rate limits) is the real bot code.
"""
from __future__ import annotations

import asyncio
import contextlib
import html
import importlib.util
import json
import sys
import threading
import time
from pathlib import Path

import pytest

from assistant.settings import Settings
from assistant.types import Answer, Citation
from bots.sending import RetryPolicy
from bots.telegram import build_application, document_list, load_texts, run_bot

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_telegram import BOT_ID, BOT_USERNAME, FakeTelegram  # noqa: E402

TEXTS = load_texts()
USER = 11
GROUP = -100_123
QUESTION = "cơ quan nào chủ trì nhiệm vụ số hóa hồ sơ?"
TASK_35 = Citation(
    source="000_708ce065672b0925.txt",
    document_number="62/QĐ-TCTCCTTHC",
    document_title="Kế hoạch hoạt động năm 2023",
    section="II. NHIỆM VỤ",
    task_number="35",
    quote="Đẩy mạnh số hóa hồ sơ, kết quả giải quyết thủ tục hành chính <theo quy định> & tái sử dụng",
    start=100,
    end=190,
)


class FakeAnswerer:
    """Answers like the real one for task 35; records (question, conversation_id)."""

    def __init__(self, text: str | None = None):
        self.calls: list[tuple[str, str | None]] = []
        self.text = text
        self.fail_next = 0
        self._lock = threading.Lock()

    def answer(self, question, conversation_id=None, top_k=None):
        with self._lock:  # called from worker threads
            self.calls.append((question, conversation_id))
            new_id = f"conv-{len(self.calls)}"
        if self.fail_next:
            self.fail_next -= 1
            raise RuntimeError("index exploded")
        text = self.text or (
            "Nhiệm vụ số hóa hồ sơ: Các bộ, ngành, địa phương chủ trì.\n"
            "Thời hạn: 01 tháng 06 năm 2023."
        )
        return Answer("answered", text, conversation_id or new_id, (TASK_35,))


def _user(user_id: int) -> dict:
    return {"id": user_id, "is_bot": False, "first_name": "Người dùng", "language_code": "vi"}


def message(text: str, user_id: int = USER, chat_id: int | None = None, **extra) -> dict:
    chat_id = chat_id if chat_id is not None else user_id
    chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup", "title": "Nhóm"}
    msg = {"message_id": int(time.monotonic_ns() % 1_000_000), "date": int(time.time()), "chat": chat,
           "from": _user(user_id), "text": text, **extra}
    if text.startswith("/"):
        msg.setdefault("entities", [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}])
    return {"message": msg}


def callback(data: str, chat_id: int = USER, user_id: int = USER) -> dict:
    bot_message = {"message_id": 5, "date": int(time.time()), "chat": {"id": chat_id, "type": "private"},
                   "from": {"id": BOT_ID, "is_bot": True, "first_name": "CCHC"}, "text": "…"}
    return {"callback_query": {"id": "cb-1", "from": _user(user_id), "chat_instance": "ci",
                               "message": bot_message, "data": data}}


class Session:
    def __init__(self, fake: FakeTelegram, app):
        self.fake, self.app = fake, app

    async def send(self, update: dict, until=None, timeout: float = 5.0) -> None:
        """Queue an update and wait until ``until()`` holds (default: one more sendMessage)."""
        before = len(self.fake.calls_to("sendMessage"))
        self.fake.queue_update(update)
        until = until or (lambda: len(self.fake.calls_to("sendMessage")) > before)
        await asyncio.to_thread(self.fake.wait_for, until, timeout)

    def texts(self, chat_id: int = USER) -> list[str]:
        return self.fake.sent_texts(chat_id)

    def last(self, chat_id: int = USER) -> str:
        return self.texts(chat_id)[-1]


@pytest.fixture
def fake():
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
def sleeps():
    return []


@contextlib.asynccontextmanager
async def running(fake, answerer, sleeps, docs=(), clock=lambda: 1000.0, **settings_kw):
    settings = Settings(**{"telegram_allowed": [], "telegram_rate_per_min": 100, **settings_kw})

    async def fast_sleep(seconds):
        sleeps.append(seconds)
        await asyncio.sleep(0)

    app = build_application(answerer, lambda: list(docs), settings, fake.base_url, token=fake.token,
                            retry=RetryPolicy(sleep=fast_sleep), clock=clock)
    await app.initialize()
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.05, timeout=1)
    try:
        yield Session(fake, app)
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def run(coro):
    asyncio.run(asyncio.wait_for(coro, 20))


# -- scenarios ---------------------------------------------------------------------------------

def test_example_question_answered_with_lead_deadline_button_and_typing(fake, sleeps):
    answerer = FakeAnswerer()

    async def scenario():
        async with running(fake, answerer, sleeps) as s:
            await s.send(message(QUESTION))
            (call,) = fake.calls_to("sendMessage")
            assert call.params["parse_mode"] == "HTML"
            text = call.params["text"]
            assert "Các bộ, ngành, địa phương" in text and "01 tháng 06 năm 2023" in text
            assert "Nguồn: 000_708ce065672b0925.txt · nhiệm vụ 35" in text
            assert call.params["reply_markup"] == {"inline_keyboard": [[{"text": "Nguồn", "callback_data": "nguon:1"}]]}
            actions = fake.calls_to("sendChatAction")
            assert actions and actions[0].params == {"chat_id": str(USER), "action": "typing"}
            assert fake.calls.index(actions[0]) < fake.calls.index(call)
            assert [c.params["commands"][0]["command"] for c in fake.calls_to("setMyCommands")] == ["start"]

    run(scenario())
    assert answerer.calls == [(QUESTION, None)]


def test_no_diacritics_question_follow_up_and_new_conversation(fake, sleeps):
    answerer = FakeAnswerer()

    async def scenario():
        async with running(fake, answerer, sleeps) as s:
            await s.send(message("co quan nao chu tri so hoa ho so"))
            assert "Các bộ, ngành, địa phương" in s.last()
            await s.send(message("thời hạn là khi nào?"))
            await s.send(message("/moi"))
            assert s.last() == html.escape(TEXTS["new_conversation"], quote=False)
            await s.send(message("/hoi còn nhiệm vụ nào khác?"))

    run(scenario())
    assert answerer.calls == [
        ("co quan nao chu tri so hoa ho so", None),
        ("thời hạn là khi nào?", "conv-1"),  # the follow-up reuses the chat's conversation
        ("còn nhiệm vụ nào khác?", None),  # /moi forgot it
    ]


def test_questions_in_one_chat_are_answered_in_order_other_chats_not_blocked(fake, sleeps):
    other_chat_asked = threading.Event()

    class GatedAnswerer(FakeAnswerer):
        def answer(self, question, conversation_id=None, top_k=None):
            if question == "câu khác":
                other_chat_asked.set()
            elif question == "câu một":  # stays busy until the other chat got its turn
                assert other_chat_asked.wait(5), "another chat was blocked by a slow answer"
            return super().answer(question, conversation_id, top_k)

    answerer = GatedAnswerer()

    async def scenario():
        async with running(fake, answerer, sleeps) as s:
            fake.queue_update(message("câu một"))
            fake.queue_update(message("câu hai"))
            fake.queue_update(message("câu khác", user_id=12))
            await asyncio.to_thread(fake.wait_for, lambda: len(fake.calls_to("sendMessage")) == 3)

    run(scenario())
    # The second question waited for the first one (same conversation); chat 12 ran alongside.
    assert answerer.calls == [("câu khác", None), ("câu một", None), ("câu hai", "conv-2")]
    assert "Các bộ, ngành, địa phương" in fake.sent_texts(USER)[0]


def test_sources_button_and_command_show_the_quote(fake, sleeps):
    async def scenario():
        async with running(fake, FakeAnswerer(), sleeps) as s:
            await s.send(message("/nguon"))
            assert s.last() == html.escape(TEXTS["no_citations"], quote=False)
            await s.send(message(QUESTION))
            await s.send(callback("nguon:1"))
            assert [c.params["callback_query_id"] for c in fake.calls_to("answerCallbackQuery")] == ["cb-1"]
            shown = s.last()
            assert "<blockquote>Đẩy mạnh số hóa hồ sơ" in shown and "&lt;theo quy định&gt; &amp;" in shown
            assert "Nhiệm vụ: 35" in shown and "62/QĐ-TCTCCTTHC" in shown
            await s.send(message("/nguon"))
            assert s.last() == shown

    run(scenario())


def test_document_list(fake, sleeps):
    docs = [("000_708ce065672b0925.txt", "Quyết định 62/QĐ-TCTCCTTHC — Kế hoạch <2023> (45 nhiệm vụ)"),
            ("nd-297-2025-cp.md", "Nghị định 297/2025/NĐ-CP (20 điều)")]

    async def scenario():
        async with running(fake, FakeAnswerer(), sleeps, docs=docs) as s:
            await s.send(message("/vanban"))
            text = s.last()
            assert text.startswith("<b>Văn bản đã nạp (2)</b>")
            assert "<code>000_708ce065672b0925.txt</code>\nQuyết định 62/QĐ-TCTCCTTHC — Kế hoạch &lt;2023&gt;" in text
            assert "2. <code>nd-297-2025-cp.md</code>" in text

    run(scenario())


def test_groups_answer_only_when_mentioned_or_replied_to(fake, sleeps):
    answerer = FakeAnswerer()
    mention = f"@{BOT_USERNAME}"

    async def scenario():
        async with running(fake, answerer, sleeps) as s:
            fake.queue_update(message(QUESTION, chat_id=GROUP))  # not addressed: ignored
            await s.send(message(f"{mention} {QUESTION}", chat_id=GROUP,
                                 entities=[{"type": "mention", "offset": 0, "length": len(mention)}]))
            bot_msg = {"message_id": 77, "date": int(time.time()), "text": "…",
                       "chat": {"id": GROUP, "type": "supergroup", "title": "Nhóm"},
                       "from": {"id": BOT_ID, "is_bot": True, "first_name": "CCHC", "username": BOT_USERNAME}}
            await s.send(message("thế còn thời hạn?", chat_id=GROUP, reply_to_message=bot_msg))
            sent = fake.calls_to("sendMessage")
            assert len(sent) == 2 and all(int(c.params["chat_id"]) == GROUP for c in sent)
            assert all("reply_parameters" in c.params for c in sent)  # replies keep group threads readable

    run(scenario())
    assert answerer.calls == [(QUESTION, None), ("thế còn thời hạn?", "conv-1")]


def test_user_not_on_allow_list_is_refused_politely(fake, sleeps):
    answerer = FakeAnswerer()

    async def scenario():
        async with running(fake, answerer, sleeps, telegram_allowed=["42"]) as s:
            await s.send(message(QUESTION, user_id=99))
            assert s.last(99) == html.escape(TEXTS["not_allowed"], quote=False)
            await s.send(message(QUESTION, user_id=42))
            assert "Các bộ, ngành, địa phương" in s.last(42)

    run(scenario())
    assert answerer.calls == [(QUESTION, None)]


def test_rate_limit_per_user(fake, sleeps):
    answerer = FakeAnswerer()

    async def scenario():
        async with running(fake, answerer, sleeps, telegram_rate_per_min=2) as s:
            for _ in range(3):
                await s.send(message(QUESTION))
            assert s.last() == html.escape(TEXTS["rate_limited"].format(seconds=60), quote=False)

    run(scenario())
    assert len(answerer.calls) == 2


def test_long_answer_is_split_into_valid_messages(fake, sleeps):
    line = "Các bộ, ngành & địa phương <chủ trì> nhiệm vụ số hóa hồ sơ, thời hạn 01 tháng 06 năm 2023."
    long_text = "\n".join(f"{i}. {line}" for i in range(150))  # ~14,000 characters

    async def scenario():
        async with running(fake, FakeAnswerer(long_text), sleeps) as s:
            await s.send(message(QUESTION), until=lambda: any("Nguồn:" in t for t in fake.sent_texts(USER)))

    run(scenario())
    sent = fake.calls_to("sendMessage")
    assert len(sent) >= 4
    assert all(len(c.params["text"]) <= 4096 for c in sent)
    assert "reply_markup" in sent[-1].params and all("reply_markup" not in c.params for c in sent[:-1])
    body = "".join(html.unescape(c.params["text"]) for c in sent)
    assert all(f"{i}. {line}" in body for i in range(150))


@pytest.mark.filterwarnings("ignore::DeprecationWarning")  # PTB warns inside RetryAfter itself
def test_flood_limit_and_network_error_are_retried(fake, sleeps):
    fake.fail_next("sendMessage", 429, "Too Many Requests: retry after 1", {"retry_after": 1})
    fake.fail_next("sendMessage", 502, "Bad Gateway")

    async def scenario():
        async with running(fake, FakeAnswerer(), sleeps) as s:
            await s.send(message(QUESTION), until=lambda: len(fake.calls_to("sendMessage")) >= 3)
            await asyncio.sleep(0.1)

    run(scenario())
    sent = fake.calls_to("sendMessage")
    assert len(sent) == 3 and sent[0].params == sent[2].params  # same message, delivered on try 3
    assert sleeps == [1.0, 1.0]  # retry_after 1 s, then backoff 0.5 s x 2 (second attempt)


def test_refused_html_is_resent_as_plain_text(fake, sleeps):
    fake.fail_next("sendMessage", 400, "Bad Request: can't parse entities: unsupported start tag")

    async def scenario():
        async with running(fake, FakeAnswerer(), sleeps) as s:
            await s.send(message(QUESTION), until=lambda: len(fake.calls_to("sendMessage")) >= 2)

    run(scenario())
    first, second = fake.calls_to("sendMessage")
    assert first.params["parse_mode"] == "HTML" and "parse_mode" not in second.params
    assert "<i>" not in second.params["text"] and "Nguồn: 000_708ce065672b0925.txt" in second.params["text"]
    assert sleeps == []  # a BadRequest is not retried as is


def test_answerer_failure_sends_apology_and_bot_keeps_going(fake, sleeps, caplog):
    answerer = FakeAnswerer()
    answerer.fail_next = 1

    async def scenario():
        async with running(fake, answerer, sleeps) as s:
            await s.send(message("câu hỏi làm hỏng"))
            assert s.last() == html.escape(TEXTS["error"], quote=False)
            await s.send(message(QUESTION))
            assert "Các bộ, ngành, địa phương" in s.last()

    run(scenario())
    assert any("failed" in r.getMessage() and "index exploded" in r.getMessage() for r in caplog.records)


def test_start_and_help(fake, sleeps):
    async def scenario():
        async with running(fake, FakeAnswerer(), sleeps) as s:
            await s.send(message("/start"))
            assert QUESTION in html.unescape(s.last())
            await s.send(message("/help"))
            assert f"@{BOT_USERNAME}" in s.last() and "/nguon" in s.last()
            await s.send(message("/hoi"))
            assert s.last() == html.escape(TEXTS["empty_question"], quote=False)

    run(scenario())


# -- entry point and helpers -------------------------------------------------------------------

def test_webhook_mode_without_tornado_exits_2(monkeypatch, capsys):
    real_find_spec = importlib.util.find_spec  # simulate an install without the [webhooks] extra
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "tornado" else real_find_spec(name, *a))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "123:abc")
    assert run_bot(Settings(webhook_url="https://bot.example.invalid/tg")) == 2
    assert "python-telegram-bot[webhooks]" in capsys.readouterr().err


def test_run_bot_without_token_exits_2_with_bilingual_message(monkeypatch, capsys):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    assert run_bot(Settings()) == 2
    err = capsys.readouterr().err
    assert "TELEGRAM_BOT_TOKEN" in err and "Thiếu" in err and "Missing" in err


def test_document_list_labels_from_catalogue_rows():
    from index.catalogue import meta_to_json
    from ingest.types import DocumentMeta

    meta = DocumentMeta(doc_type="Quyết định", number="62/QĐ-TCTCCTTHC", title="Ban hành Kế hoạch hoạt động")

    class Catalogue:
        def documents(self):
            return [{"source": "a.txt", "meta": meta_to_json(meta), "n_tasks": 45, "n_articles": 0},
                    {"source": "b.md", "meta": json.dumps({}), "n_tasks": 0, "n_articles": 0}]

    assert document_list(Catalogue()) == [
        ("a.txt", "Quyết định 62/QĐ-TCTCCTTHC — Ban hành Kế hoạch hoạt động (45 nhiệm vụ)"),
        ("b.md", ""),
    ]
