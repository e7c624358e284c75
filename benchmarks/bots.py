"""A bot process of the update benchmark: the bare PTB echo or Cadence, measuring its own CPU.

`python -m benchmarks.bots '<json>'` polls the fake Bot API at the given port, runs each
scenario once to warm up and once measured, and prints one JSON line of figures. The echo
imports nothing of Cadence, so its process is what a bare PTB bot costs.
"""

from __future__ import annotations

import asyncio
import cProfile
import json
import os
import sys
import time
from collections import Counter
from typing import Any

from aiohttp import ClientSession
from telegram import Update
from telegram.ext import Application, ApplicationBuilder, ContextTypes, MessageHandler, filters

from benchmarks.control import control, session

TOKEN = (
    "7000001:TEST-TOKEN"  # bot/sandbox/objects.BOT_TOKEN, spelled out to import nothing of Cadence
)


async def _echo(update: Update, _context: ContextTypes.DEFAULT_TYPE) -> None:
    assert update.message is not None and update.message.text is not None
    await update.message.reply_text(update.message.text)


async def _run(
    http: ClientSession,
    port: int,
    scenario: dict[str, Any],
    counts: Counter[str],
    profile: cProfile.Profile | None = None,
) -> dict[str, Any]:
    """Warm up, then one measured run: CPU ms per update of this process, and DB work."""
    await control(http, port, "run", {**scenario, "n": scenario["warm"], "first": True})
    before = counts.copy()
    if profile is not None:  # the measured run only: the warm-up has the start's due beat
        profile.enable()
    cpu = time.process_time()
    done = await control(http, port, "run", scenario)
    cpu = time.process_time() - cpu
    if profile is not None:
        profile.disable()
    n = done["updates"] or 1  # idle: CPU ms for the whole run
    per = {k: (counts[k] - before[k]) / n for k in ("statements", "commits", "handoffs")}
    return {"name": scenario["name"], "cpu_ms": cpu * 1000 / n, "updates": n, **per}


async def _measure(
    app: Application[Any, Any, Any, Any, Any, Any],
    config: dict[str, Any],
    counts: Counter[str],
    profile: cProfile.Profile | None = None,
) -> list[dict[str, Any]]:
    async with session() as http:
        results = []
        for scenario in config["scenarios"]:
            chosen = profile if scenario["name"] == config.get("profile") else None
            results.append(await _run(http, config["port"], scenario, counts, chosen))
        return results


async def echo(config: dict[str, Any]) -> list[dict[str, Any]]:
    """The bare PTB echo bot: one MessageHandler replying the text."""
    base = f"http://127.0.0.1:{config['port']}/bot"
    app = ApplicationBuilder().token(TOKEN).base_url(base).build()
    app.add_handler(MessageHandler(filters.TEXT, _echo))
    await app.initialize()
    await app.start()
    assert app.updater is not None
    await app.updater.start_polling(poll_interval=0.0, timeout=1)
    profile = cProfile.Profile(time.thread_time) if config.get("profile") else None
    try:
        return await _measure(app, config, Counter(), profile)
    finally:
        if profile is not None:
            profile.dump_stats(config["profile_to"])
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


def _count(app: Application[Any, Any, Any, Any, Any, Any], counts: Counter[str]) -> None:
    """Count SQL statements, commits and (SQLite) hand-offs to the aiosqlite thread."""
    import aiosqlite.core
    from sqlalchemy import event

    engine = app.bot_data["svc"].database.engine.sync_engine
    event.listen(engine, "before_cursor_execute", lambda *_: counts.update(["statements"]))
    if os.environ.get("BENCH_SQL"):  # which statements, for reading (stderr)
        event.listen(engine, "before_cursor_execute", lambda *a: print(a[2][:160], file=sys.stderr))
        event.listen(engine, "commit", lambda *_: print("COMMIT", file=sys.stderr))
    event.listen(engine, "commit", lambda *_: counts.update(["commits"]))
    original = aiosqlite.core.Connection._execute

    async def counted(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        counts.update(["handoffs"])
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    aiosqlite.core.Connection._execute = counted  # type: ignore[method-assign]


async def cadence(config: dict[str, Any]) -> list[dict[str, Any]]:
    """Cadence as production builds it, on the benchmark's database."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from bot.app import build_application
    from bot.lifecycle import start_app, stop_app
    from bot.settings import Settings
    from core.clock import FixedClock
    from jobs.pacing import Limits, PacedLimiter, Pacer

    settings = Settings(
        _env_file=None,
        telegram_bot_token=TOKEN,
        database_url=config["url"],
        telegram_api_base_url=f"http://127.0.0.1:{config['port']}/bot",
        cadence_reconcile_seconds=3600.0,  # per-update cost, not the periodic re-plan
    )
    clock = FixedClock(datetime(2024, 9, 30, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))
    relaxed = PacedLimiter(Pacer(Limits(private_per_second=0, group_per_minute=0)))
    app = build_application(settings, clock=clock, rate_limiter=relaxed)
    await start_app(app, poll_timeout=1)
    counts: Counter[str] = Counter()
    _count(app, counts)
    profile = cProfile.Profile(time.thread_time) if config.get("profile") else None
    try:
        return await _measure(app, config, counts, profile)
    finally:
        await stop_app(app)
        if profile is not None:
            profile.dump_stats(config["profile_to"])


if __name__ == "__main__":
    given = json.loads(sys.argv[1])
    figures = asyncio.run((cadence if given["bot"] == "cadence" else echo)(given))
    print(json.dumps(figures), flush=True)
