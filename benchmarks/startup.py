"""Time to the first answer after start: process start to the bot's reply to /start.

`python -m bot run` (which migrates in a child process first) on a migrated database holding
a 1,000-owner programme, against a bare PTB echo bot (benchmarks/plain_bot.py), alternated
STARTUP_REPS (5) times. /start is waiting in the fake Bot API before the process starts.
"""

from __future__ import annotations

import asyncio
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from aiohttp import web
from fakebot import BOT_TOKEN, FakeTelegram, User

from benchmarks.control import stop
from benchmarks.fanout import seed
from storage.db import Database
from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
REPS = int(os.environ.get("STARTUP_REPS", "5"))
ECHO, CADENCE = "bare PTB echo", "Cadence (`python -m bot run`)"
STRANGER = User(777, "Stranger", language_code="zh-hans")


class Timeline(FakeTelegram):
    """The fake Bot API noting when each request arrived."""

    def __init__(self) -> None:
        super().__init__()
        self.arrivals: list[tuple[float, str]] = []

    async def intercept(
        self, request: web.Request, method: str, params: dict[str, Any]
    ) -> web.Response | None:
        self.arrivals.append((time.monotonic(), method))
        return await super().intercept(request, method, params)

    def phases(self, start: float) -> dict[str, float]:
        """Seconds from the start to the first request, to the first getUpdates, to the reply."""
        first = self.arrivals[0][0]
        polled = next(t for t, m in self.arrivals if m == "getUpdates")
        replied = next(t for t, m in self.arrivals if m == "sendMessage")
        return {
            "to the first Bot API request": first - start,
            "then to the first getUpdates": polled - first,
            "then to the reply": replied - polled,
        }


async def first_answer(
    command: list[str], env: dict[str, str], cwd: Path, *, echo: bool
) -> tuple[float, dict[str, float]]:
    """Seconds from starting the process to the reply to a /start sent before it; phases."""
    async with Timeline() as api:
        if echo:  # the echo takes the base URL and token as arguments
            command = [*command, api.base_url, BOT_TOKEN]
        env = {**env, "TELEGRAM_API_BASE_URL": api.base_url}
        api.send_start(STRANGER)
        log = open(cwd / "bot.log", "ab")  # noqa: SIM115, ASYNC230
        start = time.monotonic()
        proc = await asyncio.create_subprocess_exec(
            *command, env=env, cwd=str(cwd), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            await api.wait_for(STRANGER.id, since=0, timeout=60)
            return time.monotonic() - start, api.phases(start)
        finally:
            await stop(proc)
            log.close()


async def main() -> None:
    """Alternate the echo and Cadence; print a Markdown table of medians and ranges."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = folder / "template.db"
        await asyncio.to_thread(upgrade, f"sqlite:///{template}")
        db = Database(f"sqlite:///{template}")
        await seed(db, datetime.now(ZoneInfo("Asia/Shanghai")))
        await db.dispose()
        (folder / "none.json").write_text("[]", encoding="utf-8")
        echo = [sys.executable, "-m", "benchmarks.plain_bot", str(folder / "none.json")]
        runs: dict[str, list[tuple[float, dict[str, float]]]] = {ECHO: [], CADENCE: []}
        for rep in range(REPS):
            base = {**os.environ, "PYTHONPATH": str(ROOT)}
            runs[ECHO].append(await first_answer(echo, base, folder, echo=True))
            db_file = folder / f"cadence{rep}.db"
            shutil.copy(template, db_file)
            env = {**base, "TELEGRAM_BOT_TOKEN": BOT_TOKEN, "DATABASE_URL": f"sqlite:///{db_file}"}
            command = [sys.executable, "-m", "bot", "run"]
            runs[CADENCE].append(await first_answer(command, env, folder, echo=False))
            print(f"# rep {rep}: {[r[-1] for r in runs.values()]}", file=sys.stderr)
        base_median = statistics.median(w for w, _ in runs[ECHO])
        print(
            f"| first reply to /start, {REPS} runs | median s | range s | ÷ echo | phases, median s |"
        )
        print("|---|---|---|---|---|")
        for name, values in runs.items():
            walls = [w for w, _ in values]
            median = statistics.median(walls)
            phases = ", ".join(
                f"{k} {statistics.median(p[k] for _, p in values):.2f}" for k in values[0][1]
            )
            print(
                f"| {name} | {median:.2f} | {min(walls):.2f}–{max(walls):.2f} |"
                f" {median / base_median:.2f} | {phases} |"
            )


if __name__ == "__main__":
    asyncio.run(main())
