"""Telegram front end: builds the python-telegram-bot Application and runs it.

``cchc bot`` calls :func:`run_bot`. Long polling by default; webhook mode when
``CCHC_WEBHOOK_URL`` is set: PTB's own server (tornado, python-telegram-bot[webhooks]) listens
on ``Settings.webhook_listen``:``webhook_port`` and serves the path of the URL, so a reverse
proxy terminating https can forward to it unchanged; ``webhook_secret`` is checked on every call.
``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_API_BASE_URL`` (a local Bot API server) are read from the
environment unless passed in. The bot calls the Answerer in process; it never calls the HTTP API.
"""
from __future__ import annotations

import importlib.util
import logging
import os
import re
import sys
import time
import tomllib
from collections.abc import Callable
from datetime import date
from pathlib import Path
from urllib.parse import urlparse

from telegram import BotCommand, Update
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    MessageHandler,
    filters,
)

from assistant.settings import Settings
from assistant.types import Answerer
from bots.access import AccessPolicy, ChatStore, RateLimiter
from bots.handlers import SOURCES_PREFIX, BotCore
from bots.reminders import (ReminderBot, Reminders, load_reminder_texts, local_today, schedule_digest,
                            with_reminder_texts)
from bots.sending import RetryPolicy

log = logging.getLogger(__name__)
TEXTS_PATH = Path(__file__).resolve().parents[1] / "prompts" / "bot.toml"
TOKEN_ENV = "TELEGRAM_BOT_TOKEN"
BASE_URL_ENV = "TELEGRAM_API_BASE_URL"
# What Telegram accepts as setWebhook's secret_token; anything else is refused at start-up.
SECRET_TOKEN_RE = re.compile(r"[A-Za-z0-9_-]{1,256}")
ALLOWED_UPDATES = [Update.MESSAGE, Update.CALLBACK_QUERY]


def load_texts(path: Path | None = None) -> dict:
    with open(path or TEXTS_PATH, "rb") as fh:
        return tomllib.load(fh)


def document_list(catalogue) -> list[tuple[str, str]]:
    """(source, human label) for every indexed document, e.g. 'Quyết định 62/QĐ-… — trích yếu'."""
    from index.catalogue import meta_from_json

    rows = []
    for row in catalogue.documents():
        meta = meta_from_json(row["meta"]) if row["meta"] else None
        head = " ".join(x for x in (meta.doc_type, meta.number) if x) if meta else ""
        title = (meta.title or meta.plan_title) if meta else None
        label = " — ".join(x for x in (head, title) if x)
        counts = [f"{row[k]} {name}" for k, name in (("n_tasks", "nhiệm vụ"), ("n_articles", "điều")) if row[k]]
        if counts:
            label = f"{label} ({', '.join(counts)})" if label else ", ".join(counts)
        rows.append((row["source"], label))
    return rows


def _commands(texts: dict) -> list[BotCommand]:
    return [BotCommand(name, description) for name, description in texts.get("commands", {}).items()]


def _command_menu(commands: list[BotCommand]):
    async def post_init(app: Application) -> None:
        try:  # the command menu is a nicety; never refuse to start because of it
            await app.bot.set_my_commands(commands)
        except Exception as err:  # noqa: BLE001
            log.warning("setMyCommands failed: %r", err)

    return post_init


def build_application(
    answerer: Answerer,
    list_documents: Callable[[], list[tuple[str, str]]],
    settings: Settings,
    base_url: str | None = None,
    *,
    token: str | None = None,
    texts: dict | None = None,
    retry: RetryPolicy | None = None,
    clock: Callable[[], float] = time.monotonic,
    concurrency: int = 4,
    reminders: Reminders | None = None,
    today: Callable[[], date] = local_today,
) -> Application:
    """The configured Application. ``base_url`` (e.g. ``http://127.0.0.1:8081``) points PTB at
    another Bot API server (a local one, or a fake one in tests). With ``reminders`` the bot also
    has /theodoi and /huytheodoi and sends the daily digest; ``today`` gives its day."""
    texts = texts or load_texts()
    token = token or os.environ.get(TOKEN_ENV, "").strip()
    if not token:
        raise ValueError(texts["token_missing"])
    reminder_texts = load_reminder_texts() if reminders is not None else {}
    if reminders is not None:
        texts = with_reminder_texts(texts, reminder_texts, settings.remind_hour, settings.remind_days)
    core = BotCore(
        answerer=answerer,
        list_documents=list_documents,
        texts=texts,
        access=AccessPolicy(settings.telegram_allowed),
        limiter=RateLimiter(settings.telegram_rate_per_min, clock=clock),
        chats=ChatStore(settings.max_conversations),
        retry=retry or RetryPolicy(),
        max_question_chars=settings.max_question_chars,
    )
    builder = ApplicationBuilder().token(token).concurrent_updates(max(1, concurrency))
    if base_url:
        base = base_url.rstrip("/")
        builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
    app = builder.post_init(_command_menu(_commands(texts))).build()
    app.bot_data["core"] = core
    _add_handlers(app, core)
    if reminders is not None:
        _add_reminders(app, ReminderBot(core, reminders, reminder_texts, settings.remind_hour,
                                        settings.remind_days, today))
    return app


