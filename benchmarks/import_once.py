"""One ledger import in a process of its own, for import_compare: its time and peak memory.

`python benchmarks/import_once.py URL FILE [profile.out]` prints one JSON line: the seconds to
read the CSV (the baseline), to parse and check, and to import (parse + write + commit, into a
fresh programme), and the process's peak RSS before and after. Self-contained (no `benchmarks`
import), so it runs against any checkout put first on PYTHONPATH: a "before" tree too.
"""

from __future__ import annotations

import asyncio
import cProfile
import csv
import io
import json
import resource
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from core.domain.ledger import parse_ledger
from core.domain.ledger_io import decode_text
from storage import ledger_store, programmes
from storage.db import Database

NOW = datetime(2024, 9, 30, 2, tzinfo=UTC)


def _rss_mib() -> float:
    """This process's peak resident memory: VmHWM, not ru_maxrss, which keeps the peak of the
    parent the process was forked from (a benchmark that built 50,000-row files) across exec."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def _import(db: Database, data: bytes, name: str, pid: int) -> int:
    """What the chat's confirm and the CLI do with a file: parse and check, write, commit."""
    parsed = parse_ledger(data, name)
    assert parsed.ok, parsed.issues[:3]
    async with db.session() as s:
        plan = await ledger_store.apply(
            s, programme_id=pid, rows=parsed.rows, actor="bench", now=NOW, today=NOW.date()
        )
    return len(plan.new)


async def main(url: str, path: Path, profile: str | None) -> dict[str, float]:
    out: dict[str, float] = {"rss_start": _rss_mib()}
    db = Database(url)
    async with db.session() as s:
        programme = await programmes.create(s, name=f"B {time.time_ns()}", actor="b", now=NOW)
        assert programme.id is not None
        pid = programme.id
    out["rss_ready"] = _rss_mib()
    prof = cProfile.Profile() if profile else None
    start, cpu = time.perf_counter(), time.process_time()
    if prof is not None:
        prof.enable()
    out["new"] = await _import(db, await asyncio.to_thread(path.read_bytes), path.name, pid)
    if prof is not None and profile:
        prof.disable()
        prof.dump_stats(profile)
    out["import"] = time.perf_counter() - start
    # this process's CPU (SQLite's thread included): what a loaded machine's waits leave out
    out["cpu"] = time.process_time() - cpu
    out["rss_peak"] = _rss_mib()
    await db.dispose()
    # the baseline after the import: its own memory must not count in the import's peak
    start = time.perf_counter()
    text = decode_text(await asyncio.to_thread(path.read_bytes))
    list(csv.reader(io.StringIO(text, newline="")))
    out["read_csv"] = time.perf_counter() - start
    return out


if __name__ == "__main__":
    profile = sys.argv[3] if len(sys.argv) > 3 else None
    print(json.dumps(asyncio.run(main(sys.argv[1], Path(sys.argv[2]), profile))))
