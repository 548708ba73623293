"""The bot's update handlers. They only route: answering is the Answerer's job."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.constants import ChatAction, ChatType, MessageEntityType
from telegram.error import TelegramError
from telegram.ext import ContextTypes

from assistant.types import Answerer
from bots.access import AccessPolicy, ChatStore, RateLimiter
from bots.formatting import render_answer, render_citations, render_documents, render_text
from bots.sending import RetryPolicy, send_parts

log = logging.getLogger(__name__)
SOURCES_PREFIX = "nguon:"
TYPING_EVERY_S = 4.0  # Telegram shows "typing…" for about 5 s


@dataclass
class BotCore:
    answerer: Answerer
    list_documents: Callable[[], list[tuple[str, str]]]
    texts: dict
    access: AccessPolicy
    limiter: RateLimiter
    chats: ChatStore
    retry: RetryPolicy
    max_question_chars: int = 1000

    # -- helpers -------------------------------------------------------------------------
    async def _say(self, update: Update, context: ContextTypes.DEFAULT_TYPE, parts: list[str],
                   markup: InlineKeyboardMarkup | None = None) -> None:
        chat = update.effective_chat
        # In groups, reply to the asking message so the thread stays readable.
        reply_to = update.effective_message.message_id if (
            update.effective_message and chat.type != ChatType.PRIVATE) else None
        await send_parts(context.bot, chat.id, parts, self.retry, markup, reply_to)

    async def _say_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE, key: str, **fmt) -> None:
        await self._say(update, context, render_text(self.texts[key].format(**fmt)))

    async def _admitted(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> bool:
        user, chat = update.effective_user, update.effective_chat
        if self.access.allows(user.id if user else None, chat.id if chat else None):
            return True
        log.info("refused user=%s chat=%s", user.id if user else None, chat.id if chat else None)
        if update.callback_query:
            await update.callback_query.answer(self.texts["not_allowed"][:200], show_alert=True)
        elif chat:
            await self._say_text(update, context, "not_allowed")
        return False

    # -- commands ------------------------------------------------------------------------
    async def on_start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update, context):
            await self._say_text(update, context, "start")

    async def on_help(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update, context):
            await self._say_text(update, context, "help", bot_username=context.bot.username or "bot")

    async def on_ask_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update, context):
            await self._answer(update, context, " ".join(context.args or []))

    async def on_new(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update, context):
            self.chats.get(update.effective_chat.id).reset()
            await self._say_text(update, context, "new_conversation")

    async def on_documents(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if not await self._admitted(update, context):
            return
        docs = await asyncio.to_thread(self.list_documents)
        if not docs:
            await self._say_text(update, context, "no_documents")
            return
        header = self.texts["documents_header"].format(count=len(docs))
        await self._say(update, context, render_documents(header, docs))

    async def on_sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update, context):
            await self._show_sources(update, context, None)

    async def on_sources_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if not await self._admitted(update, context):
            return
        with contextlib.suppress(TelegramError):  # an old query cannot be answered; still show sources
            await query.answer()
        seq = query.data.removeprefix(SOURCES_PREFIX)
        await self._show_sources(update, context, int(seq) if seq.isdigit() else None)

    async def _show_sources(self, update: Update, context: ContextTypes.DEFAULT_TYPE, seq: int | None) -> None:
        citations = self.chats.get(update.effective_chat.id).citations(seq)
        if not citations:
            await self._say_text(update, context, "no_citations")
            return
        await self._say(update, context, render_citations(self.texts["citations_header"], citations))

    # -- questions -----------------------------------------------------------------------
    async def on_private_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        if await self._admitted(update, context):
            await self._answer(update, context, update.effective_message.text or "")

    async def on_group_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """In groups, answer only when addressed: an @mention or a reply to the bot."""
        message = update.effective_message
        if not _addressed_to_bot(message, context.bot.id, context.bot.username):
            return
        if await self._admitted(update, context):
            await self._answer(update, context, _strip_mention(message.text or "", context.bot.username))

    async def _answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE, question: str) -> None:
        question = question.strip()
        chat_id = update.effective_chat.id
        if not question:
            await self._say_text(update, context, "empty_question")
            return
        if len(question) > self.max_question_chars:
            await self._say_text(update, context, "question_too_long", length=len(question),
                                 limit=self.max_question_chars)
            return
        user_key = update.effective_user.id if update.effective_user else chat_id
        if not self.limiter.acquire(user_key):
            await self._say_text(update, context, "rate_limited", seconds=self.limiter.retry_in(user_key))
            return
        state = self.chats.get(chat_id)
        async with state.lock:  # one question at a time per chat, so follow-ups see the last answer
            answer = await self._answer_with_typing(context, chat_id, question, state.conversation_id)
            state.conversation_id = answer.conversation_id
            seq = state.remember(answer.citations)
            markup = None
            if answer.citations:
                button = InlineKeyboardButton(self.texts["sources_button"], callback_data=f"{SOURCES_PREFIX}{seq}")
                markup = InlineKeyboardMarkup([[button]])
            await self._say(update, context, render_answer(answer), markup)

    async def _answer_with_typing(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, question: str,
                                  conversation_id: str | None):
        await _typing(context.bot, chat_id)
        keep_typing = asyncio.create_task(_keep_typing(context.bot, chat_id))
        try:
            # The Answerer is synchronous (retrieval, models): keep the event loop free.
            return await asyncio.to_thread(self.answerer.answer, question, conversation_id=conversation_id)
        finally:
            keep_typing.cancel()

    # -- errors --------------------------------------------------------------------------
    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """One failing update never stops the bot: log it and apologise to the user."""
        update_id = update.update_id if isinstance(update, Update) else None
        log.error("update %s failed: %r", update_id, context.error, exc_info=context.error)
        if not isinstance(update, Update) or update.effective_chat is None:
            return
        try:
            await self._say_text(update, context, "error")
        except Exception:  # the apology itself failed (blocked bot, network down): only log
            log.exception("could not send the apology for update %s", update_id)


async def _typing(bot, chat_id: int) -> None:
    with contextlib.suppress(TelegramError):  # a missing "typing…" is not worth failing an answer
        await bot.send_chat_action(chat_id=chat_id, action=ChatAction.TYPING)


async def _keep_typing(bot, chat_id: int) -> None:
    while True:
        await asyncio.sleep(TYPING_EVERY_S)
        await _typing(bot, chat_id)


def _addressed_to_bot(message: Message | None, bot_id: int, username: str | None) -> bool:
    if message is None:
        return False
    reply = message.reply_to_message
    if reply is not None and reply.from_user is not None and reply.from_user.id == bot_id:
        return True
    mention = f"@{username}".lower() if username else None
    for entity, text in message.parse_entities().items():
        if entity.type == MessageEntityType.MENTION and mention and text.lower() == mention:
            return True
        if entity.type == MessageEntityType.TEXT_MENTION and entity.user and entity.user.id == bot_id:
            return True
    return False


def _strip_mention(text: str, username: str | None) -> str:
    if not username:
        return text
    return re.sub(rf"@{re.escape(username)}\b", " ", text, flags=re.IGNORECASE).strip(" ,:")
