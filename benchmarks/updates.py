"""CPU per update through the whole bot: HTTP polling, gate, one DB session, reply."""

from __future__ import annotations

import asyncio
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fakebot import BOT_TOKEN, FakeTelegram, User
from telegram.ext import AIORateLimiter

from bot.app import build_application, start_app, stop_app
from bot.clock import FixedClock
from bot.settings import Settings
from storage.migrate import upgrade

ADMIN = User(900, "Admin", language_code="en")
N = 300


async def measure(command: str, url: str) -> tuple[float, float]:
    """(CPU ms, wall ms) per update for one command, after a warm-up."""
    async with FakeTelegram() as api:
        settings = Settings(
            _env_file=None,
            telegram_bot_token=BOT_TOKEN,
            database_url=url,
            telegram_api_base_url=api.base_url,
            cadence_admins=frozenset({ADMIN.id}),
        )
        app = build_application(
            settings,
            clock=FixedClock(datetime(2024, 9, 30, 2, tzinfo=UTC)),
            rate_limiter=AIORateLimiter(overall_max_rate=0, group_max_rate=0),
        )
        await start_app(app, poll_timeout=1)
        try:
            await api.settle()
            api.send_private(ADMIN, "/newprogramme Bench")
            await api.wait_for(ADMIN.id)
            await api.settle()
            cpu, wall = time.process_time(), time.perf_counter()
            mark = api.mark()
            for _ in range(N):
                api.send_private(ADMIN, command)
            await api.wait_for(ADMIN.id, count=N, since=mark, timeout=120)
            return (time.process_time() - cpu) * 1000 / N, (time.perf_counter() - wall) * 1000 / N
        finally:
            await stop_app(app)


async def main() -> None:
    """Print a Markdown table row per command."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        await asyncio.to_thread(upgrade, url)
        print("| command | CPU ms/update | wall ms/update |\n|---|---|---|")
        for command in ("/help", "/summary", "/my"):
            cpu, wall = await measure(command, url)
            print(f"| `{command}` | {cpu:.2f} | {wall:.2f} |")


if __name__ == "__main__":
    asyncio.run(main())
