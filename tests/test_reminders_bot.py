"""Reminders end to end: the real PTB Application (with its JobQueue) polling the fake Bot API on
127.0.0.1, a real catalogue in a temporary folder, and a frozen day. /theodoi, /huytheodoi, and the
daily digest holding exactly the followed agencies' tasks due in the window and their overdue ones."""
from __future__ import annotations

import asyncio
import contextlib
import html
import re
import sys
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from assistant.reminder_service import ReminderService
from assistant.settings import Settings
from bots.formatting import to_plain
from bots.reminders import JOB_NAME
from bots.sending import RetryPolicy
from bots.telegram import build_application
from index.catalogue import Catalogue
from ingest.types import Deadline, Document, DocumentMeta, Task

sys.path.insert(0, str(Path(__file__).resolve().parent))
from fake_telegram import BOT_USERNAME, FakeTelegram  # noqa: E402

TODAY = date(2024, 3, 10)  # the frozen day of the bot
USER, OTHER, GROUP = 11, 12, -100_777


def task(number: str, days: int | None, lead: str, coordinate: str = "") -> Task:
    end = TODAY + timedelta(days=days) if days is not None else None
    deadline = Deadline(f"Trước ngày {end:%d/%m/%Y}", end, end, "date") if end else Deadline("Thường xuyên", kind="ongoing")
    return Task(number, ("II",), f"Việc {number}", (lead,), (coordinate,) if coordinate else (), deadline, None, (0, 5))


# Bộ Nội vụ: due in the window (1, 2 as coordinator, 3 on the window's last day), overdue (4, 5);
# never listed: after the window (6), no date (7), another agency's (8).
PLAN = Document("kh-bnv.txt", "x" * 50, DocumentMeta(doc_type="Kế hoạch", number="15/KH-BNV"), (
    task("1", 0, "Bộ Nội vụ"), task("2", 3, "Văn phòng Chính phủ", "BNV"), task("3", 7, "Bộ Nội vụ"),
    task("4", -1, "Bộ Nội vụ"), task("5", -200, "Bộ Nội vụ và các cơ quan liên quan"),
    task("6", 8, "Bộ Nội vụ"), task("7", None, "Bộ Nội vụ"), task("8", 1, "Bộ Tư pháp"),
))
SCHOOLS = Document("kh-gd.txt", "y" * 50, DocumentMeta(doc_type="Kế hoạch", number="3/KH-BGDĐT"),
                   (task("1", 30, "Bộ Giáo dục và Đào tạo"),))


class NoAnswerer:
    def answer(self, question, conversation_id=None, top_k=None):
        raise AssertionError("reminder commands never reach the answerer")


def message(text: str, chat_id: int = USER, user_id: int = USER) -> dict:
    chat = {"id": chat_id, "type": "private" if chat_id > 0 else "supergroup", "title": "Nhóm"}
    command = text.split()[0]
    return {"message": {"message_id": int(time.monotonic_ns() % 1_000_000), "date": int(time.time()), "chat": chat,
                        "from": {"id": user_id, "is_bot": False, "first_name": "Cán bộ"}, "text": text,
                        "entities": [{"type": "bot_command", "offset": 0, "length": len(command)}]}}


@pytest.fixture
def fake():
    server = FakeTelegram().start()
    yield server
    server.stop()


@pytest.fixture
def service(tmp_path):
    catalogue = Catalogue(tmp_path / "catalogue.sqlite3")
    for doc in (PLAN, SCHOOLS):
        catalogue.upsert(doc, "sha", "txt")
    yield ReminderService(catalogue)
    catalogue.close()


@contextlib.asynccontextmanager
async def running(fake, service, **settings_kw):
    settings = Settings(telegram_allowed=[], telegram_rate_per_min=100, **settings_kw)

    async def no_sleep(_seconds):
        await asyncio.sleep(0)

    app = build_application(NoAnswerer(), lambda: [], settings, fake.base_url, token=fake.token,
                            retry=RetryPolicy(sleep=no_sleep), reminders=service, today=lambda: TODAY)
    await app.initialize()
    await app.post_init(app)
    await app.start()
    await app.updater.start_polling(poll_interval=0.05, timeout=1)
    try:
        yield app
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


async def send(fake, update: dict) -> str:
    before = len(fake.calls_to("sendMessage"))
    fake.queue_update(update)
    await asyncio.to_thread(fake.wait_for, lambda: len(fake.calls_to("sendMessage")) > before)
    return html.unescape(fake.calls_to("sendMessage")[-1].params["text"])


def listed(texts: list[str]) -> list[tuple[str, str]]:
    """(task number, when) of every task a digest shows."""
    return re.findall(r"Nhiệm vụ (\S+) \((?:chủ trì|phối hợp)\) — ([^\n]+)", to_plain("\n".join(texts)))


def run(coro):
    asyncio.run(asyncio.wait_for(coro, 20))


