"""A bot process for the crash tests: the real application, its clock pinned, polling a URL.

Usage: python crash_bot.py DATABASE_URL BOT_API_BASE_URL ISO_MOMENT
"""

from __future__ import annotations

import asyncio
import sys
from datetime import datetime

from conftest import ADMIN, make_app
from fakebot import BOT_TOKEN

from bot.app import start_app
from bot.clock import FixedClock
from bot.settings import Settings
from jobs.pacing import Limits

# slow enough that a fan-out to a few dozen owners lasts seconds: room to be killed in
SLOW = Limits(per_second=12, private_per_second=0, group_per_minute=0)


async def main(db_url: str, base_url: str, moment: str) -> None:
    """Run until killed."""
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
    )
    app = make_app(settings, FixedClock(datetime.fromisoformat(moment)), SLOW)
    await start_app(app, poll_timeout=1)
    print("ready", flush=True)
    await asyncio.Event().wait()


if __name__ == "__main__":
    asyncio.run(main(*sys.argv[1:4]))
