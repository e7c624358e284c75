"""SIGKILL at random points of a dispatch, again and again: every owner gets it, answers count.

Duplicates are measured per kill: a copy can only go twice if Telegram took it and its record
was not in the database when the process died. With CADENCE_SEND_IN_FLIGHT = BOUND, at most
BOUND such copies exist at any instant (README, "Delivery"); each kill reports how many there
were, against the requests the fake Bot API had open at that instant. Run with -s to see them.
"""

from __future__ import annotations

import asyncio
import os
import random
import signal
import subprocess
import sys
from datetime import datetime
from functools import partial
from pathlib import Path

from conftest import SH, Bot, button, make_app, settings_for
from delivery_support import DISPATCH_HEAD, dispatches_to, owner, seed_owners
from fakebot import FakeTelegram, SentMessage, User
from sqlmodel import select
from wait_support import until

from bot.lifecycle import start_app, stop_app
from core.clock import FixedClock
from storage.db import Database
from storage.models import DispatchItem, OutboxMessage, Person

HARNESS = Path(__file__).with_name("crash_bot.py")
LOG = os.environ.get("CADENCE_CRASH_LOG", "")
OWNERS = 30
KILLS = int(os.environ.get("CADENCE_CRASH_KILLS", "20"))
BOUND = 2  # the sender's CADENCE_SEND_IN_FLIGHT here: small, so the old unbounded window shows
# Telegram's answer time, so several requests are open at once (12 a second x 0.3 s) and a kill
# often falls between a message being taken and its answer
LATENCY = 0.3
FRIDAY = datetime(2024, 9, 20, 15, 0, tzinfo=SH)  # the programme is set up
MONDAY = datetime(2024, 9, 23, 9, 30, tzinfo=SH)  # W39's dispatch is due: caught up at start


class Forks:
    """The loop's bot processes, each forked from one that imported everything (crash_bot.py)."""

    def __init__(self, db_url: str, api: FakeTelegram) -> None:
        env = {
            **os.environ,
            "PYTHONPATH": str(HARNESS.parent),
            "CADENCE_SEND_IN_FLIGHT": str(BOUND),
        }
        self.start_line = f"start {db_url} {api.base_url} {MONDAY.isoformat()}\n"
        # CADENCE_CRASH_LOG=path keeps every process's log there (appended), to read a failure
        with open(LOG or os.devnull, "ab") as log:
            self.server = subprocess.Popen(
                [sys.executable, str(HARNESS), "forks"],
                env=env,
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=log,
            )

    async def _order(self, line: str) -> list[str]:
        """Send the server a line; its (or the fork's) answer, split."""
        assert self.server.stdin is not None and self.server.stdout is not None
        self.server.stdin.write(line.encode())
        self.server.stdin.flush()
        answer = await asyncio.wait_for(asyncio.to_thread(self.server.stdout.readline), 30)
        return answer.decode().split()

    async def start(self) -> int:
        """A fresh bot process, polling; its pid."""
        word, pid = await self._order(self.start_line)
        assert word == "ready", "the bot did not start (CADENCE_CRASH_LOG=path to see why)"
        return int(pid)

    async def kill(self, pid: int) -> None:
        """SIGKILL, and wait until the process is gone (its sockets closed)."""
        os.kill(pid, signal.SIGKILL)
        assert await self._order(f"wait {pid}\n") == ["dead", str(pid)]

    def close(self) -> None:
        """End the server (and close its pipes: left to the collector, they warn in a later test)."""
        assert self.server.stdin is not None and self.server.stdout is not None
        self.server.stdin.close()
        self.server.wait(timeout=30)
        self.server.stdout.close()


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


def _copies(api: FakeTelegram) -> set[tuple[int, int]]:
    """Every dispatch Telegram took, by chat and message id."""
    return {(m.chat_id, m.message_id) for m in api.sent if DISPATCH_HEAD in (m.text or "")}