def test_follow_list_and_unfollow_through_commands(fake, service):
    async def scenario():
        async with running(fake, service):
            reply = await send(fake, message("/theodoi bo noi vu"))
            assert "Đã theo dõi nhiệm vụ của Bộ Nội vụ" in reply and "lúc 8:00" in reply
            assert "7 nhiệm vụ của cơ quan này" in reply
            assert "3 nhiệm vụ đến hạn trong 7 ngày tới, 2 nhiệm vụ quá hạn" in reply
            assert "đã theo dõi Bộ Nội vụ rồi" in await send(fake, message("/theodoi BNV"))
            assert "Đã theo dõi nhiệm vụ của Bộ Giáo dục và Đào tạo" in await send(fake, message("/theodoi bo gddt"))
            assert "không nhận ra cơ quan “bộ không tên”" in await send(fake, message("/theodoi bộ không tên"))
            listing = await send(fake, message("/theodoi"))
            assert "Đang theo dõi 2 cơ quan" in listing and "• Bộ Nội vụ\n• Bộ Giáo dục và Đào tạo" in listing
            assert "Đã thôi theo dõi: Bộ Giáo dục và Đào tạo." == await send(fake, message("/huytheodoi BGDĐT"))
            assert "không theo dõi “BGDĐT”" in await send(fake, message("/huytheodoi BGDĐT"))
            assert "Đã thôi theo dõi: Bộ Nội vụ." == await send(fake, message("/huytheodoi"))
            assert "chưa theo dõi cơ quan nào" in await send(fake, message("/theodoi"))
            group = await send(fake, message(f"/theodoi@{BOT_USERNAME} VPCP", chat_id=GROUP))
            assert "Văn phòng Chính phủ" in group
            assert "reply_parameters" in fake.calls_to("sendMessage")[-1].params  # groups: a reply to the command
            menu = [c["command"] for c in fake.calls_to("setMyCommands")[0].params["commands"]]
            assert menu[0] == "start" and {"theodoi", "huytheodoi"} <= set(menu)
            assert "/theodoi <cơ quan>" in await send(fake, message("/help"))

    run(scenario())
    assert service.following(USER) == () and service.following(GROUP) == ("Văn phòng Chính phủ",)


def test_daily_digest_on_a_frozen_day_holds_exactly_the_due_and_overdue_tasks(fake, service):
    service.follow(USER, "BNV", TODAY, 7)
    service.follow(GROUP, "bo gddt", TODAY, 7)  # its only task is 30 days away: nothing to send
    service.follow(OTHER, "Bộ Tư pháp", TODAY, 7)

    async def scenario():
        async with running(fake, service) as app:
            (job,) = app.job_queue.get_jobs_by_name(JOB_NAME)
            first = job.next_t.astimezone(ZoneInfo("Asia/Ho_Chi_Minh"))
            assert (first.hour, first.minute) == (8, 0) and first > datetime.now(timezone.utc)
            job.job.modify(next_run_time=datetime.now(timezone.utc))  # let the scheduler fire it now
            await asyncio.to_thread(fake.wait_for, lambda: {USER, OTHER} <= sent_to(fake))
            await asyncio.sleep(0.2)  # nothing more may follow
            assert job.next_t.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).hour == 8  # tomorrow, same hour

    run(scenario())
    assert sent_to(fake) == {USER, OTHER}  # the group has nothing due, so it gets nothing
    texts = fake.sent_texts(USER)
    assert listed(texts) == [("1", "đến hạn hôm nay"), ("2", "còn 3 ngày"), ("3", "còn 7 ngày"),
                             ("4", "quá hạn 1 ngày"), ("5", "quá hạn 200 ngày")]
    plain = to_plain("\n".join(texts))
    assert "Nhắc hạn nhiệm vụ ngày 10/03/2024" in plain
    assert "Bộ Nội vụ: 3 nhiệm vụ đến hạn trong 7 ngày tới, 2 nhiệm vụ quá hạn" in plain
    assert "Nhiệm vụ 2 (phối hợp)" in plain and "Thời hạn: Trước ngày 13/03/2024 (13/03/2024)" in plain
    assert "Nguồn: 15/KH-BNV · nhiệm vụ 5" in plain
    assert listed(fake.sent_texts(OTHER)) == [("8", "còn 1 ngày")]


def test_digest_hour_from_settings_and_a_blocked_chat_stops_receiving(fake, service):
    service.follow(USER, "BNV", TODAY, 7)
    service.follow(OTHER, "BNV", TODAY, 7)

    async def scenario():
        async with running(fake, service, remind_hour=17, remind_days=0) as app:
            (job,) = app.job_queue.get_jobs_by_name(JOB_NAME)
            assert job.next_t.astimezone(ZoneInfo("Asia/Ho_Chi_Minh")).hour == 17
            fake.fail_next("sendMessage", 403, "Forbidden: bot was blocked by the user")
            await job.run(app)

    run(scenario())
    # The first chat (in the order followed) refused the bot: it is dropped, and the other chat
    # still gets its digest (a window of 0 days: today's task and the overdue ones).
    first, *rest = fake.calls_to("sendMessage")
    assert int(first.params["chat_id"]) == USER and rest
    assert {int(c.params["chat_id"]) for c in rest} == {OTHER}
    assert listed([c.params["text"] for c in rest]) == [("1", "đến hạn hôm nay"), ("4", "quá hạn 1 ngày"),
                                                        ("5", "quá hạn 200 ngày")]
    assert service.following(USER) == () and service.following(OTHER) == ("Bộ Nội vụ",)


def sent_to(fake) -> set[int]:
    return {int(c.params["chat_id"]) for c in fake.calls_to("sendMessage")
            if "Nhắc hạn" in c.params.get("text", "")}
