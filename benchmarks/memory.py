"""RSS of the bot process idle and after a 1,000-owner weekly dispatch, against a plain PTB bot.

Each bot runs in its own process (`python -m bot run`, `benchmarks/plain_bot.py`) against the
fake Bot API served from this process; RSS and peak (VmHWM) come from /proc/<pid>/status.
The plain bot sends the very messages Cadence sent (texts and buttons) when told /dispatch.
"""

from __future__ import annotations

import asyncio
import json
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

from delivery_support import DISPATCH_HEAD
from fakebot import BOT_TOKEN, FakeTelegram, User

from benchmarks.control import stop
from benchmarks.fanout import N, seed
from storage.db import Database
from storage.migrate import upgrade

ROOT = Path(__file__).resolve().parents[1]
REPS = int(os.environ.get("BENCH_REPS", "3"))
ADMIN = User(900, "Admin", language_code="zh-hans")
IDLE_SECONDS = 5.0  # after the first long poll: post_init, the first reconcile, then nothing
QUIET_SECONDS = 3.0  # after the last dispatch message: the sender's records are written


def memory_of(pid: int) -> tuple[float, float]:
    """(RSS, peak RSS) of a process in MB."""
    fields = dict(
        line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
    )
    return int(fields["VmRSS"].split()[0]) / 1024, int(fields["VmHWM"].split()[0]) / 1024


def owners_reached(api: FakeTelegram) -> list[Any]:
    """The dispatch messages sent to the N owners."""
    return [
        m
        for m in api.sent
        if 20000 <= m.chat_id < 20000 + N
        and m.method == "sendMessage"
        and DISPATCH_HEAD in (m.text or "")
    ]


async def measure(
    api: FakeTelegram,
    command: list[str],
    env: dict[str, str],
    cwd: str,
    setup: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Start a bot process, read its memory idle, tell it /dispatch, read it again; stop it."""
    log = open(Path(cwd) / "bot.log", "ab")  # noqa: SIM115, ASYNC230
    proc = await asyncio.create_subprocess_exec(
        *command, env=env, cwd=cwd, stdout=log, stderr=subprocess.STDOUT
    )
    try:
        deadline = time.monotonic() + 120
        while not any(name == "getUpdates" for name, _ in api.requests):
            assert proc.returncode is None, f"bot exited {proc.returncode}; see {cwd}/bot.log"
            assert time.monotonic() < deadline, "the bot never polled"
            await asyncio.sleep(0.1)
        await asyncio.sleep(IDLE_SECONDS)
        idle, idle_peak = memory_of(proc.pid)
        start = time.monotonic()
        for text in setup:  # Cadence: choose the programme first
            mark = api.mark()
            api.send_private(ADMIN, text)
            await api.wait_for(lambda m: m.chat_id == ADMIN.id, since=mark, timeout=60)
        api.send_private(ADMIN, "/dispatch")
        while len(owners_reached(api)) < N:
            assert proc.returncode is None, f"bot exited {proc.returncode}; see {cwd}/bot.log"
            if time.monotonic() - start > 300:
                said = [m.plain for m in api.messages_to(ADMIN.id)]
                raise AssertionError(f"only {len(owners_reached(api))} sent; to admin: {said}")
            await asyncio.sleep(0.2)
        wall = time.monotonic() - start
        await asyncio.sleep(QUIET_SECONDS)
        after, peak = memory_of(proc.pid)
        return {"idle": idle, "idle_peak": idle_peak, "after": after, "peak": peak, "wall": wall}
    finally:
        await stop(proc)
        log.close()


async def cadence(
    template: Path, folder: Path, rep: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """`python -m bot run` on a copy of the seeded database; also the messages it sent."""
    db_file = folder / f"cadence{rep}.db"
    shutil.copy(template, db_file)
    async with FakeTelegram() as api:
        env = {
            **os.environ,
            "TELEGRAM_BOT_TOKEN": BOT_TOKEN,
            "DATABASE_URL": f"sqlite:///{db_file}",
            "TELEGRAM_API_BASE_URL": api.base_url,
            "CADENCE_ADMINS": str(ADMIN.id),
        }
        command = [sys.executable, "-m", "bot", "run"]
        figures = await measure(api, command, env, str(folder), ("/use Bench",))
        sent = [
            {
                "chat_id": m.chat_id,
                "text": m.text,
                "parse_mode": m.parse_mode,
                "reply_markup": m.reply_markup,
            }
            for m in owners_reached(api)
        ]
        return figures, sent


async def plain(messages: Path, folder: Path) -> dict[str, Any]:
    """The plain PTB bot sending the same messages."""
    async with FakeTelegram() as api:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        command = [sys.executable, "-m", "benchmarks.plain_bot", str(messages), api.base_url]
        return await measure(api, [*command, BOT_TOKEN], env, str(folder))


def row(name: str, runs: list[dict[str, Any]], key: str, base: list[dict[str, Any]] | None) -> str:
    """One Markdown row: median and range in MB, and the ratio of medians to the baseline."""
    values = [r[key] for r in runs]
    median = statistics.median(values)
    ratio = f"{median / statistics.median(r[key] for r in base):.2f}" if base else "1"
    return f"| {name} | {key} | {median:.1f} | {min(values):.1f}–{max(values):.1f} | {ratio} |"


async def main() -> None:
    """Seed once, then alternate Cadence and the plain bot REPS times; print a Markdown table."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        template = folder / "template.db"
        url = f"sqlite:///{template}"
        await asyncio.to_thread(upgrade, url)
        db = Database(url)
        await seed(db, datetime.now(ZoneInfo("Asia/Shanghai")))
        await db.dispose()
        messages = folder / "messages.json"
        ours: list[dict[str, Any]] = []
        theirs: list[dict[str, Any]] = []
        for rep in range(REPS):
            figures, sent = await cadence(template, folder, rep)
            ours.append(figures)
            if rep == 0:
                messages.write_text(json.dumps(sent, ensure_ascii=False), encoding="utf-8")
            theirs.append(await plain(messages, folder))
            print(f"# rep {rep}: cadence {ours[-1]}, plain {theirs[-1]}", file=sys.stderr)
        print(f"| {N} owners, {REPS} runs | what | median MB | range | ÷ plain PTB |")
        print("|---|---|---|---|---|")
        for key in ("idle", "after", "peak"):
            print(row("plain PTB", theirs, key, None))
            print(row("Cadence", ours, key, theirs))
        walls = (statistics.median(r["wall"] for r in rs) for rs in (ours, theirs))
        print("\nfan-out wall s (median): Cadence {:.1f}, plain PTB {:.1f}".format(*walls))


if __name__ == "__main__":
    asyncio.run(main())
