"""Monday 9:00: 1,000 owners answer the weekly dispatch while it is still going out.

`python -m bot run` (one process) against the fake Bot API with Telegram's limits enforced
(strict mode), served from this process, which also plays the owners. A coordinator types
/dispatch; each owner, once the dispatch has reached them, presses its answer button at a
moment drawn uniformly over MONDAY_SECONDS (600) from the beat and goes through the answer
flow (the measure's button, on track, a note, a percentage, no files, save), thinking 2–5 s before each step.
Latency of a step: from the update handed to the bot (getUpdates) to the bot's reply arriving
here (the sendMessage or editMessageText for that owner). Lost: owners whose answer is not stored.
Baseline in the same run: a bare PTB echo bot (benchmarks/plain_bot.py) answering the same
number of texts at the same pace, through the same server, without a fan-out.
MONDAY_OWNERS scales the run down; TEST_DATABASE_URL adds PostgreSQL.
"""

from __future__ import annotations

import asyncio
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from aiohttp import web
from delivery_support import DISPATCH_HEAD
from fakebot import BOT_TOKEN, FakeTelegram, SentMessage, User
from sqlalchemy import func
from sqlmodel import select

from benchmarks.control import stop
from benchmarks.fanout import seed
from benchmarks.programme import reset_pg
from storage.db import Database
from storage.migrate import upgrade
from storage.models import ProgressUpdate

ROOT = Path(__file__).resolve().parents[1]
N = int(os.environ.get("MONDAY_OWNERS", "1000"))
WINDOW = float(os.environ.get("MONDAY_SECONDS", "600"))
THINK = (2.0, 5.0)  # seconds an owner takes to read a prompt and act
ADMIN = User(900, "Admin", language_code="zh-hans")
SH = ZoneInfo("Asia/Shanghai")
REPLIES = frozenset({"sendMessage", "editMessageText"})


class Timed(FakeTelegram):
    """The fake Bot API noting when each update is handed out and each reply arrives, per chat."""

    def __init__(self) -> None:
        super().__init__()
        self.handed: dict[int, float] = {}
        self.inbox: dict[int, asyncio.Queue[tuple[float, str, SentMessage | None]]] = defaultdict(
            asyncio.Queue
        )
        self._scanned = 0

    async def _api_getUpdates(self, p: dict[str, Any]) -> list[dict[str, Any]]:
        given = await super()._api_getUpdates(p)
        now = time.monotonic()
        for update in given:
            self.handed.setdefault(update["update_id"], now)
        return given

    async def intercept(
        self, request: web.Request, method: str, params: dict[str, Any]
    ) -> web.Response | None:
        refused = await super().intercept(request, method, params)
        if refused is None and method in REPLIES:
            request["arrived"] = time.monotonic()
        return refused

    async def _handle_api(self, request: web.Request) -> web.Response:
        response = await super()._handle_api(request)
        if "arrived" in request:
            params = dict(await request.post())
            method = request.match_info["method"]
            new, self._scanned = self.sent[self._scanned :], len(self.sent)
            for m in new:
                self.inbox[m.chat_id].put_nowait((request["arrived"], m.method, m))
            if method.lower() == "editmessagetext":
                chat = int(str(params["chat_id"]))
                self.inbox[chat].put_nowait((request["arrived"], "editMessageText", None))
        return response


def last_update(api: Timed) -> int:
    return int(api.updates[-1]["update_id"])


def _button(message: SentMessage, prefix: str, suffix: str = "") -> str:
    found = [d for _, d in message.buttons if d.startswith(prefix) and d.endswith(suffix)]
    assert len(found) == 1, f"no {prefix}…{suffix} button in {message.plain!r}: {message.buttons}"
    return found[0]


