"""A bot process for the crash and replica tests: the real application, its clock pinned.

Usage: python crash_bot.py DATABASE_URL BOT_API_BASE_URL ISO_MOMENT [WEBHOOK_PORT | run]
With WEBHOOK_PORT it is a webhook replica listening on 127.0.0.1:WEBHOOK_PORT; with `run` it is
bot.app.run as deployed (its signal handling included); else it polls.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime
from typing import Any

from conftest import ADMIN, make_app
from fakebot import BOT_TOKEN

from bot import web
from bot.app import start_app
from bot.settings import Settings
from core.clock import FixedClock
from jobs.pacing import Limits

# slow enough that a fan-out to a few dozen owners lasts seconds: room to be killed in
SLOW = Limits(per_second=12, private_per_second=0, group_per_minute=0)
RELAXED = Limits(per_second=1000, private_per_second=0, group_per_minute=0)
PUBLIC = "https://cadence.example.org/telegram/hook"
SECRET = "s3cret-token_for-tests"


async def main(db_url: str, base_url: str, moment: str, port: str | None = None) -> None:
    """Run until killed."""
    webhook: dict[str, Any] = (
        {"telegram_webhook_url": PUBLIC, "telegram_webhook_secret": SECRET} if port else {}
    )
    settings = Settings(
        _env_file=None,
        telegram_bot_token=BOT_TOKEN,
        database_url=db_url,
        telegram_api_base_url=base_url,
        cadence_admins=frozenset({ADMIN.id}),
        cadence_retry_seconds=0.05,
        cadence_send_timeout=2.0,
        cadence_lease_seconds=3.0,
        cadence_reconcile_seconds=1.0,  # a lease a kill left behind is taken up again soon
        **webhook,
    )
    app = make_app(settings, FixedClock(datetime.fromisoformat(moment)), RELAXED if port else SLOW)
    if port:  # like bot.web.run_webhook, on a loop we own
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        # the listener bot.app.run serves in webhook mode: updates and the board on one port
        await web.start_webhook(app, listen="127.0.0.1", port=int(port), url=PUBLIC, secret=SECRET)
        await app.start()
    else:
        await start_app(app, poll_timeout=1)
    print("ready", flush=True)
    await asyncio.Event().wait()


def deployed(db_url: str, base_url: str, moment: str) -> int:
    """bot.app.run, as `python -m bot run` calls it, with the clock pinned and slow pacing."""
    from bot.app import run
    from jobs.pacing import PacedLimiter, Pacer

    settings = Settings(
        _env_file=None,
        telegram_bot_token=BOT_TOKEN,
        database_url=db_url,
        telegram_api_base_url=base_url,
        cadence_send_timeout=2.0,
    )
    clock = FixedClock(datetime.fromisoformat(moment))
    return run(settings, clock=clock, rate_limiter=PacedLimiter(Pacer(SLOW)))


if __name__ == "__main__":
    if sys.argv[4:5] == ["run"]:
        sys.exit(deployed(*sys.argv[1:4]))
    asyncio.run(main(*sys.argv[1:5]))
