"""A 1,000-owner dispatch SIGKILLed 20 times at random moments: duplicates per kill.

The sender runs in a child process as `python -m bot beat dispatch` does (Telegram's limits,
the default CADENCE_SEND_IN_FLIGHT); the fake Bot API enforces the flood limits, answers each
send LATENCY s after it kept the message (Telegram's order) and counts the requests open at
each kill. A copy goes twice only if Telegram took it and its record was not committed when
the process died: per kill, those copies against the bound. BENCH_DATABASE_URL: PostgreSQL
instead of a temporary SQLite file (its schema is dropped and migrated afresh first).
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from conftest import postgres_at_head
from delivery_support import DISPATCH_HEAD
from fakebot import BOT_TOKEN, FakeTelegram
from sqlmodel import select
from telegram.ext import ExtBot

from benchmarks.fanout import NOW, N, seed, tally
from bot.context import Services
from bot.settings import Settings
from core.clock import FixedClock
from core.domain.model import Beat
from jobs.pacing import PacedLimiter
from jobs.run import run_beat
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxMessage

KILLS = int(os.environ.get("BENCH_KILLS", "20"))
LATENCY = 0.2  # Telegram's usual answer time
LEASE = 5.0  # a killed sender's leases end soon, so the next start goes on
ROOT = Path(__file__).resolve().parents[1]
Copy = tuple[int, int]


async def child(url: str, base: str, pid: str) -> None:
    """One sender process: the dispatch, resumed until nothing is queued (or it is killed)."""
    settings = Settings(
        _env_file=None,
        telegram_bot_token=BOT_TOKEN,
        database_url=url,
        telegram_api_base_url=base,
        cadence_lease_seconds=LEASE,
        cadence_retry_seconds=0.2,
    )
    db = Database(url)
    svc = Services(settings=settings, clock=FixedClock(NOW), db=db)
    async with ExtBot(BOT_TOKEN, base_url=base, rate_limiter=PacedLimiter()) as bot:
        print("ready", flush=True)
        while True:
            await run_beat(
                bot, svc, programme_id=int(pid), beat=Beat.DISPATCH, budget=600, resume=True
            )
            async with db.session() as s:
                rows = (await s.exec(select(OutboxMessage))).all()
            if all(r.state != "queued" for r in rows):
                break
            await asyncio.sleep(0.5)  # a killed sender's leases
    await db.dispose()


async def _recorded(db: Database) -> set[Copy]:
    async with db.session() as s:
        rows = (await s.exec(select(OutboxMessage))).all()
    return {(r.chat_id, r.message_id) for r in rows if r.message_id}


def _copies(api: FakeTelegram) -> set[Copy]:
    return {(m.chat_id, m.message_id) for m in api.sent if DISPATCH_HEAD in (m.text or "")}


def _start(url: str, api: FakeTelegram, pid: int) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "benchmarks.kills", "child", url, api.base_url, str(pid)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
    )


async def _ready(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stdout is not None
    line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 60)
    assert line.strip() == b"ready", line


async def run(url: str) -> None:
    """Seed, kill KILLS times, let the last start finish; print one row per kill and a total."""
    rng = random.Random(int(os.environ.get("BENCH_SEED", "25")))
    db = Database(url)
    pid = await seed(db)
    bound = Settings(_env_file=None).cadence_send_in_flight
    kills: list[tuple[float, int, set[Copy]]] = []
    exposed: set[Copy] = set()
    async with FakeTelegram() as api:
        api.faults.strict = True
        api.faults.latency = LATENCY
        start = time.perf_counter()
        for _ in range(KILLS):
            proc = _start(url, api, pid)
            await _ready(proc)
            await asyncio.sleep(rng.uniform(0.2, 3.0))
            at, open_sends = time.perf_counter() - start, api.open_sends
            proc.send_signal(signal.SIGKILL)
            await asyncio.to_thread(proc.wait)
            assert proc.stdout is not None
            proc.stdout.close()
            await api.wait_until(lambda: api.open_sends == 0, timeout=10)
            lost = _copies(api) - await _recorded(db) - exposed
            kills.append((at, open_sends, lost))
            exposed |= lost
        proc = _start(url, api, pid)
        await _ready(proc)
        await asyncio.to_thread(proc.wait, 600)
        assert proc.stdout is not None
        proc.stdout.close()
        wall = time.perf_counter() - start
        duplicates = _copies(api) - await _recorded(db)
        missing, extra = tally(api)
        floods = api.faults.floods
    await db.dispose()
    print("| kill | at s | requests open | duplicates | bound (CADENCE_SEND_IN_FLIGHT) |")
    print("|---|---|---|---|---|")
    for n, (at, open_sends, lost) in enumerate(kills, 1):
        print(f"| {n} | {at:.1f} | {open_sends} | {len(lost & duplicates)} | {bound} |")
    per_kill = [len(lost & duplicates) for _, _, lost in kills]
    print(
        f"\n{N} owners, {KILLS} kills, {wall:.1f} s: {extra} duplicates "
        f"(max {max(per_kill)} per kill, mean {sum(per_kill) / len(per_kill):.1f}; bound {bound}), "
        f"{missing} owners without the dispatch, {floods} 429s; "
        f"every duplicate from a kill: {duplicates <= exposed}"
    )


async def main() -> None:
    """On BENCH_DATABASE_URL, or a temporary SQLite file."""
    url = os.environ.get("BENCH_DATABASE_URL")
    if url:
        await postgres_at_head(url)
        await run(url)
        return
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{folder}/bench.db"
        await asyncio.to_thread(upgrade, url)
        await run(url)


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        asyncio.run(child(*sys.argv[2:5]))
    else:
        asyncio.run(main())