class Owner:
    """One owner: waits for the dispatch, answers it step by step, notes each step's latency."""

    def __init__(self, api: Timed, i: int, press_at: float, rng: random.Random) -> None:
        self.api, self.user = api, User(20000 + i, f"责任人{i}", language_code="zh-hans")
        self.press_at, self.rng = press_at, rng
        self.steps: list[tuple[str, float, float]] = []  # (step, handed, latency)
        self.reached: float | None = None  # when the dispatch arrived

    async def _reply(self, step: str, update_id: int) -> tuple[str, SentMessage | None]:
        arrived, method, message = await asyncio.wait_for(self.api.inbox[self.user.id].get(), 600)
        handed = self.api.handed.get(update_id, arrived)
        self.steps.append((step, handed, arrived - handed))
        return method, message

    async def _think(self) -> None:
        await asyncio.sleep(self.rng.uniform(*THINK))

    async def run(self, t0: float) -> None:
        api, user = self.api, self.user
        self.reached, _, dispatch = await asyncio.wait_for(api.inbox[user.id].get(), 900)
        assert dispatch is not None and DISPATCH_HEAD in (dispatch.text or ""), dispatch
        await asyncio.sleep(max(t0 + self.press_at - time.monotonic(), self.rng.uniform(*THINK)))
        api.press(user, dispatch, _button(dispatch, "md:"))
        _, card = await self._reply("press", last_update(api))  # the measure, how is it going?
        assert card is not None
        await self._think()
        api.press(user, card, _button(card, "ans:", ":ok"))
        await self._reply("on track", last_update(api))  # the note, please
        await self._think()
        api.send_private(user, "按计划推进")
        await self._reply("note", last_update(api))  # the percentage, please
        await self._think()
        api.send_private(user, "50")
        _, files = await self._reply("percent", last_update(api))
        assert files is not None
        await self._think()
        api.press(user, files, _button(files, "f:"))
        _, confirm = await self._reply("no files", last_update(api))
        assert confirm is not None
        await self._think()
        api.press(user, confirm, _button(confirm, "c:", ":save"))
        method, _ = await self._reply("save", last_update(api))
        assert method == "editMessageText", method


class Echoer(Owner):
    """The baseline's user: six texts at the same moments an owner would act, each echoed."""

    async def run(self, t0: float) -> None:
        await asyncio.sleep(max(t0 + self.press_at - time.monotonic(), 0.0))
        for step in ("press", "on track", "note", "percent", "no files", "save"):
            self.api.send_private(self.user, step)
            await self._reply(step, last_update(self.api))
            await self._think()


async def _start(api: Timed, command: list[str], env: dict[str, str], cwd: str) -> Any:
    log = open(Path(cwd) / "bot.log", "ab")  # noqa: SIM115, ASYNC230
    proc = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT
    )
    deadline = time.monotonic() + 120
    while not any(name == "getUpdates" for name, _ in api.requests):
        assert proc.returncode is None, f"bot exited {proc.returncode}; see {cwd}/bot.log"
        assert time.monotonic() < deadline, "the bot never polled"
        await asyncio.sleep(0.1)
    await asyncio.sleep(3.0)  # the start's reconcile and resumed outbox are over
    return proc


def percentiles(values: list[float]) -> str:
    """p50 / p95 / p99 in ms."""
    if len(values) < 2:
        return "– / – / –"
    q = statistics.quantiles(values, n=100, method="inclusive")
    return f"{q[49] * 1000:.0f} / {q[94] * 1000:.0f} / {q[98] * 1000:.0f}"


def _latencies(owners: Sequence[Owner], fanout_end: float) -> dict[str, list[float]]:
    """Step latencies: all, the first presses, and the steps handed while the fan-out went out."""
    steps = [(step, handed, lat) for o in owners for step, handed, lat in o.steps]
    return {
        "all steps": [lat for _, _, lat in steps],
        "first presses (the dispatch's button)": [lat for step, _, lat in steps if step == "press"],
        "steps during the fan-out": [lat for _, h, lat in steps if h <= fanout_end],
        "steps after it": [lat for _, h, lat in steps if h > fanout_end],
    }


