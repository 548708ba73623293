"""Sending messages that survive flood limits, flaky networks and refused markup."""
from __future__ import annotations

import asyncio
import datetime as dt
import logging
import warnings
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from telegram import Bot, InlineKeyboardMarkup, LinkPreviewOptions, Message, ReplyParameters
from telegram.constants import ParseMode
from telegram.error import BadRequest, NetworkError, RetryAfter

from bots.formatting import to_plain

log = logging.getLogger(__name__)
T = TypeVar("T")
Sleep = Callable[[float], Awaitable[Any]]


@dataclass(frozen=True)
class RetryPolicy:
    tries: int = 4
    base_delay_s: float = 0.5  # network errors: 0.5, 1, 2, … seconds
    max_sleep_s: float = 30.0  # never wait longer than this, whatever Telegram asks
    sleep: Sleep = asyncio.sleep  # injectable so tests do not really wait


def _retry_after_seconds(err: RetryAfter) -> float:
    # PTB 22 returns int or timedelta (PTB_TIMEDELTA) and warns about the change; accept both.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = err.retry_after
    return value.total_seconds() if isinstance(value, dt.timedelta) else float(value)


async def with_retry(call: Callable[[], Awaitable[T]], policy: RetryPolicy = RetryPolicy()) -> T:
    """Run ``call``; on RetryAfter wait what Telegram asks (capped), on network errors back off.

    BadRequest is a NetworkError subclass in PTB but retrying it cannot help, so it is raised.
    """
    for attempt in range(1, policy.tries + 1):
        try:
            return await call()
        except BadRequest:
            raise
        except RetryAfter as err:
            if attempt == policy.tries:
                raise
            delay = min(_retry_after_seconds(err), policy.max_sleep_s)
            log.warning("flood limit, retrying in %.1fs (attempt %d)", delay, attempt)
        except NetworkError as err:  # includes TimedOut
            if attempt == policy.tries:
                raise
            delay = min(policy.base_delay_s * 2 ** (attempt - 1), policy.max_sleep_s)
            log.warning("network error %r, retrying in %.1fs (attempt %d)", err, delay, attempt)
        await policy.sleep(delay)
    raise AssertionError("unreachable")  # the loop always returns or raises


async def send_html(bot: Bot, chat_id: int, text: str, policy: RetryPolicy,
                    reply_markup: InlineKeyboardMarkup | None = None,
                    reply_to: int | None = None) -> Message:
    """Send one HTML message; if Telegram refuses the markup, send the same text as plain text."""
    common: dict[str, Any] = {
        "chat_id": chat_id,
        "reply_markup": reply_markup,
        "link_preview_options": LinkPreviewOptions(is_disabled=True),
    }
    if reply_to is not None:
        common["reply_parameters"] = ReplyParameters(message_id=reply_to, allow_sending_without_reply=True)
    try:
        return await with_retry(lambda: bot.send_message(text=text, parse_mode=ParseMode.HTML, **common), policy)
    except BadRequest as err:
        log.warning("HTML refused (%s); sending plain text", err)
        plain = to_plain(text)
        return await with_retry(lambda: bot.send_message(text=plain, **common), policy)


async def send_parts(bot: Bot, chat_id: int, parts: Sequence[str], policy: RetryPolicy,
                     reply_markup: InlineKeyboardMarkup | None = None,
                     reply_to: int | None = None) -> list[Message]:
    """Send parts in order; the keyboard goes on the last part, the reply link on the first."""
    sent = []
    for i, part in enumerate(parts):
        markup = reply_markup if i == len(parts) - 1 else None
        sent.append(await send_html(bot, chat_id, part, policy, markup, reply_to if i == 0 else None))
    return sent
