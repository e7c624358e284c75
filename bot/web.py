"""One aiohttp listener for the leaders' board and, in webhook mode, Telegram's updates.

As PTB's custom-webhook example does: the webhook route checks Telegram's secret token and puts
each update on the application's queue; the board's page and API sit beside it (issue 28).
"""

from __future__ import annotations

import asyncio
import hmac
from typing import Any
from urllib.parse import urlsplit

from aiohttp import web
from telegram import Update

from bot.settings import Settings
from handlers.board.web import Board

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
RUNNER = "web"  # bot_data key of the running listener: post_shutdown closes it


def web_app(ptb: Any, *, webhook: tuple[str, str] | None = None) -> web.Application:
    """The board's routes, and the webhook's (path, secret) when given."""
    app = web.Application(client_max_size=2 * 1024 * 1024)
    Board(ptb).routes(app)
    if webhook is not None:
        path, secret = webhook
        app.router.add_post("/" + path.lstrip("/"), _receiver(ptb, secret))
    return app


def _receiver(ptb: Any, secret: str) -> Any:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            raise web.HTTPForbidden()  # as PTB's own webhook server answers a wrong secret
        try:
            update = Update.de_json(await request.json(), ptb.bot)
        except (ValueError, TypeError, KeyError):
            raise web.HTTPBadRequest() from None
        await ptb.update_queue.put(update)
        return web.Response()

    return receive


async def serve(
    ptb: Any, *, listen: str, port: int, webhook: tuple[str, str] | None = None
) -> web.AppRunner:
    """Start listening (port 0: any free one); the application's post_shutdown stops it."""
    runner = web.AppRunner(web_app(ptb, webhook=webhook), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, listen, port).start()
    ptb.bot_data[RUNNER] = runner
    return runner


async def close(ptb: Any) -> None:
    """Stop the listener, if one was started."""
    runner = ptb.bot_data.pop(RUNNER, None)
    if isinstance(runner, web.AppRunner):
        await runner.cleanup()


async def start_webhook(ptb: Any, *, listen: str, port: int, url: str, secret: str) -> None:
    """Listen for updates (and the board) and tell Telegram where to post them."""
    await serve(ptb, listen=listen, port=port, webhook=(urlsplit(url).path, secret))
    await ptb.bot.set_webhook(url=url, secret_token=secret, allowed_updates=Update.ALL_TYPES)


def run_webhook(ptb: Any, settings: Settings) -> None:
    """Like PTB's run_webhook, on our own listener: until app.stop_running() stops the loop."""
    assert settings.telegram_webhook_url and settings.telegram_webhook_secret
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    try:
        loop.run_until_complete(ptb.initialize())
        if ptb.post_init is not None:
            loop.run_until_complete(ptb.post_init(ptb))
        loop.run_until_complete(
            start_webhook(
                ptb,
                listen=settings.cadence_webhook_listen,
                port=settings.cadence_webhook_port,
                url=settings.telegram_webhook_url,
                secret=settings.telegram_webhook_secret.get_secret_value(),
            )
        )
        loop.run_until_complete(ptb.start())
        loop.run_forever()  # app.stop_running() stops it (bot.app._stop, on a signal)
    finally:
        if ptb.running:
            loop.run_until_complete(ptb.stop())
        loop.run_until_complete(ptb.shutdown())
        if ptb.post_shutdown is not None:
            loop.run_until_complete(ptb.post_shutdown(ptb))
        loop.close()
