"""A big programme on SQLite (and PostgreSQL with TEST_DATABASE_URL): /summary, report, export.

Builds 10,000 measures, 2,000 owners, 100,000 updates and 100,000 dispatch items with Core
bulk inserts, then times the /summary content, the monthly report content and the ledger
export's content and its workbook against a raw driver fetch of the same rows (the floor any ORM-free
computation still pays); the monthly report twice, interleaved with the raw fetch: the first
after the month (replayed, then kept) and a later one (the month's checkpoint read). On the
SQLite file, `python -m bot summary` end to end, with and without the checkpoint, against
`python -c pass` and `python -c "import telegram"`.

`python -m benchmarks.programme --build URL` only fills a database (for hand timings).
"""

from __future__ import annotations

import asyncio
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from core.domain import documents
from core.i18n import tr
from core.render.xlsx import ledger_workbook
from storage import checkpoints, current_state
from storage.db import Database
from storage.migrate import upgrade
from storage.models import (
    Area,
    AuditEvent,
    DispatchItem,
    Measure,
    Person,
    Problem,
    Programme,
    ProgressUpdate,
    Unit,
)
from storage.models_report import ReplayCheckpoint
from storage.reports import report_content, summary_content
from usecases.documents import records

MEASURES, OWNERS, UPDATES, ITEMS = 10_000, 2_000, 100_000, 100_000
AREAS, PROBLEMS_PER_AREA, UNITS = 8, 25, 120
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
TODAY = date(2024, 9, 30)
NOW = datetime(2024, 9, 30, 2, tzinfo=UTC)
ASKED = datetime(2024, 10, 8, 1, tzinfo=UTC)  # the monthly report is asked once September is over
HEALTHS = ("on_track", "at_risk", "blocked")
STATUSES = ("not_started", "in_progress", "in_progress", "closed")


def _weeks(n: int) -> list[str]:
    """The n ISO weeks up to TODAY's, oldest first."""
    out = []
    for k in range(n - 1, -1, -1):
        iso = (TODAY - timedelta(weeks=k)).isocalendar()
        out.append(f"{iso.year}-W{iso.week:02d}")
    return out


