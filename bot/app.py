"""build_application: the one composition root."""

from __future__ import annotations

import logging
from typing import Any

from telegram import Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseRateLimiter,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot import commands
from bot.clock import Clock
from bot.context import CadenceContext, Services
from bot.settings import Settings
from handlers import admin, errors, ledger, people, start
from storage.db import Database

log = logging.getLogger(__name__)
CadenceApp = Application[Any, CadenceContext, dict[Any, Any], dict[Any, Any], dict[Any, Any], Any]


async def _post_init(app: CadenceApp) -> None:
    svc: Services = app.bot_data["svc"]
    svc.db = Database(svc.settings.database_url)
    await commands.register(app.bot, svc.settings.cadence_locale)


async def _post_shutdown(app: CadenceApp) -> None:
    svc: Services = app.bot_data["svc"]
    if svc.db is not None:
        await svc.db.dispose()
        svc.db = None


def build_application(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> CadenceApp:
    """Wire settings, resources and every handler into one PTB Application."""
    if settings.telegram_bot_token is None:
        raise ValueError("TELEGRAM_BOT_TOKEN is not set")
    builder = (
        ApplicationBuilder()
        .token(settings.telegram_bot_token.get_secret_value())
        .context_types(ContextTypes(context=CadenceContext))
        .rate_limiter(rate_limiter or AIORateLimiter())
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
        builder = builder.base_file_url(settings.file_base_url or "")
    app: CadenceApp = builder.build()
    app.bot_data["svc"] = Services(settings=settings, clock=clock or Clock())
    private = filters.ChatType.PRIVATE
    handlers = [
        # /start carries invite tokens from strangers, so it comes before anything gated
        CommandHandler("start", start.start),
        CommandHandler("help", start.help_command),
        CommandHandler("lang", start.lang),
        CallbackQueryHandler(start.lang_chosen, pattern=r"^lang:"),
        CommandHandler("use", start.use),
        CommandHandler("newprogramme", admin.new_programme),
        CommandHandler("setup", admin.setup),
        CommandHandler("invites", people.invites),
        CommandHandler("people", people.people_list),
        CommandHandler("my", people.my),
        MessageHandler(private & filters.Document.ALL, ledger.receive_file),
        CallbackQueryHandler(ledger.confirm, pattern=r"^imp:"),
    ]
    app.add_handlers(handlers)
    app.add_error_handler(errors.on_error)
    return app


def run(settings: Settings) -> None:
    """Run the bot with long polling until interrupted."""
    app = build_application(settings)
    app.run_polling(allowed_updates=Update.ALL_TYPES)
