"""The oracle's cost per history: CPU seconds and SQL statements, by what the harness was doing.

python -m benchmarks.oracle [N] plays the first N histories of the oracle's fixed seed (the ones
CI plays) exactly as tests/oracle/test_properties.py does, on SQLite, and on PostgreSQL when
TEST_DATABASE_URL is set; it prints CPU and wall seconds per history and statements per history
by phase (each event kind, the checks, the reports).
"""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
import tempfile
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from sqlalchemy import event, text

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from oracle import checks, live
from oracle.applier import Player
from oracle.events import History
from oracle.harness import ORACLE, _no_sync, open_database
from oracle.months import counts, play_by_months, stays
from oracle.strategy import histories

from storage.db import Database
from storage.migrate import upgrade

PLAIN = os.environ.get("ORACLE_PLAIN") is not None  # the product's own driver, for a baseline
SHOW = os.environ.get("ORACLE_SQL") is not None  # print the most frequent statements too
PHASE = ["other"]  # what the harness is doing now: the statement counter's label


def drawn(n: int) -> list[History]:
    """The first n histories of the oracle's fixed seed, as CI draws them."""
    out: list[History] = []

    @settings(ORACLE, max_examples=n)
    @given(history=histories())
    def keep(history: History) -> None:
        out.append(history)

    keep()
    return out[:n]


CPU: defaultdict[str, float] = defaultdict(float)  # CPU seconds by phase


async def _within(label: str, call: Any) -> Any:
    before, PHASE[0] = PHASE[0], label
    start = time.process_time()
    try:
        return await call
    finally:
        CPU[label] += time.process_time() - start
        CPU[before] -= time.process_time() - start
        PHASE[0] = before


def _label(owner: Any, name: str, label: str) -> None:
    """Count the statements and CPU of an awaited function under a phase."""
    inner = getattr(owner, name)

    async def labelled(*args: Any, **kw: Any) -> Any:
        return await _within(label, inner(*args, **kw))

    setattr(owner, name, labelled)


async def play(db: Database, history: History) -> None:
    """test_properties' body."""
    player = Player(db)
    await player.create(history)
    then = await play_by_months(db, player, history, live.checker(db, player, history))
    for y, m in checks.months(history):
        again = await checks.monthly(db, player.programme_id, y, m, player.clock)
        line = await checks.cumulative(db, player.programme_id, y, m)
        counts(history, y, m, again, line)
        stays(y, m, again, then)


def _server_cpu(pids: set[int]) -> float:
    """CPU seconds the server processes used so far (user + system, from /proc)."""
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        total += int(fields[11]) + int(fields[12])
    return total / os.sysconf("SC_CLK_TCK")


async def run(url: str, found: list[History]) -> tuple[float, float, Counter[str]]:
    db = Database(url) if PLAIN else open_database(url)
    statements: Counter[str] = Counter()
    texts: Counter[tuple[str, str]] = Counter()

    def count(_conn: Any, _cursor: Any, sql: str, *_args: Any) -> None:
        statements[PHASE[0]] += 1
        if SHOW:
            texts[(PHASE[0], " ".join(sql.split())[:150])] += 1

    event.listen(db.engine.sync_engine, "before_cursor_execute", count)
    if PLAIN:  # the harness before the oracle's own driver: the product's, commits not synced
        event.listen(db.engine.sync_engine, "connect", _no_sync)
    backends: set[int] = set()  # PostgreSQL's server processes serving this run (same machine)
    if not url.startswith("sqlite"):
        async with db.session() as s:
            backends.add(int((await s.exec(text("SELECT pg_backend_pid()"))).one()[0]))  # type: ignore[call-overload]
    CPU.clear()
    server = _server_cpu(backends)
    cpu, wall = time.process_time(), time.perf_counter()
    for h in found:
        await play(db, h)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    if backends:
        print(f"  server: {(_server_cpu(backends) - server) / len(found):.3f} s CPU per history")
    await db.dispose()
    for (phase, sql), c in texts.most_common(60):
        print(f"{c / len(found):6.1f} {phase:16} {sql}")
    return cpu, wall, statements


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    step = Player.step

    async def labelled_step(self: Player, e: Any) -> None:
        await _within(type(e).__name__, step(self, e))

    Player.step = labelled_step  # type: ignore[method-assign]
    _label(Player, "create", "create")
    _label(checks, "summary", "check: summary")
    _label(checks, "review", "check: review")
    _label(live, "reconstruction_equals_live", "check: reconstruction")
    _label(checks, "monthly", "monthly report")
    _label(checks, "cumulative", "cumulative line")
    t = time.process_time()
    found = drawn(n)
    print(f"drawing them: {(time.process_time() - t) / n * 1000:.0f} ms CPU per history")
    events = Counter(type(e).__name__ for h in found for e in h.events)
    events["checks"] = sum(len(h.checks) for h in found)
    print(
        f"{n} histories; per history: " + ", ".join(f"{k} {v / n:.1f}" for k, v in events.items())
    )
    tmp = Path(tempfile.mkdtemp())
    urls = [f"sqlite:///{tmp / 'oracle.db'}"]
    upgrade(urls[0])
    pg = os.environ.get("TEST_DATABASE_URL")
    if pg:
        sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
        from conftest import postgres_at_head

        asyncio.run(postgres_at_head(pg))
        urls.append(pg)
    for url in urls:
        start = time.process_time()
        cpu, wall, statements = asyncio.run(run(url, found))
        CPU["other"] += cpu
        CPU["asyncio.run"] = time.process_time() - start - cpu
        kind = url.split(":")[0]
        total = sum(statements.values())
        print(
            f"{kind}: {cpu / n:.3f} s CPU and {wall / n:.3f} s wall per history, "
            f"{total / n:.0f} statements per history (load {os.getloadavg()[0]:.1f})"
        )
        print(f"  {'phase':24} {'statements':>10} {'CPU ms':>8}  per history")
        for phase, c in sorted(
            {**{k: 0 for k in CPU}, **statements}.items(), key=lambda kv: -kv[1]
        ):
            print(f"  {phase:24} {c / n:10.1f} {CPU[phase] / n * 1000:8.0f}")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main()
