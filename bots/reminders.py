"""Reminders in Telegram: /theodoi <cơ quan>, /huytheodoi [cơ quan], and the daily digest that
PTB's JobQueue sends at ``CCHC_REMIND_HOUR`` (Việt Nam time). The handlers only route: which
tasks are due is ``assistant.reminders``, the subscriptions are kept by the assistant's
``ReminderService`` in the catalogue."""
from __future__ import annotations

import asyncio
import logging
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

from telegram import Update
from telegram.error import Forbidden, TelegramError
from telegram.ext import Application, ContextTypes, Job

from assistant.reminder_service import MAX_PER_CHAT, FollowResult
from assistant.reminders import REMIND_TZ, Digest
from bots.formatting import render_digests, render_text
from bots.handlers import BotCore
from bots.sending import send_parts

log = logging.getLogger(__name__)
TEXTS_PATH = Path(__file__).resolve().parents[1] / "prompts" / "reminders.toml"
JOB_NAME = "cchc-reminders"


class Reminders(Protocol):
    """What the bot asks of ``assistant.reminder_service.ReminderService``."""

    def follow(self, chat_id: int, text: str, today: date, days: int) -> FollowResult: ...
    def unfollow(self, chat_id: int, text: str = "") -> tuple[str, ...]: ...
    def following(self, chat_id: int) -> tuple[str, ...]: ...
    def digests(self, today: date, days: int) -> dict[int, tuple[Digest, ...]]: ...


def load_reminder_texts(path: Path | None = None) -> dict:
    with open(path or TEXTS_PATH, "rb") as fh:
        return tomllib.load(fh)


def with_reminder_texts(texts: dict, reminder_texts: dict, hour: int, days: int) -> dict:
    """The bot's texts with the reminder commands in its menu and their lines in /help."""
    extra = reminder_texts["help"].format(hour=hour, days=days)
    return {**texts, "help": f"{texts['help']}\n\n{extra}",
            "commands": {**texts.get("commands", {}), **reminder_texts.get("commands", {})}}


def local_today() -> date:
    return datetime.now(ZoneInfo(REMIND_TZ)).date()


def follow_reply(result: FollowResult) -> tuple[str, dict]:
    """The text key and its fields for the answer to /theodoi <cơ quan>."""
    if result.status == "unknown":
        return "unknown_agency", {"text": result.agency}
    if result.status == "too_many":
        return "too_many", {"limit": MAX_PER_CHAT}
    if result.status == "already":
        return "already_following", {"agency": result.agency}
    if not result.rows:
        return "followed_no_rows", {"agency": result.agency}
    digest = result.digest
    return "followed", {"agency": result.agency, "rows": result.rows,
                        "due": len(digest.due) if digest else 0, "overdue": len(digest.overdue) if digest else 0}


@dataclass
class ReminderBot:
    core: BotCore  # access, rate limit, retries and replies are the bot's own
    service: Reminders
    texts: dict  # prompts/reminders.toml
    hour: int
    days: int
    today: Callable[[], date] = local_today  # frozen in tests

    async def _reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE, key: str, **fmt) -> None:
        text = self.texts[key].format(hour=self.hour, days=self.days, **fmt)
        await self.core._say(update, context, render_text(text))

    async def on_follow(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/theodoi <cơ quan> follows an agency; /theodoi alone lists what the chat follows."""
        if not await self.core._admitted(update, context):
            return
        chat_id, text = update.effective_chat.id, " ".join(context.args or []).strip()
        if not text:
            await self._list(update, context, chat_id)
            return
        user_key = update.effective_user.id if update.effective_user else chat_id
        if not self.core.limiter.acquire(user_key):  # each follow reads every task row
            await self.core._say_text(update, context, "rate_limited", seconds=self.core.limiter.retry_in(user_key))
            return
        result = await asyncio.to_thread(self.service.follow, chat_id, text, self.today(), self.days)
        key, fields = follow_reply(result)
        await self._reply(update, context, key, **fields)

    async def _list(self, update: Update, context: ContextTypes.DEFAULT_TYPE, chat_id: int) -> None:
        agencies = await asyncio.to_thread(self.service.following, chat_id)
        if not agencies:
            await self._reply(update, context, "following_none")
            return
        header = self.texts["following_header"].format(count=len(agencies), hour=self.hour, days=self.days)
        await self.core._say(update, context, render_text("\n".join([header, *(f"• {a}" for a in agencies)])))

    async def on_unfollow(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/huytheodoi <cơ quan> stops one agency; /huytheodoi alone stops them all."""
        if not await self.core._admitted(update, context):
            return
        text = " ".join(context.args or []).strip()
        removed = await asyncio.to_thread(self.service.unfollow, update.effective_chat.id, text)
        if removed:
            await self._reply(update, context, "unfollowed", agencies=", ".join(removed))
        else:
            await self._reply(update, context, "unfollow_unknown" if text else "unfollow_none", text=text)

    async def send_digests(self, context: ContextTypes.DEFAULT_TYPE) -> int:
        """The JobQueue callback: each chat gets its digest; a chat with nothing due gets nothing.
        Returns how many chats were sent one."""
        today = self.today()
        by_chat = await asyncio.to_thread(self.service.digests, today, self.days)
        sent = 0
        for chat_id, digests in by_chat.items():
            parts = render_digests(digests)
            if parts and await self._send_digest(context, chat_id, parts):
                sent += 1
        log.info("reminders of %s: %d chats", today.isoformat(), sent)
        return sent

    async def _send_digest(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, parts: list[str]) -> bool:
        try:
            await send_parts(context.bot, chat_id, parts, self.core.retry)
            return True
        except Forbidden as err:  # blocked by the user or removed from the group: stop writing there
            log.info("chat %s refuses the bot (%s): its reminders are dropped", chat_id, err)
            await asyncio.to_thread(self.service.unfollow, chat_id)
        except TelegramError as err:  # one chat failing never keeps the others from their digest
            log.warning("reminder to chat %s failed: %r", chat_id, err)
        return False


def schedule_digest(app: Application, bot: ReminderBot) -> Job | None:
    """Run ``bot.send_digests`` every day at ``bot.hour``:00, Việt Nam time."""
    if app.job_queue is None:  # python-telegram-bot without its job-queue extra (APScheduler)
        log.warning("no JobQueue (install python-telegram-bot[job-queue]): daily reminders are off")
        return None
    at = time(hour=bot.hour, tzinfo=ZoneInfo(REMIND_TZ))
    return app.job_queue.run_daily(bot.send_digests, time=at, name=JOB_NAME)