async def _fill(conn: AsyncConnection) -> int:
    """Insert the programme in bulk; its id."""
    pid = (
        await conn.execute(
            insert(Programme).values(name="Bench", created_at=NOW).returning(col(Programme.id))
        )
    ).scalar_one()
    await conn.execute(
        insert(Area),
        [
            {"id": a + 1, "programme_id": pid, "number": a + 1, "name": f"方面{a + 1}"}
            for a in range(AREAS)
        ],
    )
    problems = [
        {
            "id": a * PROBLEMS_PER_AREA + p + 1,
            "programme_id": pid,
            "area_id": a + 1,
            "name": f"问题{p}",
        }
        for a in range(AREAS)
        for p in range(PROBLEMS_PER_AREA)
    ]
    await conn.execute(insert(Problem), problems)
    await conn.execute(
        insert(Unit),
        [{"id": u + 1, "programme_id": pid, "name": f"单位{u + 1}"} for u in range(UNITS)],
    )
    await conn.execute(
        insert(Person),
        [
            {"id": o + 1, "programme_id": pid, "name": f"责任人{o + 1}", "unit_id": o % UNITS + 1}
            for o in range(OWNERS)
        ],
    )
    measures = []
    for m in range(MEASURES):
        status = STATUSES[m % len(STATUSES)]
        measures.append(
            {
                "id": m + 1,
                "programme_id": pid,
                "code": f"{m // 1000 + 1}.{m % 1000 + 1}",
                "text": f"整改措施第{m + 1}条",
                "area_id": m % AREAS + 1,
                "problem_id": (m % AREAS) * PROBLEMS_PER_AREA + m % PROBLEMS_PER_AREA + 1,
                "leader_id": m % 50 + 1,
                "lead_unit_id": m % UNITS + 1,
                "co_units": "",
                "owner_id": m % OWNERS + 1,
                "deadline": TODAY + timedelta(days=m % 120 - 40),
                "status": status,
                "health": HEALTHS[m % 3] if status != "not_started" else None,
                "closed_on": TODAY - timedelta(days=m % 60) if status == "closed" else None,
                "updated_at": NOW - timedelta(days=m % 30),
            }
        )
    await conn.execute(insert(Measure), measures)
    start = NOW - timedelta(days=70)
    await conn.execute(
        insert(ProgressUpdate),
        [
            {
                "programme_id": pid,
                "measure_id": u % MEASURES + 1,
                "person_id": u % MEASURES % OWNERS + 1,
                "health": HEALTHS[u % 3],
                "note": "进展顺利",
                "percent": u % 101,
                "blockers": "",
                "created_at": start + timedelta(seconds=u * 60),
            }
            for u in range(UPDATES)
        ],
    )
    weeks = _weeks(ITEMS // MEASURES)
    await conn.execute(
        insert(DispatchItem),
        [
            {
                "programme_id": pid,
                "period": weeks[i // MEASURES],
                "measure_id": i % MEASURES + 1,
                "owner_id": i % MEASURES % OWNERS + 1,
                "chat_id": 10_000 + i % MEASURES % OWNERS,
                "message_id": i // 10 + 1,
                "delivered": True,
                "answered": (i * 7919) % 5 < 3,
            }
            for i in range(ITEMS)
        ],
    )
    assert pid is not None
    await _trail(conn, pid, measures, start)
    # written in bulk, not by the write paths: each measure's kept state as they would leave it
    await current_state.refresh_on(conn, programme_id=pid)
    if conn.dialect.name == "postgresql":
        tables = (
            "measure",
            "progressupdate",
            "dispatchitem",
            "person",
            "auditevent",
            "measurestate",
        )
        for table in tables:
            await conn.execute(text(f"ANALYZE {table}"))
    return pid


async def _trail(
    conn: AsyncConnection, pid: int, measures: list[dict[str, Any]], start: datetime
) -> None:
    """The audit trail past pictures replay: an import per measure, an event per update, and
    each closure's sign-off (hashes are not chained: nothing here verifies them)."""
    rows: list[dict[str, Any]] = []

    def add(action: str, mid: int, at: datetime, after: dict[str, Any]) -> None:
        rows.append({
            "programme_id": pid, "seq": len(rows) + 1, "actor": "bench", "action": action,
            "entity": "measure", "entity_id": mid, "before": "", "after": json.dumps(after),
            "at": at, "prev_hash": "", "hash": f"{len(rows)}",
        })  # fmt: skip

    imported = start - timedelta(days=1)
    for m in measures:
        after = {"text": m["text"], "area": f"方面{m['area_id']}", "problem": "问题",
                 "lead_unit": f"单位{m['lead_unit_id']}", "owner": f"责任人{m['owner_id']}",
                 "deadline": m["deadline"].isoformat(), "status": "not_started"}  # fmt: skip
        add("measure.import", m["id"], imported, after)
    for u in range(UPDATES):
        after = {"status": "in_progress", "health": HEALTHS[u % 3], "note": "进展顺利"}
        add("measure.update", u % MEASURES + 1, start + timedelta(seconds=u * 60), after)
    for m in measures:
        if m["status"] == "closed":
            after = {"status": "closed", "closed_on": m["closed_on"].isoformat()}
            add("measure.signoff_approve", m["id"], NOW - timedelta(hours=1), after)
    for chunk in range(0, len(rows), 5000):
        await conn.execute(insert(AuditEvent), rows[chunk : chunk + 5000])


async def _time(job: Callable[[], Awaitable[Any]]) -> list[float]:
    """Seconds for each of REPEAT runs after one warm-up."""
    await job()
    out = []
    for _ in range(REPEAT):
        t = time.perf_counter()
        await job()
        out.append(time.perf_counter() - t)
    return out


Job = tuple[Callable[[], Awaitable[Any]] | None, Callable[[], Awaitable[Any]]]


async def _interleaved(jobs: dict[str, Job]) -> dict[str, list[float]]:
    """Seconds of each (untimed setup, timed job), taken in turn REPEAT times after a warm-up
    of each: a change in the machine's load hits every job alike."""
    runs: dict[str, list[float]] = {name: [] for name in jobs}
    for turn in range(REPEAT + 1):
        for name, (setup, job) in jobs.items():
            if setup is not None:
                await setup()
            t = time.perf_counter()
            await job()
            if turn:
                runs[name].append(time.perf_counter() - t)
    return runs


def _ratios(label: str, turns: dict[str, list[float]]) -> str:
    """The monthly report's medians as ratios to the raw fetch's, both from the same turns."""
    raw = statistics.median(turns["raw"])
    first, kept, cold = (statistics.median(turns[k]) / raw for k in ("replayed", "kept", "cold"))
    return (
        f"| {label}: ratio to the raw fetch, first / kept / decoded again "
        f"| {first:.2f}× / {kept:.2f}× / {cold:.2f}× | — |"
    )


def _row(what: str, runs: list[float]) -> str:
    """A Markdown row: median and range in ms."""
    ms = [r * 1000 for r in runs]
    return f"| {what} | {statistics.median(ms):.0f} | {min(ms):.0f}–{max(ms):.0f} |"


async def bench(url: str, label: str) -> list[str]:
    """Fill a fresh database at url and time the three jobs."""
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    try:
        t = time.perf_counter()
        async with db.engine.begin() as conn:
            pid = await _fill(conn)
        fill = time.perf_counter() - t
        async with db.session() as s:
            programme = await s.get(Programme, pid)
        assert programme is not None

        async def summary() -> None:
            async with db.session() as s:
                await summary_content(s, programme=programme, today=TODAY)

        async def monthly() -> None:
            async with db.session() as s:
                await report_content(s, programme=programme, period="2024-09", now=ASKED)

        async def replayed() -> None:
            # the first report after the month: no checkpoint yet (emptied outside the timing)
            async with db.session() as s:
                await report_content(s, programme=programme, period="2024-09", now=ASKED)

        async def export() -> None:
            async with db.session() as s:
                await records(s, programme=programme, as_of=TODAY)

        async with db.session() as s:
            ledger = documents.ledger(
                programme.name, await records(s, programme=programme, as_of=TODAY), TODAY
            )

        async def workbook() -> None:
            ledger_workbook(tr(programme.locale), ledger)

        async def raw() -> None:
            async with db.engine.connect() as conn:
                for table in ("measure", "progressupdate", "dispatchitem"):
                    await conn.exec_driver_sql(f"SELECT * FROM {table}")

        async def forget() -> None:
            async with db.engine.begin() as conn:
                await conn.execute(delete(ReplayCheckpoint))

        async def undecoded() -> None:
            # as a process started since the checkpoint was written: the row decoded again
            checkpoints._DECODED.clear()

        turns = await _interleaved({
            "raw": (None, raw), "replayed": (forget, replayed), "kept": (None, monthly),
            "cold": (undecoded, monthly),
        })  # fmt: skip
        return [
            f"| {label}: fill (not timed below) | {fill * 1000:.0f} | — |",
            _row(f"{label}: raw driver fetch of measures, updates, dispatch items", turns["raw"]),
            _row(f"{label}: `/summary` content", await _time(summary)),
            _row(
                f"{label}: monthly report content, first after the month (replayed, kept)",
                turns["replayed"],
            ),
            _row(f"{label}: monthly report content (the month's checkpoint read)", turns["kept"]),
            _row(f"{label}: the same, the checkpoint's row decoded again", turns["cold"]),
            _ratios(label, turns),
            _row(
                f"{label}: ledger export content (records, before the workbook)",
                await _time(export),
            ),
            _row(
                f"{label}: ledger workbook writing (XLSX bytes from the records)",
                await _time(workbook),
            ),
        ]
    finally:
        await db.dispose()


SUMMARY = ["-m", "bot", "summary", "--programme", "Bench", "--as-of", TODAY.isoformat()]
FRESH = "`python -m bot summary` end to end, no checkpoint (replayed, kept)"
CLI = {
    "`python -c pass`": ["-c", "pass"],
    '`python -c "import telegram"`': ["-c", "import telegram"],
    # TODAY is September's last day: its end is the month's, so a kept checkpoint serves it
    FRESH: SUMMARY,
    "`python -m bot summary` end to end, the month's checkpoint read": SUMMARY,
}


def _cli(url: str) -> list[str]:
    """Wall time of whole processes, interleaved so load changes hit each alike."""
    env = {**os.environ, "DATABASE_URL": url}
    runs: dict[str, list[float]] = {what: [] for what in CLI}
    for _ in range(REPEAT):
        for what, args in CLI.items():
            if what == FRESH:
                with sqlite3.connect(url.removeprefix("sqlite:///")) as conn:
                    conn.execute("DELETE FROM replaycheckpoint")
            t = time.perf_counter()
            subprocess.run([sys.executable, *args], env=env, check=True, capture_output=True)
            runs[what].append(time.perf_counter() - t)
    return [_row(f"SQLite: {what}", r) for what, r in runs.items()]


def reset_pg(url: str) -> None:
    """Empty the PostgreSQL database (schema included) so the generator starts clean."""

    async def drop() -> None:
        db = Database(url)
        try:
            async with db.engine.begin() as conn:
                await conn.execute(text("DROP SCHEMA public CASCADE"))
                await conn.execute(text("CREATE SCHEMA public"))
        finally:
            await db.dispose()

    asyncio.run(drop())


async def build(url: str) -> int:
    """Migrate and fill a fresh database at url (for the CLI figure); the programme's id."""
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    try:
        async with db.engine.begin() as conn:
            return await _fill(conn)
    finally:
        await db.dispose()


def main() -> None:
    """Print a Markdown table of medians and ranges (`--build URL`: only fill a database)."""
    if sys.argv[1:2] == ["--build"]:
        asyncio.run(build(sys.argv[2]))
        return
    print(f"{MEASURES} measures, {OWNERS} owners, {UPDATES} updates, {ITEMS} dispatch items;")
    print(f"median and range over {REPEAT} runs after a warm-up, in ms\n")
    print("| what | median ms | range ms |\n|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        for line in asyncio.run(bench(f"sqlite:///{folder}/bench.db", "SQLite")):
            print(line, flush=True)
        for line in _cli(f"sqlite:///{folder}/bench.db"):
            print(line, flush=True)
    pg = os.environ.get("TEST_DATABASE_URL")
    if pg:
        reset_pg(pg)
        for line in asyncio.run(bench(pg, "PostgreSQL")):
            print(line, flush=True)
        reset_pg(pg)
    sys.stdout.flush()


if __name__ == "__main__":
    main()
