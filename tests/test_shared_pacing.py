"""One pacing budget for every process on a database: the bot and a CLI beat stay within 30/s."""

from __future__ import annotations

import asyncio
from collections import deque

from conftest import settings_for
from delivery_support import DISPATCH_HEAD, MONDAY, ledger, record_sends, running, seed_owners
from sqlmodel import select

from bot.lifecycle import bot_and_services
from core.clock import FixedClock
from core.domain.ledger import parse_ledger
from core.domain.model import Beat
from jobs import budget as shared
from jobs.budget import LOCAL, SharedBudget
from jobs.pacing import Limits
from jobs.run import run_beat
from storage import ledger_store, programmes
from storage.budget import claim
from storage.db import Database
from storage.models import Person
from usecases.ports import Outcome

N = 120  # owners per programme: two fan-outs of 4 s each at 30/s, together 60/s unshared


def _busiest_second(times: list[float]) -> int:
    """The most sends the server saw in any one-second window."""
    window: deque[float] = deque()
    most = 0
    for t in sorted(times):
        window.append(t)
        while window[0] <= t - 1.0:
            window.popleft()
        most = max(most, len(window))
    return most


async def _seed_second(db: Database, base: int) -> int:
    """Programme Q, its N owners bound to other Telegram users than P's."""
    parsed = parse_ledger(ledger(N), "ledger.csv")
    async with db.session() as s:
        programme = await programmes.create(s, name="Q", actor="test", now=MONDAY)
        assert programme.id is not None
        pid = programme.id
        await ledger_store.apply(
            s, programme_id=pid, rows=parsed.rows, actor="test", now=MONDAY, today=MONDAY.date()
        )
        await s.flush()
        for p in (await s.exec(select(Person).where(Person.programme_id == pid))).all():
            if p.name.startswith("责任人"):
                p.telegram_user_id = base + int(p.name[3:])
                s.add(p)
    return pid


async def test_the_bot_and_a_cli_beat_together_stay_within_30_a_second(db_url: str) -> None:
    async with running(db_url, Limits()) as bot:
        sends = record_sends(bot.api)
        p = await seed_owners(bot, N)
        q = await _seed_second(bot.db, 30000)
        settings = settings_for(bot.api, db_url)
        # the CLI's own process: its own Bot, services and database engine, on the same database
        async with bot_and_services(settings, FixedClock(MONDAY)) as (cli_bot, cli_svc):
            svc = bot.app.bot_data["svc"]
            results = await asyncio.gather(
                run_beat(bot.app.bot, svc, programme_id=p, beat=Beat.DISPATCH),
                run_beat(cli_bot, cli_svc, programme_id=q, beat=Beat.DISPATCH),
            )
        assert [r.outcome for r in results] == [Outcome.SENT, Outcome.SENT]
        assert [r.delivery.sent if r.delivery else 0 for r in results] == [N, N]
        dispatched = [m for m in bot.api.sent if DISPATCH_HEAD in (m.text or "")]
        assert len(dispatched) == 2 * N
        assert bot.api.faults.floods == 0  # Telegram never had to say 429
        assert _busiest_second(sends) <= 30


# the claim itself, with the clock pinned (milliseconds since the epoch)
T = 1_700_000_000_000


async def test_claims_share_thirty_slots_until_their_grants_end(db_url: str) -> None:
    db = Database(db_url)
    try:
        async with db.session() as s:
            got = [
                await claim(s, want=w, limit=30, now_ms=T, hold_ms=3000) for w in (10, 10, 10, 10)
            ]
        assert [c.slots for c in got] == [10, 10, 10, 0]
        assert got[3].grant is None and got[3].soonest_ms == T + 3000
        async with db.session() as s:  # another process, 100 ms later: still all held
            assert (await claim(s, want=5, limit=30, now_ms=T + 100, hold_ms=3000)).slots == 0
        first = got[0].grant
        assert first is not None
        async with db.session() as s:  # its answers are in: free one second after the last
            settled = await claim(
                s, want=20, limit=30, now_ms=T + 1200, hold_ms=3000, settle=[(first, 10, T + 1100)]
            )
        assert settled.slots == 10 and settled.soonest_ms == T + 3000
        async with db.session() as s:  # the provisional holds end: everything is free again
            again = await claim(s, want=30, limit=30, now_ms=T + 3000, hold_ms=3000)
        assert again.slots == 20  # the grant made at T + 1200 holds its 10 until T + 4200
        async with db.session() as s:
            later = await claim(s, want=30, limit=30, now_ms=T + 4200, hold_ms=3000)
        assert later.slots == 10  # the grant of T + 3000 holds its 20 until T + 6000
    finally:
        await db.dispose()


async def test_a_fan_out_leaves_the_reserved_slots_to_replies(db_url: str) -> None:
    db = Database(db_url)
    try:
        async with db.session() as s:
            bulk = await claim(s, want=30, limit=28, now_ms=T, hold_ms=3000)
            more = await claim(s, want=5, limit=28, now_ms=T, hold_ms=3000)
            reply = await claim(s, want=5, limit=30, now_ms=T, hold_ms=3000)
        assert (bulk.slots, more.slots, reply.slots) == (28, 0, 2)
    finally:
        await db.dispose()


class Wall:
    """A pinned wall clock the test moves."""

    def __init__(self) -> None:
        self.now = T / 1000

    def __call__(self) -> float:
        return self.now


async def _held(db: Database, now: float) -> int:
    """Slots every process holds at this wall time (a claim of none)."""
    async with db.pacing().session() as s:  # on SQLite a file beside the database
        return (await claim(s, want=0, limit=30, now_ms=int(now * 1000), hold_ms=0)).held


async def test_waiting_requests_share_one_claim_and_settle_it_later(db_url: str) -> None:
    db, wall = Database(db_url), Wall()
    budget = SharedBudget(lambda: db, wall=wall)
    try:
        grants = await asyncio.gather(*(budget.take() for _ in range(5)))
        assert budget.claims == 1 and len({id(g) for g in grants}) == 1
        assert grants[0].slots == 5 and grants[0].handed == 5
        for g in grants:
            budget.done(g)  # answered at T: free at T + 1 s
        wall.now += shared.START_WITHIN + 0.01  # the claim's slots are no longer handed out
        other = SharedBudget(lambda: db, wall=wall)  # another process
        assert (await other.take(limit=30)).slots == 1
        assert await _held(db, wall.now) == 6  # ours count until our next claim says otherwise
        assert (await budget.take()).slots == 1  # a lone request: a claim of one
        assert budget.claims == 2
        assert await _held(db, T / 1000 + 0.999) == 7
        assert await _held(db, T / 1000 + 1.0) == 2  # that claim wrote the real end: T + 1 s
    finally:
        await db.dispose()


async def test_the_database_unreachable_paces_this_process_alone() -> None:
    asked: list[int] = []

    def gone() -> Database:
        asked.append(1)
        raise OSError("connection refused")

    wall = Wall()
    budget = SharedBudget(gone, wall=wall)
    assert await budget.take() is LOCAL and await budget.take() is LOCAL
    assert len(asked) == 1  # not asked again for OUTAGE seconds
    wall.now += shared.OUTAGE
    assert await budget.take() is LOCAL and len(asked) == 2
