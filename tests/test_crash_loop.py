"""SIGKILL at random points of a dispatch, again and again: every owner gets it, answers count."""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
import time
from datetime import datetime
from functools import partial
from pathlib import Path

from conftest import SH, Bot, button, make_app, settings_for
from delivery_support import dispatches_to, owner, seed_owners
from fakebot import FakeTelegram, SentMessage, User
from sqlmodel import select

from bot.app import start_app, stop_app
from core.clock import FixedClock
from storage.db import Database
from storage.models import DispatchItem, OutboxMessage, Person

HARNESS = Path(__file__).with_name("crash_bot.py")
OWNERS = 30
KILLS = int(os.environ.get("CADENCE_CRASH_KILLS", "20"))
# how long after Telegram took a message a kill can still stop its record (a busy database
# retries it for a few seconds): an extra copy must have gone out that close before a kill
WINDOW = 3.0
FRIDAY = datetime(2024, 9, 20, 15, 0, tzinfo=SH)  # the programme is set up
MONDAY = datetime(2024, 9, 23, 9, 30, tzinfo=SH)  # W39's dispatch is due: caught up at start


def _start(db_url: str, api: FakeTelegram) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(HARNESS.parent)}
    return subprocess.Popen(
        [sys.executable, str(HARNESS), db_url, api.base_url, MONDAY.isoformat()],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


def _close(proc: subprocess.Popen[bytes]) -> None:
    """Close a reaped process's pipe (left to the collector, it warns in a later test)."""
    if proc.stdout is not None:
        proc.stdout.close()


async def _ready(proc: subprocess.Popen[bytes]) -> None:
    assert proc.stdout is not None
    line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 30)
    assert line.strip() == b"ready"


async def _step(api: FakeTelegram, user: User, mark: int) -> SentMessage:
    """The bot's next message to the user after a mark."""
    [reply] = await api.wait_for(user.id, since=mark, timeout=20)
    return reply


async def _answer(api: FakeTelegram, user: User) -> None:
    """The owner's press (made while the bot was down) is answered; they finish the answer."""
    card = await _step(api, user, _after_dispatch(api, user))
    mark = api.mark()
    api.press(user, card, button(card, "ans:", ":ok"))
    await _step(api, user, mark)  # the note, please
    mark = api.mark()
    api.send_private(user, "按计划推进")
    await _step(api, user, mark)  # the percentage, please
    mark = api.mark()
    api.send_private(user, "50")
    files = await _step(api, user, mark)
    mark = api.mark()
    api.press(user, files, button(files, "f:"))
    confirm = await _step(api, user, mark)
    mark = api.mark()
    api.press(user, confirm, button(confirm, "c:", ":save"))
    await api.wait_until(lambda: "已保存" in api.last_to(user.id).plain, timeout=20)


def _total(api: FakeTelegram, users: list[User]) -> int:
    return sum(1 for u in users if dispatches_to(api, u))


def _reached(api: FakeTelegram, users: list[User], target: int) -> bool:
    return _total(api, users) >= target


def _after_dispatch(api: FakeTelegram, user: User) -> int:
    """The index just after the user's last dispatch: the card the press asked for follows it."""
    last = max(
        k for k, m in enumerate(api.sent) if m.chat_id == user.id and "每周调度" in (m.text or "")
    )
    return last + 1


async def test_sigkill_at_random_points_of_a_dispatch(db_url: str) -> None:
    rng = random.Random(20241)
    users = [owner(i) for i in range(OWNERS)]
    async with FakeTelegram() as api:
        app = make_app(settings_for(api, db_url), FixedClock(FRIDAY))
        await start_app(app, poll_timeout=1)
        await seed_owners(Bot(api, app, FixedClock(FRIDAY), settings_for(api, db_url)), OWNERS)
        await stop_app(app)
        stamps: list[float] = []  # when each message reached the fake server

        async def watch() -> None:
            while True:
                stamps.extend([time.monotonic()] * (len(api.sent) - len(stamps)))
                await asyncio.sleep(0.002)

        watcher = asyncio.create_task(watch())
        kills: list[float] = []
        answering = None
        try:
            for n in range(KILLS):
                proc = _start(db_url, api)
                await _ready(proc)
                # a random point: a few more messages out, then a random instant
                target = min(_total(api, users) + rng.randint(0, 3), OWNERS)
                await api.wait_until(partial(_reached, api, users, target), timeout=20)
                await asyncio.sleep(rng.uniform(0.0, 0.25))
                proc.send_signal(signal.SIGKILL)
                kills.append(time.monotonic())
                await asyncio.to_thread(proc.wait)
                _close(proc)
                if n == KILLS - 1:  # an owner answers while the bot is down
                    answering = next(u for u in users if dispatches_to(api, u))
                    got = api.last_to(answering.id)
                    api.press(answering, got, button(got, "md:"))
            assert answering is not None
            proc = _start(db_url, api)  # the last restart finishes the dispatch
            await _ready(proc)
            try:
                await api.wait_until(lambda: all(dispatches_to(api, u) for u in users), timeout=60)
                await _answer(api, answering)
            finally:
                proc.send_signal(signal.SIGKILL)
                kills.append(time.monotonic())
                await asyncio.to_thread(proc.wait)
                _close(proc)
        finally:
            watcher.cancel()
        db = Database(db_url)
        try:
            async with db.session() as s:
                rows = (await s.exec(select(OutboxMessage))).all()
                items = (await s.exec(select(DispatchItem))).all()
                persons = (await s.exec(select(Person))).all()
        finally:
            await db.dispose()
    recorded = {(r.chat_id, r.message_id) for r in rows if r.beat == "dispatch"}
    assert {r.state for r in rows if r.beat == "dispatch"} == {"sent"}
    assert len([r for r in rows if r.beat == "dispatch"]) == OWNERS
    assert len(items) == OWNERS and all(i.delivered for i in items)
    # the answer pressed while the bot was down was taken up, completed and credited
    [person] = [p for p in persons if p.telegram_user_id == answering.id]
    assert [i.owner_id for i in items if i.answered] == [person.id]
    # nothing skipped, exactly one copy recorded; another copy only where a kill fell between
    # Telegram's answer and our commit (the Bot API has no idempotency key): each such copy went
    # out within WINDOW seconds before a kill
    for u in users:
        copies = [
            (k, m)
            for k, m in enumerate(api.sent)
            if m.chat_id == u.id and "每周调度" in (m.text or "")
        ]
        assert len([m for _, m in copies if (m.chat_id, m.message_id) in recorded]) == 1, u
        for k, m in copies:
            if (m.chat_id, m.message_id) not in recorded:
                assert any(0 <= kill - stamps[k] < WINDOW for kill in kills), (u, m.message_id)
