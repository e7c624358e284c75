"""Import of 10,000- and 50,000-row ledgers (CSV and XLSX) on SQLite and PostgreSQL.

Each figure beside the file-reading baseline of the same run: the storage function the chat and
the CLI both call (parse + apply + commit, into a fresh programme), a re-import of an edited
ledger over it, and `python -m bot import` end to end. PostgreSQL when TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import asyncio
import csv
import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlmodel import col

from benchmarks.ledger_files import write
from benchmarks.programme import reset_pg
from core.domain.ledger import parse_ledger
from core.domain.ledger_io import decode_text
from storage import ledger_store, programmes
from storage.db import Database
from storage.migrate import upgrade
from storage.models import AuditEvent, Measure

REPEAT = int(os.environ.get("BENCH_REPEAT", "3"))
# BENCH_50K=0: the 10,000-row figures alone (minutes instead of a quarter of an hour)
BIG = os.environ.get("BENCH_50K", "1") != "0"
NOW = datetime(2024, 9, 30, 2, tzinfo=UTC)
ROOT = Path(__file__).resolve().parents[1]
Timed = Callable[[], Awaitable[object]]


def _row(what: str, times: list[float]) -> str:
    return (
        f"| {what} | {statistics.median(times):.2f} | {min(times):.2f}–{max(times):.2f} "
        f"| {len(times)} |"
    )


async def _time(fn: Timed, repeat: int = REPEAT) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - start)
    return out


def baseline(files: dict[str, Path]) -> list[str]:
    """Reading the files, nothing checked: csv.reader, openpyxl (read-only), calamine."""
    from openpyxl import load_workbook
    from python_calamine import CalamineWorkbook

    def read_csv() -> None:
        list(csv.reader(io.StringIO(decode_text(files["csv"].read_bytes()), newline="")))

    def read_openpyxl() -> None:
        book = load_workbook(io.BytesIO(files["xlsx"].read_bytes()), read_only=True)
        for sheet in book.worksheets:
            list(sheet.iter_rows(values_only=True))

    def read_calamine() -> None:
        book = CalamineWorkbook.from_filelike(io.BytesIO(files["xlsx"].read_bytes()))
        for name in book.sheet_names:
            book.get_sheet_by_name(name).to_python()

    def parse(kind: str) -> Callable[[], None]:
        return lambda: None if parse_ledger(files[kind].read_bytes(), f"l.{kind}").ok else exit(1)

    lines = []
    for what, fn in (
        ("read CSV (csv.reader)", read_csv),
        ("read XLSX (openpyxl read-only, values)", read_openpyxl),
        ("read XLSX (python-calamine)", read_calamine),
        ("parse + check CSV (parse_ledger)", parse("csv")),
        ("parse + check XLSX (parse_ledger)", parse("xlsx")),
    ):
        times = []
        for _ in range(REPEAT):
            start = time.perf_counter()
            fn()
            times.append(time.perf_counter() - start)
        lines.append(_row(what, times))
    return lines


class Lines(list[str]):
    """Table rows, printed as they come: a long run shows its progress."""

    def append(self, line: str) -> None:
        print(line, flush=True)
        super().append(line)


class Bench:
    """One database: programmes created as the runs need them."""

    def __init__(self, url: str) -> None:
        self.url, self.db, self.n = url, Database(url), 0

    async def programme(self) -> int:
        self.n += 1
        async with self.db.session() as s:
            programme = await programmes.create(s, name=f"Bench {self.n}", actor="bench", now=NOW)
            assert programme.id is not None
            return programme.id

    async def load(self, path: Path, pid: int) -> None:
        """What the chat's confirm and the CLI do: parse, apply, commit."""
        parsed = parse_ledger(await asyncio.to_thread(path.read_bytes), path.name)
        assert parsed.ok, parsed.issues[:3]
        steps: list[int] = []

        async def progress(done: int, _total: int) -> None:
            steps.append(done)

        async with self.db.session() as s:
            await ledger_store.apply(
                s, programme_id=pid, rows=parsed.rows, actor="bench", now=NOW,
                today=NOW.date(), progress=progress,
            )  # fmt: skip
        assert steps == list(range(500, len(parsed.rows), 500)), steps[:3]

    async def fresh(self, path: Path) -> None:
        await self.load(path, await self.programme())

    async def counts(self, pid: int) -> tuple[int, int]:
        async with self.db.session() as s:
            measures = select(func.count()).where(col(Measure.programme_id) == pid)
            events = select(func.count()).where(col(AuditEvent.programme_id) == pid)
            return (await s.exec(measures)).one()[0], (await s.exec(events)).one()[0]  # type: ignore[call-overload]