async def _recorded(db: Database) -> set[tuple[int, int]]:
    """The dispatches whose delivery is in the database."""
    async with db.session() as s:
        rows = (await s.exec(select(OutboxMessage))).all()
    return {(r.chat_id, r.message_id or 0) for r in rows if r.beat == "dispatch" and r.message_id}


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
    db = Database(db_url)
    async with FakeTelegram() as api:
        app = make_app(settings_for(api, db_url), FixedClock(FRIDAY))
        await start_app(app, poll_timeout=1)
        await seed_owners(Bot(api, app, FixedClock(FRIDAY), settings_for(api, db_url)), OWNERS)
        await stop_app(app)
        api.faults.latency = LATENCY
        # per kill: requests open at the server at that instant, and the copies Telegram took
        # whose record was not in the database once the process was dead
        kills: list[tuple[int, set[tuple[int, int]]]] = []
        exposed: set[tuple[int, int]] = set()
        answering = None
        forks = Forks(db_url, api)
        try:
            for n in range(KILLS):
                pid = await forks.start()
                # a random point: a few more messages out, then a random instant
                target = min(_total(api, users) + rng.randint(0, 3), OWNERS)
                await api.wait_until(partial(_reached, api, users, target), timeout=20)
                await asyncio.sleep(rng.uniform(0.0, 0.25))  # kept: the random instant is the test
                open_at_kill = api.open_sends
                await forks.kill(pid)
                # a request already on its way is still taken by the server after the kill
                await api.wait_until(lambda: api.open_sends == 0, timeout=5)
                recorded = await _recorded(db)
                unrecorded = _copies(api) - recorded - exposed
                kills.append((open_at_kill, unrecorded))
                exposed |= unrecorded
                if n == KILLS - 1:  # an owner answers while the bot is down
                    # one whose dispatch is recorded: it does not come again after the answer
                    answering = next(u for u in users if u.id in {c for c, _ in recorded})
                    got = api.last_to(answering.id)
                    api.press(answering, got, button(got, "md:"))
            assert answering is not None
            api.faults.latency = 0.0
            pid = await forks.start()  # the last restart finishes the dispatch
            try:
                await api.wait_until(lambda: all(dispatches_to(api, u) for u in users), timeout=60)

                # a copy a kill left unrecorded goes again once its lease ends: wait for the record
                async def all_recorded() -> bool:
                    return len(await _recorded(db)) == OWNERS

                await until(all_recorded, timeout=60, what="every copy recorded")
                await _answer(api, answering)
            finally:
                await forks.kill(pid)
            async with db.session() as s:
                rows = (await s.exec(select(OutboxMessage))).all()
                items = (await s.exec(select(DispatchItem))).all()
                persons = (await s.exec(select(Person))).all()
            recorded = await _recorded(db)
        finally:
            forks.close()
            await db.dispose()
    assert {r.state for r in rows if r.beat == "dispatch"} == {"sent"}
    assert len([r for r in rows if r.beat == "dispatch"]) == OWNERS
    assert len(items) == OWNERS and all(i.delivered for i in items)
    # the answer pressed while the bot was down was taken up, completed and credited
    [person] = [p for p in persons if p.telegram_user_id == answering.id]
    assert [i.owner_id for i in items if i.answered] == [person.id]
    # nothing skipped, exactly one copy recorded per owner; every other copy is one a kill left
    # taken by Telegram and not recorded (the Bot API has no idempotency key), at most BOUND a kill
    copies = _copies(api)
    assert sorted(c for c, _ in recorded) == sorted(u.id for u in users)
    duplicates = copies - recorded
    report = [
        f"kill {n:2}: {open_at} requests open at the kill, "
        f"{len(lost & duplicates)} duplicates (bound {BOUND})"
        for n, (open_at, lost) in enumerate(kills, 1)
    ]
    print("\n".join(report), f"\n{len(duplicates)} duplicates after {len(kills)} kills")
    assert duplicates <= exposed, report
    assert max(len(lost & duplicates) for _, lost in kills) <= BOUND, report
