"""Bot CPU per update, Cadence against a bare PTB echo bot, each in its own process.

The fake Bot API runs in a third process (benchmarks/botapi.py) and plays the users; each bot
process (benchmarks/bots.py) counts only its own CPU time around the scenario it asked for.
Repetitions alternate echo and Cadence; every figure is printed as ms per update (median and
range) and as a ratio to the echo of the same repetition.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.control import control, session
from benchmarks.programme import reset_pg

ROOT = Path(__file__).resolve().parents[1]
OWNER, LEADER = 20000, 30000  # Telegram ids of 责任人0 and 领导甲
MEASURES = 100
# name, who, scenario, measured n, warm-up n, target ratio to the echo
CADENCE = [
    ("answer", {"scenario": "answers", "user": OWNER, "n": 20, "warm": 2}, 1.5),
    ("/help", {"scenario": "texts", "user": OWNER, "text": "/help", "n": 100, "warm": 10}, 1.3),
    (
        "/summary",
        {"scenario": "texts", "user": LEADER, "text": "/summary", "n": 50, "warm": 5},
        2.0,
    ),
]
ECHO = {"name": "echo", "scenario": "texts", "user": OWNER, "text": "进展{k}", "n": 100, "warm": 10}


async def _seed(url: str) -> int:
    """A programme of MEASURES measures; owner 0 and the leader bound; returns measure 9.1's id."""
    sys.path.insert(0, str(ROOT / "tests"))
    from delivery_support import ledger
    from sqlmodel import select

    from core.domain.ledger import parse_ledger
    from core.domain.model import Role
    from storage import ledger_store, people, programmes
    from storage.db import Database
    from storage.models import Measure, Person

    now = datetime(2024, 9, 23, 1, 0, tzinfo=UTC)
    db = Database(url)
    try:
        async with db.session() as s:
            programme = await programmes.create(s, name="Bench", actor="bench", now=now)
            assert programme.id is not None
            pid = programme.id
            rows = parse_ledger(ledger(MEASURES), "ledger.csv").rows
            await ledger_store.apply(
                s, programme_id=pid, rows=rows, actor="bench", now=now, today=now.date()
            )
        async with db.session() as s:
            for name, user in (("责任人0", OWNER), ("领导甲", LEADER)):
                p = await people.find_named(s, programme_id=pid, name=name)
                assert p is not None and p.id is not None
                await people.bind(
                    s, person=p, user_id=user, display_name=name, actor="bench", now=now
                )
                if user == LEADER:
                    await people.grant(s, programme_id=pid, person_id=p.id, role=Role.LEADER)
            owner = (await s.exec(select(Person).where(Person.telegram_user_id == OWNER))).one()
            measure = (await s.exec(select(Measure).where(Measure.owner_id == owner.id))).one()
            assert measure.id is not None
            return measure.id
    finally:
        await db.dispose()


@contextmanager
def _server() -> Iterator[int]:
    """The fake Bot API process; yields its port."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "benchmarks.botapi"], cwd=ROOT, stdout=subprocess.PIPE, text=True
    )
    assert proc.stdout is not None
    port = int(proc.stdout.readline())

    async def stop() -> None:
        async with session() as http:
            errors = (await control(http, port, "stop", {}))["errors"]
        assert not errors, f"the fake Bot API failed: {errors}"

    try:
        yield port
    finally:
        try:
            asyncio.run(stop())
        finally:
            proc.wait(10)


def _bot(config: dict[str, Any], root: Path = ROOT) -> list[dict[str, Any]]:
    """One bot process's figures (the Cadence of another checkout with root)."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bots", json.dumps(config)],
        cwd=root,
        stdout=subprocess.PIPE,
        stderr=None if os.environ.get("BENCH_SQL") else subprocess.PIPE,  # SQL printed as it runs
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"{config['bot']} bot failed:\n{(done.stderr or '')[-3000:]}")
    result: list[dict[str, Any]] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _spread(values: list[float]) -> str:
    return f"{statistics.median(values):.2f} ({min(values):.2f}–{max(values):.2f})"


def main() -> None:
    """Print a Markdown table: ms/update and ratio to the echo, median and range."""
    args = argparse.ArgumentParser(description=__doc__)
    args.add_argument("--url", default=os.environ.get("BENCH_DATABASE_URL"))
    args.add_argument("--repeat", type=int, default=5)
    args.add_argument("--profile", help="cProfile this Cadence scenario into --profile-to")
    args.add_argument("--profile-to", default="/tmp/cadence-updates.prof")
    args.add_argument(
        "--baseline",
        type=Path,
        help="a checkout of an earlier commit (git archive COMMIT | tar -x -C DIR) whose Cadence "
        "runs in the same repetitions, on the same database, for a before/after in one run",
    )
    opts = args.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = opts.url or f"sqlite:///{folder}/bench.db"
        if url.startswith("postgres"):
            reset_pg(url)
        from storage.migrate import upgrade

        upgrade(url)
        measure = asyncio.run(_seed(url))
        scenarios = [{"name": n, "measure": measure, **s} for n, s, _ in CADENCE]
        echo: list[float] = []
        figures: dict[str, list[dict[str, Any]]] = {n: [] for n, _, _ in CADENCE}
        before: dict[str, list[dict[str, Any]]] = {n: [] for n, _, _ in CADENCE}
        with _server() as port:
            for rep in range(opts.repeat):
                [e] = _bot({"bot": "echo", "port": port, "scenarios": [ECHO]})
                echo.append(e["cpu_ms"])
                config = {"bot": "cadence", "port": port, "url": url, "scenarios": scenarios}
                if opts.baseline:
                    for f in _bot(config, opts.baseline):
                        before[f["name"]].append({**f, "ratio": f["cpu_ms"] / e["cpu_ms"]})
                if opts.profile and rep == opts.repeat - 1:
                    config.update(profile=opts.profile, profile_to=opts.profile_to)
                for f in _bot(config):
                    figures[f["name"]].append({**f, "ratio": f["cpu_ms"] / e["cpu_ms"]})
        if opts.baseline:
            print(f"baseline {opts.baseline}:")
            _print(url, echo, before)
            print("\nthis checkout:")
        _print(url, echo, figures)


def _print(url: str, echo: list[float], figures: dict[str, list[dict[str, Any]]]) -> None:
    kind = url.split(":", 1)[0]
    print(f"{kind}, {len(echo)} repetitions, echo and Cadence alternating; bot CPU only\n")
    print("| scenario | ms/update | × bare echo | target | statements | commits | hand-offs |")
    print("|---|---|---|---|---|---|---|")
    print(f"| bare PTB echo | {_spread(echo)} | 1 | | | | |")
    for name, _, target in CADENCE:
        runs = figures[name]
        db = [statistics.median(r[k] for r in runs) for k in ("statements", "commits", "handoffs")]
        print(
            f"| {name} | {_spread([r['cpu_ms'] for r in runs])} "
            f"| {_spread([r['ratio'] for r in runs])} | ≤ {target} "
            f"| {db[0]:.1f} | {db[1]:.1f} | {db[2]:.1f} |"
        )


if __name__ == "__main__":
    main()