async def _play(api: Timed, owners: Sequence[Owner], opener: str, trigger: str | None) -> float:
    """Run every owner to the end (the coordinator's trigger starts them); the wall time."""
    api.send_private(ADMIN, opener)
    await api.inbox[ADMIN.id].get()
    t0 = time.monotonic()
    tasks = [asyncio.create_task(o.run(t0)) for o in owners]
    if trigger:
        api.send_private(ADMIN, trigger)
    results = await asyncio.gather(*tasks, return_exceptions=True)
    for r in [r for r in results if isinstance(r, BaseException)][:3]:
        print(f"# an owner failed: {r!r}", file=sys.stderr)
    return time.monotonic() - t0


async def _stored(db: Database) -> int:
    async with db.session() as s:
        return int((await s.exec(select(func.count()).select_from(ProgressUpdate))).one())


async def cadence(url: str, folder: Path, name: str) -> list[str]:
    """Seed, start `python -m bot run`, dispatch, let the owners answer; rows of the table."""
    await asyncio.to_thread(upgrade, url)
    db = Database(url)
    await seed(db, datetime.now(SH))
    before = await _stored(db)
    rng = random.Random(27)
    async with Timed() as api:
        api.faults.strict = True
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
            "DATABASE_URL": url,
            "TELEGRAM_API_BASE_URL": api.base_url,
            "CADENCE_ADMINS": str(ADMIN.id),
        }
        proc = await _start(api, [sys.executable, "-m", "bot", "run"], env, str(folder))
        owners = [Owner(api, i, rng.uniform(0, WINDOW), random.Random(i)) for i in range(N)]
        try:
            wall = await _play(api, owners, "/use Bench", "/dispatch")
            await asyncio.sleep(2.0)
        finally:
            await stop(proc)
        floods = api.faults.floods
    lost = N - (await _stored(db) - before)
    await db.dispose()
    reached = [o.reached for o in owners if o.reached is not None]
    fanout = max(reached) - min(reached) if reached else 0.0
    extra = (
        f"{len(reached)}/{N} reached, fan-out {fanout:.1f} s, {floods} 429s,"
        f" **{lost} lost**, wall {wall:.0f} s"
    )
    return _rows(name, _latencies(owners, max(reached, default=0.0)), extra)


async def echo(folder: Path) -> list[str]:
    """The bare PTB echo bot: as many six-text flows as owners, at the same pace, no fan-out."""
    rng = random.Random(27)
    async with Timed() as api:
        api.faults.strict = True
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        empty = folder / "none.json"
        empty.write_text("[]", encoding="utf-8")
        command = [sys.executable, "-m", "benchmarks.plain_bot", str(empty), api.base_url]
        proc = await _start(api, [*command, BOT_TOKEN], env, str(folder))
        owners = [Echoer(api, i, rng.uniform(0, WINDOW), random.Random(i)) for i in range(N)]
        try:
            wall = await _play(api, owners, "echo", None)
        finally:
            await stop(proc)
    return _rows("bare PTB echo", _latencies(owners, 0.0), f"wall {wall:.0f} s")


def _rows(name: str, latencies: dict[str, list[float]], extra: str) -> list[str]:
    rows = []
    for what, values in latencies.items():
        if values:
            top = f"{max(values) * 1000:.0f}"
            rows.append(
                f"| {name} | {what} ({len(values)}) | {percentiles(values)} | {top} | {extra} |"
            )
            extra = ""
    return rows


async def main() -> None:
    """Print a Markdown table: the echo baseline, then Cadence on SQLite (and PostgreSQL)."""
    print(f"{N} owners answering over {WINDOW:.0f} s from the beat; think {THINK[0]}–{THINK[1]} s")
    print("\n| bot | steps | p50 / p95 / p99 ms | max ms | |\n|---|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        for row in await echo(folder):
            print(row, flush=True)
        for row in await cadence(f"sqlite:///{folder}/monday.db", folder, "Cadence, SQLite"):
            print(row, flush=True)
        pg = os.environ.get("TEST_DATABASE_URL")
        if pg:
            await asyncio.to_thread(reset_pg, pg)
            for row in await cadence(pg, folder, "Cadence, PostgreSQL"):
                print(row, flush=True)
            await asyncio.to_thread(reset_pg, pg)


if __name__ == "__main__":
    asyncio.run(main())
