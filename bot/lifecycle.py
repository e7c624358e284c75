"""Start and stop the application: in the caller's loop (tests, CLI, benchmarks) or as `python -m bot run`."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from telegram import Bot, Update
from telegram.error import TelegramError
from telegram.ext import BaseRateLimiter

from bot import web
from bot.app import BOARD_PORT, CadenceApp, build_application, services_of
from bot.context import Services
from bot.settings import Settings
from core import logs
from core.clock import Clock


async def start_app(app: CadenceApp, *, poll_timeout: int = 10) -> None:
    """Start like run_polling does, for callers that own the event loop (tests, benchmarks)."""
    await app.initialize()
    if app.post_init is not None:
        await app.post_init(app)
    assert app.updater is not None
    await app.updater.start_polling(
        poll_interval=0.0,
        timeout=poll_timeout,
        allowed_updates=Update.ALL_TYPES,
        error_callback=lambda exc: _polling_error(app, exc),
    )
    await app.start()


def _polling_error(app: CadenceApp, exc: TelegramError) -> None:
    """Like run_polling: errors of getUpdates go to the error handler (409 Conflict stops)."""
    app.create_task(app.process_error(error=exc, update=None))


async def stop_app(app: CadenceApp) -> None:
    """Stop and shut down like run_polling does; deliveries in progress resume at the next start."""
    assert app.updater is not None
    sender = app.bot_data["svc"].sender
    if sender is not None:
        await sender.stop()
    if app.updater.running:
        await app.updater.stop()
    if app.running:
        await app.stop()
    await app.shutdown()
    if app.post_shutdown is not None:
        await app.post_shutdown(app)


@asynccontextmanager
async def services(settings: Settings, clock: Clock | None = None) -> AsyncIterator[Services]:
    """The bot's services for a command that needs no Bot API (the CLI); closed afterwards."""
    svc = Services(settings=settings, clock=clock or Clock())
    try:
        yield svc
    finally:
        await svc.close()


@asynccontextmanager
async def bot_and_services(
    settings: Settings, clock: Clock | None = None
) -> AsyncIterator[tuple[Bot, Services]]:
    """build_application's own Bot (API and file URL, rate limiter) and services, for the CLI."""
    app = build_application(settings, clock=clock)
    svc = services_of(app)
    try:
        async with app.bot:
            yield app.bot, svc
    finally:
        await svc.close()


CONFLICT_EXIT = 4  # another process polls with this token: a supervisor must notice


def run(
    settings: Settings,
    *,
    clock: Clock | None = None,
    rate_limiter: BaseRateLimiter[Any] | None = None,
) -> int:
    """Run the bot until stopped (long polling, or a webhook when its URL is set); exit status."""
    app = build_application(settings, clock=clock, rate_limiter=rate_limiter)
    services_of(app).stop_on_signals = True
    logs.quiet_start_failures()
    url, secret = settings.telegram_webhook_url, settings.telegram_webhook_secret
    if url and secret:
        web.run_webhook(app, settings)  # one listener: the updates and the board (issue 28)
        return 0
    if settings.cadence_webapp_url:
        app.bot_data[BOARD_PORT] = settings.cadence_webapp_port
    svc = app.bot_data["svc"]
    svc.run_polling = True  # a 409 Conflict stops the process
    app.run_polling(allowed_updates=Update.ALL_TYPES, stop_signals=None)
    return CONFLICT_EXIT if svc.conflict else 0
