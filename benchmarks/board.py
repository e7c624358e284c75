"""The leaders' board at 1,000 measures: what a leader waits for when the Mini App opens.

Fills a programme as benchmarks.programme does, scaled to 1,000 measures (200 owners, 10,000
updates, 10,000 dispatch items, ten weeks of trail), binds a leader, then times over HTTP with
signed initData: opening (`/api/me` then `/api/board`, what the page fetches first), a measure's
story, the units and the trend; the baseline is /summary's content alone (the chat's picture).
Target (issue 28): the board open in under a second.
"""

from __future__ import annotations

import asyncio
import os
import platform
import statistics
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Any

import aiohttp
from pydantic import SecretStr
from sqlalchemy import insert, update
from sqlmodel import col

from benchmarks import programme as big
from bot import web
from bot.app import build_application
from bot.settings import Settings
from core.clock import FixedClock
from core.domain.initdata import sign
from core.domain.model import Role
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Person, Programme, RoleGrant
from storage.reports import summary_content

TOKEN = "123456:BENCH"
LEADER = 424242
REPEAT = int(os.environ.get("BENCH_REPEAT", "10"))


async def _fill(url: str) -> int:
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    try:
        big.MEASURES, big.OWNERS, big.UPDATES, big.ITEMS = 1_000, 200, 10_000, 10_000
        async with db.engine.begin() as conn:
            pid = await big._fill(conn)
            started = big.NOW - timedelta(days=70)
            await conn.execute(
                update(Programme).where(col(Programme.id) == pid).values(created_at=started)
            )
            await conn.execute(
                update(Person).where(col(Person.id) == 1).values(telegram_user_id=LEADER)
            )
            await conn.execute(
                insert(RoleGrant).values(programme_id=pid, person_id=1, role=Role.LEADER.value)
            )
        return pid
    finally:
        await db.dispose()


async def _time(job: Callable[[], Awaitable[Any]]) -> list[float]:
    await job()
    runs = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        await job()
        runs.append(time.perf_counter() - t)
    return runs


def _row(what: str, runs: list[float]) -> str:
    ms = [r * 1000 for r in runs]
    return f"| {what} | {statistics.median(ms):.0f} | {min(ms):.0f}–{max(ms):.0f} |"


async def bench(url: str, label: str) -> list[str]:
    """Fill, serve the board beside an application (not polling), time its routes."""
    pid = await _fill(url)
    settings = Settings(_env_file=None, telegram_bot_token=SecretStr(TOKEN), database_url=url)
    app = build_application(settings, clock=FixedClock(big.NOW))
    runner = await web.serve(app, listen="127.0.0.1", port=0)
    base = "http://{}:{}/app/api/".format(*runner.addresses[0][:2])
    auth = {"Authorization": "tma " + sign({"id": LEADER}, bot_token=TOKEN, now=big.NOW)}
    db = Database(url)
    lines = []
    try:
        async with db.session() as s:
            found = await s.get(Programme, pid)
        assert found is not None

        async with aiohttp.ClientSession() as http:

            async def get(path: str) -> None:
                async with http.get(base + path, headers=auth) as r:
                    assert r.status == 200, (r.status, await r.text())
                    await r.read()

            async def opening() -> None:
                await get("me")
                await get("board")

            async def summary() -> None:
                async with db.session() as s:
                    await summary_content(s, programme=found, today=big.TODAY)

            for what, job in (
                ("/summary content (baseline, no HTTP)", summary),
                ("board opening: /api/me + /api/board", opening),
                ("board filtered by an area", lambda: get("board?area=1")),
                ("a measure's story", lambda: get("measure/7")),
                ("units", lambda: get("units")),
                ("trend (11 weeks)", lambda: get("trend")),
            ):
                lines.append(_row(f"{label}: {what}", await _time(job)))
    finally:
        await runner.cleanup()
        await app.bot_data["svc"].close()
        await db.dispose()
    return lines


def main() -> None:
    """Print a Markdown table of medians and ranges."""
    print(f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores, Python "
          f"{platform.python_version()}; 1,000 measures; median and range of {REPEAT} runs, ms\n")  # fmt: skip
    print("| what | median ms | range ms |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for line in asyncio.run(bench(f"sqlite:///{folder}/board.db", "SQLite")):
            print(line, flush=True)
    pg = os.environ.get("TEST_DATABASE_URL")
    if pg:
        big.reset_pg(pg)
        for line in asyncio.run(bench(pg, "PostgreSQL")):
            print(line, flush=True)
        big.reset_pg(pg)


if __name__ == "__main__":
    main()
