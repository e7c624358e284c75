"""A 1,000-owner (BENCH_OWNERS) weekly dispatch through a Bot API that enforces Telegram's limits strictly.

Cadence's outbox sender against a bare PTB AIORateLimiter(max_retries=5) fan-out of the
same messages, in the same run: wall time over the 1,000/30 s minimum, 429s, lost, duplicates,
and the round trips the shared pacing budget made. On SQLite, and on PostgreSQL too when
TEST_DATABASE_URL names a database it may empty.
"""

from __future__ import annotations

import asyncio
import os
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from delivery_support import DISPATCH_HEAD, ledger, record_sends
from fakebot import BOT_TOKEN, FakeTelegram
from sqlalchemy import text
from sqlmodel import select
from telegram.ext import AIORateLimiter, ExtBot

from bot.context import Services
from bot.settings import Settings
from core.clock import FixedClock
from core.domain.ledger import parse_ledger
from core.domain.model import Beat
from jobs.pacing import PacedLimiter
from jobs.run import run_beat
from storage import ledger_store, programmes
from storage.db import Database
from storage.migrate import upgrade
from storage.models import OutboxMessage, Person

N = int(os.environ.get("BENCH_OWNERS", "1000"))
MINIMUM = N / 30
ONLY_CADENCE = bool(os.environ.get("BENCH_ONLY_CADENCE"))  # skip the bare baseline (long at 5,000)
LATENCY = float(os.environ.get("BENCH_LATENCY", "0"))  # seconds Telegram takes to answer a send
NOW = datetime(2024, 9, 23, 9, 0, tzinfo=ZoneInfo("Asia/Shanghai"))


async def seed(db: Database, now: datetime = NOW) -> int:
    """A programme with N bound owners, one open measure each."""
    parsed = parse_ledger(ledger(N), "ledger.csv")
    async with db.session() as s:
        programme = await programmes.create(s, name="Bench", actor="bench", now=now)
        assert programme.id is not None
        pid = programme.id
        await ledger_store.apply(
            s, programme_id=pid, rows=parsed.rows, actor="bench", now=now, today=now.date()
        )
    async with db.session() as s:
        for p in (await s.exec(select(Person).where(Person.programme_id == pid))).all():
            if p.name.startswith("责任人"):
                p.telegram_user_id = 20000 + int(p.name[3:])
                s.add(p)
    return pid


def tally(api: FakeTelegram) -> tuple[int, int]:
    """(lost, duplicates) over the N owners' chats."""
    got = Counter(m.chat_id for m in api.sent if DISPATCH_HEAD in (m.text or ""))
    lost = sum(1 for i in range(N) if got[20000 + i] == 0)
    return lost, sum(max(0, n - 1) for n in got.values())


async def cadence(url: str) -> tuple[float, int, int, int, int, float]:
    """The outbox sender, as `python -m bot beat dispatch` runs it."""
    async with FakeTelegram() as api:
        api.faults.strict, api.faults.latency = True, LATENCY
        sends = record_sends(api, time.perf_counter)
        settings = Settings(
            _env_file=None,
            telegram_bot_token=BOT_TOKEN,
            database_url=url,
            telegram_api_base_url=api.base_url,
        )
        db = Database(url)
        pid = await seed(db)
        svc = Services(settings=settings, clock=FixedClock(NOW), db=db)
        limiter = PacedLimiter()
        async with ExtBot(BOT_TOKEN, base_url=api.base_url, rate_limiter=limiter) as bot:
            start = time.perf_counter()
            await run_beat(bot, svc, programme_id=pid, beat=Beat.DISPATCH, budget=600)
            wall = time.perf_counter() - start
        await db.dispose()
        claims = limiter.pacer.budget.claims if limiter.pacer.budget else 0
        return (wall, api.faults.floods, *tally(api), claims, sends[0] - start)


async def bare(url: str) -> tuple[float, int, int, int, int, float]:
    """The same planned messages sent at once through PTB's AIORateLimiter(max_retries=5)."""
    db = Database(url)
    async with db.session() as s:
        rows = (await s.exec(select(OutboxMessage))).all()
    await db.dispose()
    async with FakeTelegram() as api:
        api.faults.strict, api.faults.latency = True, LATENCY
        sends = record_sends(api, time.perf_counter)
        limiter = AIORateLimiter(max_retries=5)
        async with ExtBot(BOT_TOKEN, base_url=api.base_url, rate_limiter=limiter) as bot:
            start = time.perf_counter()
            await asyncio.gather(
                *(bot.send_message(r.chat_id, r.text) for r in rows), return_exceptions=True
            )
            wall = time.perf_counter() - start
        return (wall, api.faults.floods, *tally(api), 0, sends[0] - start)


async def _empty_postgres(url: str) -> None:
    db = Database(url)
    async with db.engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await db.dispose()


async def main() -> None:
    """Print a Markdown table: one row per sender and database."""
    print(
        f"| {N} owners, strict limits | database | wall s | ÷ {MINIMUM:.1f} s | 429s | lost"
        " | duplicates | budget claims | first send s |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        urls = [("SQLite", f"sqlite:///{folder}/bench.db")]
        if pg := os.environ.get("TEST_DATABASE_URL"):
            urls.append(("PostgreSQL", pg))
        for kind, url in urls:
            if kind == "PostgreSQL":
                await _empty_postgres(url)
            await asyncio.to_thread(upgrade, url)
            runs = [("Cadence outbox sender", cadence)]
            if not ONLY_CADENCE:
                runs.append(("AIORateLimiter(max_retries=5)", bare))
            for name, run in runs:
                wall, floods, lost, dups, claims, first = await run(url)
                print(
                    f"| {name} | {kind} | {wall:.1f} | {wall / MINIMUM:.3f} | {floods} | {lost}"
                    f" | {dups} | {claims} | {first:.2f} |",
                    flush=True,
                )


if __name__ == "__main__":
    asyncio.run(main())
