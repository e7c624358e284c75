"""`/summary` content counted by groups in the database (issue 27) against the same picture
from every measure's lean row, and against a raw driver fetch of the rows, interleaved in one run.

`python -m benchmarks.summary_state [MEASURES ...]` (default 10000): SQLite at each size, and
PostgreSQL too with TEST_DATABASE_URL. The programme is benchmarks/programme.py's, scaled: ten
updates and ten dispatch items per measure, one owner per five measures.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from typing import Any

from benchmarks import programme as big
from core.domain.glance import glance
from storage import current_state, picture, picture_groups
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Programme
from storage.reports import summary_content

REPEAT = int(os.environ.get("BENCH_REPEAT", "7"))
_grouped = picture_groups.picture


async def _per_row(conn: Any, *, programme_id: int, owner_id: Any, today: Any) -> Any:
    """The live picture as on main before the groups: every measure's lean row, lit in Python."""
    return glance(await picture.rows(conn, programme_id=programme_id, owner_id=owner_id), today)


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

        async def grouped() -> None:
            async with db.session() as s:
                await summary_content(s, programme=programme, today=big.TODAY)

        async def per_row() -> None:
            picture_groups.picture = _per_row  # type: ignore[assignment]
            try:
                async with db.session() as s:
                    await summary_content(s, programme=programme, today=big.TODAY)
            finally:
                picture_groups.picture = _grouped

        async with db.session() as s:  # both give the same picture
            a = await summary_content(s, programme=programme, today=big.TODAY)
        picture_groups.picture = _per_row  # type: ignore[assignment]
        async with db.session() as s:
            b = await summary_content(s, programme=programme, today=big.TODAY)
        picture_groups.picture = _grouped
        assert a == b, "the groups and the rows disagree"
        jobs: dict[str, Callable[[], Awaitable[None]]] = {
            "raw driver fetch of measures, updates, dispatch items (baseline)": raw,
            "`/summary` content, every measure's lean row lit in Python (before, main)": per_row,
            "`/summary` content, counted by groups in the database (now)": grouped,
        }
        runs: dict[str, list[float]] = {k: [] for k in jobs}
        cpu: dict[str, list[float]] = {k: [] for k in jobs}  # this process's, all its threads
        for job in jobs.values():
            await job()  # warm-up
        for _ in range(REPEAT):
            for what, job in jobs.items():
                t, c = time.perf_counter(), time.process_time()
                await job()
                runs[what].append(time.perf_counter() - t)
                cpu[what].append(time.process_time() - c)
        base = statistics.median(runs[next(iter(jobs))])
        base_cpu = statistics.median(cpu[next(iter(jobs))])
        out = [
            f"| {label}, {n:,}: refreshing every kept row (not timed below) | {backfill * 1000:.0f} | — | — | — | — |"
        ]
        for what, r in runs.items():
            ms = [x * 1000 for x in r]
            ratio = statistics.median(r) / base
            own = statistics.median(cpu[what])
            out.append(
                f"| {label}, {n:,}: {what} | {statistics.median(ms):.0f} | "
                f"{min(ms):.0f}–{max(ms):.0f} | {ratio:.3f}× | {own * 1000:.0f} | "
                f"{own / base_cpu:.3f}× |"
            )
        return out
    finally:
        await db.dispose()


def main() -> None:
    """Print a Markdown table: median, range and ratio to the raw fetch."""
    sizes = [int(a) for a in sys.argv[1:]] or [10_000]
    print(f"median and range over {REPEAT} interleaved rounds after a warm-up, in ms\n")
    print("| what | median ms | range ms | × raw fetch | CPU ms (bot process) | CPU × raw fetch |")
    print("|---|---|---|---|---|---|")
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