def _add_handlers(app: Application, core: BotCore) -> None:
    new_text = filters.UpdateType.MESSAGE & filters.TEXT & ~filters.COMMAND  # edits are not re-answered
    app.add_handler(CommandHandler("start", core.on_start))
    app.add_handler(CommandHandler("help", core.on_help))
    app.add_handler(CommandHandler("hoi", core.on_ask_command))
    app.add_handler(CommandHandler("nguon", core.on_sources))
    app.add_handler(CommandHandler("vanban", core.on_documents))
    app.add_handler(CommandHandler("moi", core.on_new))
    app.add_handler(CallbackQueryHandler(core.on_sources_button, pattern=rf"^{SOURCES_PREFIX}"))
    app.add_handler(MessageHandler(new_text & filters.ChatType.PRIVATE, core.on_private_text))
    app.add_handler(MessageHandler(new_text & filters.ChatType.GROUPS, core.on_group_text))
    app.add_error_handler(core.on_error)


def _add_reminders(app: Application, bot: ReminderBot) -> None:
    app.add_handler(CommandHandler("theodoi", bot.on_follow))
    app.add_handler(CommandHandler("huytheodoi", bot.on_unfollow))
    app.bot_data["reminders"] = bot
    schedule_digest(app, bot)


def webhook_options(settings: Settings) -> dict:
    """Keyword arguments for PTB's ``run_webhook``/``updater.start_webhook`` from the settings.

    The local server serves the same path as the public URL, so a reverse proxy can forward
    ``https://host/path`` to ``http://listen:port/path`` without rewriting it."""
    url = settings.webhook_url or ""
    return {
        "listen": settings.webhook_listen,
        "port": settings.webhook_port,
        "url_path": urlparse(url).path.lstrip("/"),
        "webhook_url": url,
        "secret_token": settings.webhook_secret or None,
        "allowed_updates": ALLOWED_UPDATES,
    }


def webhook_problem(settings: Settings, texts: dict) -> str | None:
    """Why webhook mode cannot start (a message for the operator), or None."""
    if importlib.util.find_spec("tornado") is None:
        return texts["webhook_unavailable"].format(detail="tornado is not installed")
    if urlparse(settings.webhook_url or "").scheme != "https":  # Telegram only calls https URLs
        return texts["webhook_not_https"].format(url=settings.webhook_url)
    if settings.webhook_secret and not SECRET_TOKEN_RE.fullmatch(settings.webhook_secret):
        return texts["webhook_secret_invalid"]
    return None


def _run_webhook(app: Application, settings: Settings) -> int:
    options = webhook_options(settings)
    log.info("bot started (webhook on %s:%s/%s)", options["listen"], options["port"], options["url_path"])
    app.run_webhook(**options)
    return 0


def run_bot(settings: Settings, *, token: str | None = None, base_url: str | None = None) -> int:
    """Entry point of ``cchc bot``: returns a process exit code. ``token`` and ``base_url``
    default to ``TELEGRAM_BOT_TOKEN`` and ``TELEGRAM_API_BASE_URL``."""
    texts = load_texts()
    token = (token or os.environ.get(TOKEN_ENV, "")).strip()
    if not token:
        print(texts["token_missing"], file=sys.stderr)
        return 2
    problem = webhook_problem(settings, texts) if settings.webhook_url else None
    if problem:
        print(problem, file=sys.stderr)
        return 2
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    logging.getLogger("httpx").setLevel(logging.WARNING)  # do not log every poll (the URL holds the token)
    from assistant.reminder_service import ReminderService
    from assistant.services import Services

    services = Services(settings)
    answerer = services.answerer
    if hasattr(answerer, "warm_up"):
        answerer.warm_up()  # load the model and the index once, before the first question
    app = build_application(answerer, lambda: document_list(services.catalogue), settings,
                            base_url=base_url or os.environ.get(BASE_URL_ENV) or None, token=token, texts=texts,
                            reminders=ReminderService(services.catalogue))
    if settings.webhook_url:
        return _run_webhook(app, settings)
    log.info("bot started (long polling)")
    app.run_polling(allowed_updates=ALLOWED_UPDATES)
    return 0
