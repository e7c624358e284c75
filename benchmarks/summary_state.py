"""`/summary` content from the kept state (issue 27) against the same picture read from every
measure's dispatch items, and against a raw driver fetch of the rows, interleaved in one run.

`python -m benchmarks.summary_state [MEASURES ...]` (default 10000): SQLite at each size, and
PostgreSQL too with TEST_DATABASE_URL. The programme is benchmarks/programme.py's, scaled: ten
updates and ten dispatch items per measure, one owner per five measures.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks import programme as big
from storage import current_state, picture
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Programme
from storage.reports import summary_content

REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
_rows = picture.rows
_quiet = picture.quiet_gc


async def _from_items(*args: Any, **kwargs: Any) -> Any:
    """picture.rows as before the kept state: silence counted from every measure's items."""
    return await _rows(*args, **{**kwargs, "last_period": "9999"})  # after every period


def _scale(n: int) -> None:
    big.MEASURES, big.OWNERS, big.UPDATES, big.ITEMS = n, n // 5, n * 10, n * 10


async def bench(url: str, label: str, n: int) -> list[str]:
    """Fill a fresh database at url; time the three jobs interleaved, REPEAT rounds."""
    _scale(n)
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            pid = await big._fill(conn)
        t = time.perf_counter()
        async with db.engine.begin() as conn:
            await current_state.refresh_on(conn, programme_id=pid)
        backfill = time.perf_counter() - t
        async with db.session() as s:
            programme = await s.get(Programme, pid)
        assert programme is not None

        async def raw() -> None:
            async with db.engine.connect() as conn:
                for table in ("measure", "progressupdate", "dispatchitem"):
                    await conn.exec_driver_sql(f"SELECT * FROM {table}")

        async def kept() -> None:
            async with db.session() as s:
                await summary_content(s, programme=programme, today=big.TODAY)

        async def items() -> None:
            picture.rows, picture.quiet_gc = _from_items, contextlib.nullcontext  # type: ignore[assignment]
            try:
                async with db.session() as s:
                    await summary_content(s, programme=programme, today=big.TODAY)
            finally:
                picture.rows, picture.quiet_gc = _rows, _quiet

        async def kept_gc() -> None:
            picture.quiet_gc = contextlib.nullcontext  # type: ignore[assignment]
            try:
                async with db.session() as s:
                    await summary_content(s, programme=programme, today=big.TODAY)
            finally:
                picture.quiet_gc = _quiet

        async with db.session() as s:  # both give the same picture
            a = await summary_content(s, programme=programme, today=big.TODAY)
        picture.rows = _from_items
        async with db.session() as s:
            b = await summary_content(s, programme=programme, today=big.TODAY)
        picture.rows = _rows
        assert a == b, "the kept state and the items disagree"
        jobs: dict[str, Callable[[], Awaitable[None]]] = {
            "raw driver fetch of measures, updates, dispatch items (baseline)": raw,
            "`/summary` content, silence read from every measure's items (before)": items,
            "`/summary` content, from the kept state, collector running": kept_gc,
            "`/summary` content, from the kept state, no collection while built (now)": kept,
        }
        runs: dict[str, list[float]] = {k: [] for k in jobs}
        for job in jobs.values():
            await job()  # warm-up
        for _ in range(REPEAT):
            for what, job in jobs.items():
                t = time.perf_counter()
                await job()
                runs[what].append(time.perf_counter() - t)
        base = statistics.median(runs[next(iter(jobs))])
        out = [
            f"| {label}, {n:,}: refreshing every kept row (not timed below) | {backfill * 1000:.0f} | — | — |"
        ]
        for what, r in runs.items():
            ms = [x * 1000 for x in r]
            ratio = statistics.median(r) / base
            out.append(
                f"| {label}, {n:,}: {what} | {statistics.median(ms):.0f} | "
                f"{min(ms):.0f}–{max(ms):.0f} | {ratio:.3f}× |"
            )
        return out
    finally:
        await db.dispose()


def main() -> None:
    """Print a Markdown table: median, range and ratio to the raw fetch."""
    sizes = [int(a) for a in sys.argv[1:]] or [10_000]
    print(f"median and range over {REPEAT} interleaved rounds after a warm-up, in ms\n")
    print("| what | median ms | range ms | × raw fetch |\n|---|---|---|---|")
    for n in sizes:
        with tempfile.TemporaryDirectory() as folder:
            for line in asyncio.run(bench(f"sqlite:///{folder}/bench.db", "SQLite", n)):
                print(line, flush=True)
        pg = os.environ.get("TEST_DATABASE_URL")
        if pg:
            big.reset_pg(pg)
            for line in asyncio.run(bench(pg, "PostgreSQL", n)):
                print(line, flush=True)
            big.reset_pg(pg)


if __name__ == "__main__":
    main()
