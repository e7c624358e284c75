"""Two checkouts' ledger imports, interleaved: time and peak memory, each run a process of its own.

`python -m benchmarks.import_compare BEFORE_TREE [AFTER_TREE]` imports the independent ledgers of
`benchmarks.ledger_files` (a problem of its own for 19 rows in 20) into fresh programmes, taking
turns between the two trees, BENCH_REPEAT times each, on SQLite and (TEST_DATABASE_URL set)
PostgreSQL, and prints a Markdown table: medians, the ratio to reading the CSV in the same
process, and the median of the after/before ratios of each pair. BENCH_SIZES: "10000,50000".
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from benchmarks.ledger_files import write
from benchmarks.programme import reset_pg
from storage.migrate import upgrade

HERE = Path(__file__).resolve().parents[1]
ONCE = HERE / "benchmarks" / "import_once.py"
REPEAT = int(os.environ.get("BENCH_REPEAT", "5"))
BIG_REPEAT = int(os.environ.get("BENCH_BIG_REPEAT", str(REPEAT)))  # runs of more than 10,000 rows
SIZES = [int(n) for n in os.environ.get("BENCH_SIZES", "10000,50000").split(",")]


def once(tree: Path, url: str, path: Path) -> dict[str, float]:
    """One import by the tree's code, in a fresh interpreter (its own peak RSS)."""
    env = {**os.environ, "PYTHONPATH": str(tree), "CADENCE_LOCALE": "en"}
    done = subprocess.run(
        [sys.executable, str(ONCE), url, str(path)], env=env, cwd=tree, check=True,
        capture_output=True, text=True,
    )  # fmt: skip
    result: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def row(label: str, runs: dict[str, list[dict[str, float]]]) -> str:
    """One table row: before and after medians, ratios to the CSV read, memory, pair ratios."""

    def med(side: str, key: str) -> float:
        return statistics.median(r[key] for r in runs[side])

    def pairs(key: str) -> float:
        both = zip(runs["before"], runs["after"], strict=True)
        return statistics.median(a[key] / b[key] for b, a in both)

    return (
        f"| {label} | {med('before', 'import'):.2f} s (CPU {med('before', 'cpu'):.2f} s), "
        f"{med('before', 'rss_peak'):.0f} MiB "
        f"| **{med('after', 'import'):.2f} s** (CPU {med('after', 'cpu'):.2f} s), "
        f"**{med('after', 'rss_peak'):.0f} MiB** "
        f"| {med('before', 'read_csv'):.3f} / {med('after', 'read_csv'):.3f} s "
        f"| {med('before', 'import') / med('before', 'read_csv'):.0f}× → "
        f"{med('after', 'import') / med('after', 'read_csv'):.0f}× "
        f"| **{pairs('import'):.2f}** (CPU {pairs('cpu'):.2f}) |"
    )


def bench(url: str, label: str, trees: dict[str, Path], n: int, path: Path) -> None:
    runs: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for _ in range(REPEAT if n <= 10_000 else BIG_REPEAT):
        for side, tree in trees.items():
            result = once(tree, url, path)
            assert result["new"] == n, result
            runs[side].append(result)
    print(row(f"{label}: import {n:,} rows CSV", runs), flush=True)


def main() -> None:
    before = Path(sys.argv[1]).resolve()
    after = Path(sys.argv[2]).resolve() if len(sys.argv) > 2 else HERE
    trees = {"before": before, "after": after}
    print(f"load: {os.getloadavg()}; medians of {REPEAT} interleaved runs per side\n")
    print(
        "| what | before: time, peak RSS | after: time, peak RSS | read CSV (before / after) "
        "| ratio to read CSV | after / before, median of pairs |\n|---|---|---|---|---|---|"
    )
    with tempfile.TemporaryDirectory() as folder:
        files = {n: write(n, Path(folder), independent=True)[0] for n in SIZES}
        dbs = {"SQLite": f"sqlite:///{folder}/bench.db"}
        pg = os.environ.get("TEST_DATABASE_URL")
        if pg:
            reset_pg(pg)
            dbs["PostgreSQL"] = pg
        for url in dbs.values():
            upgrade(url)
        for n, path in files.items():  # the small figures first, on both databases
            for label, url in dbs.items():
                bench(url, label, trees, n, path)
        if pg:
            reset_pg(pg)
    print(f"\nload after: {os.getloadavg()}")


if __name__ == "__main__":
    main()
