"""SIGTERM during a fan-out: the requests in flight finish and are recorded, the process is gone
within 3 seconds, and the next start sends the rest, each message once."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

from conftest import SH, Bot, make_app, settings_for
from delivery_support import dispatches_to, owner, seed_owners
from fakebot import FakeTelegram
from sqlmodel import select

from bot.lifecycle import start_app, stop_app
from core.clock import FixedClock
from storage.db import Database
from storage.models import OutboxMessage

HARNESS = Path(__file__).with_name("crash_bot.py")
OWNERS = 60  # at crash_bot's 12 a second, 5 s of fan-out: a stop that waits for it is late
FRIDAY = datetime(2024, 9, 20, 15, 0, tzinfo=SH)
MONDAY = datetime(2024, 9, 23, 9, 30, tzinfo=SH)  # W39's dispatch is due: caught up at start


def _run(db_url: str, api: FakeTelegram) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(HARNESS.parent)}
    return subprocess.Popen(
        [sys.executable, str(HARNESS), db_url, api.base_url, MONDAY.isoformat(), "run"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


async def _rows(db_url: str) -> list[OutboxMessage]:
    db = Database(db_url)
    try:
        async with db.session() as s:
            return list((await s.exec(select(OutboxMessage))).all())
    finally:
        await db.dispose()


async def test_sigterm_mid_fan_out_records_what_went_and_exits_within_3_seconds(
    db_url: str,
) -> None:
    users = [owner(i) for i in range(OWNERS)]
    async with FakeTelegram() as api:
        settings = settings_for(api, db_url)
        app = make_app(settings, FixedClock(FRIDAY))
        await start_app(app, poll_timeout=1)
        await seed_owners(Bot(api, app, FixedClock(FRIDAY), settings), OWNERS)
        await stop_app(app)

        def reached() -> int:
            return sum(1 for u in users if dispatches_to(api, u))

        proc = _run(db_url, api)
        try:
            await api.wait_until(lambda: reached() >= 10, timeout=60)
            proc.send_signal(signal.SIGTERM)
            stopped = time.monotonic()
            code = await asyncio.wait_for(asyncio.to_thread(proc.wait), 10)
            took = time.monotonic() - stopped
        finally:
            if proc.poll() is None:
                proc.kill()
        # a request already on its way is still taken by the server after the exit
        await api.wait_until(lambda: api.open_sends == 0, timeout=5)
        sent_before = reached()
        rows = await _rows(db_url)
        assert (code, took < 3.0) == (0, True), f"exit {code} after {took:.1f}s"
        assert sent_before < OWNERS  # it stopped, it did not finish the fan-out first
        # every message Telegram took is recorded; the rest is queued for the next start
        assert sum(r.state == "sent" for r in rows) == sent_before
        assert sum(r.state == "queued" for r in rows) == OWNERS - sent_before

        proc = _run(db_url, api)  # the next start sends the rest, nothing twice
        try:
            await api.wait_until(lambda: reached() == OWNERS, timeout=60)
            await api.settle(quiet=0.5, timeout=10)
        finally:
            proc.send_signal(signal.SIGTERM)
            await asyncio.wait_for(asyncio.to_thread(proc.wait), 10)
        assert [dispatches_to(api, u) for u in users] == [1] * OWNERS