def cli(url: str, path: Path, name: str) -> float:
    """`python -m bot import` end to end, interpreter start included."""
    env = {**os.environ, "DATABASE_URL": url, "CADENCE_LOCALE": "en"}
    start = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "bot", "import", str(path), "--programme", name],
        check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
    )  # fmt: skip
    return time.perf_counter() - start


async def bench(url: str, label: str, files: dict[int, dict[str, Path]], edited: Path) -> list[str]:
    """Rows of the table for one database."""
    await asyncio.to_thread(upgrade, url)
    b = Bench(url)
    lines = Lines()
    try:
        for kind in ("csv", "xlsx"):
            times = await _time(lambda kind=kind: b.fresh(files[10_000][kind]))  # type: ignore[misc]
            lines.append(_row(f"{label}: import 10,000 rows {kind.upper()} (storage)", times))
        pid = await b.programme()
        await b.load(files[10_000]["csv"], pid)
        assert await b.counts(pid) == (10_000, 10_001), await b.counts(pid)  # + the programme's
        re_times = []
        for i in range(REPEAT):
            # the edited ledger, then the original again: each run changes 1,000 + 500 measures
            start = time.perf_counter()
            await b.load(edited if i % 2 == 0 else files[10_000]["csv"], pid)
            re_times.append(time.perf_counter() - start)
        lines.append(_row(f"{label}: re-import 10,000 rows CSV, 1,000 changed (storage)", re_times))
        cli_times = [cli(url, files[10_000]["csv"], f"CLI {label} {i}") for i in range(REPEAT)]
        lines.append(_row(f"{label}: `python -m bot import` 10,000 rows CSV", cli_times))
        for kind in ("csv", "xlsx") if BIG else ():
            times = await _time(lambda kind=kind: b.fresh(files[50_000][kind]))  # type: ignore[misc]
            lines.append(_row(f"{label}: import 50,000 rows {kind.upper()} (storage)", times))
    finally:
        await b.db.dispose()
    return lines


def main() -> None:
    """Print a Markdown table of medians and ranges, in seconds."""
    print(f"load: {os.getloadavg()}; median and range over {REPEAT} runs, in s\n")
    print("| what | median s | range s | runs |\n|---|---|---|---|")
    with tempfile.TemporaryDirectory() as folder:
        files = {
            n: dict(zip(("csv", "xlsx"), write(n, Path(folder)), strict=True))
            for n in (10_000, 50_000)
            if BIG or n == 10_000
        }
        edited, _ = write(10_000, Path(folder), edited=True)
        for n, paths in files.items():
            print(
                f"<!-- {n} rows: CSV {paths['csv'].stat().st_size:,} B, XLSX {paths['xlsx'].stat().st_size:,} B -->"
            )
        for n in files:
            for line in baseline(files[n]):
                print(
                    line.replace("| read", f"| {n:,} rows: read").replace(
                        "| parse", f"| {n:,} rows: parse"
                    ),
                    flush=True,
                )
        asyncio.run(bench(f"sqlite:///{folder}/bench.db", "SQLite", files, edited))
        pg = os.environ.get("TEST_DATABASE_URL")
        if pg:
            reset_pg(pg)
            asyncio.run(bench(pg, "PostgreSQL", files, edited))
            reset_pg(pg)
    print(f"\nload after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
