"""Delivery you can trust: every dispatch reaches every reachable owner exactly once."""

from __future__ import annotations

import asyncio
import json
import random
from collections.abc import Sequence
from functools import partial

import pytest
from conftest import Bot, button, make_app
from delivery_support import dispatches_to, leases_over, owner, running, seed_owners
from fakebot import Fault, SentMessage, User
from fakefaults import TRANSIENT
from sqlmodel import select
from wait_support import until

from bot.lifecycle import start_app, stop_app
from core.domain.model import Beat
from jobs.outbox import sender_of
from jobs.outbox_records import Records
from jobs.pacing import Limits
from jobs.run import BeatResult, run_beat
from storage.models import DispatchItem, OutboxMessage, Person, SentBeat
from usecases.ports import Outcome

TELEGRAM = Limits()


async def _dispatch(bot: Bot, pid: int) -> None:
    result = await run_beat(
        bot.app.bot, bot.app.bot_data["svc"], programme_id=pid, beat=Beat.DISPATCH
    )
    assert result.outcome is Outcome.SENT


async def _unreachable(bot: Bot) -> dict[int, bool]:
    async with bot.db.session() as s:
        rows = (await s.exec(select(Person).where(Person.telegram_user_id != None))).all()  # noqa: E711
        return {p.telegram_user_id or 0: p.unreachable_since is not None for p in rows}


async def test_200_owners_strict_limits_no_fault_no_429(db_url: str) -> None:
    async with running(db_url, TELEGRAM) as bot:
        pid = await seed_owners(bot, 200)
        await _dispatch(bot, pid)
        assert [dispatches_to(bot.api, owner(i)) for i in range(200)] == [1] * 200
        assert bot.api.faults.floods == 0  # paced: Telegram never had to say 429


async def test_200_owners_random_faults_each_reachable_owner_once(db_url: str) -> None:
    async with running(db_url, TELEGRAM, cadence_send_timeout=0.5) as bot:
        pid = await seed_owners(bot, 200)
        faults = bot.api.faults
        faults.hang = 2.0
        faults.at_random(0.25, TRANSIENT, seed=8)
        blocked, rejected, gone = owner(3), owner(4), owner(5)
        faults.always(blocked.id, Fault.FORBIDDEN)
        faults.next_for(rejected.id, Fault.BAD_REQUEST)
        faults.always(gone.id, Fault.CHAT_NOT_FOUND)
        await _dispatch(bot, pid)
        assert faults.total_injected() > 30  # every kind of transient fault happened
        assert all(faults.injected[k] for k in TRANSIENT)
        got = {i: dispatches_to(bot.api, owner(i)) for i in range(200)}
        assert {i for i, n in got.items() if n != 1} == {3, 4, 5}
        assert got[3] == got[4] == got[5] == 0
        unreachable = await _unreachable(bot)
        assert unreachable[blocked.id] and unreachable[gone.id]
        assert not unreachable[rejected.id]  # a 400 is not held against the person
        assert sum(unreachable.values()) == 2


async def _answer(bot: Bot, user: User) -> None:
    """The owner completes an answer that started with a button press."""
    await bot.say(user, "按计划推进")
    await bot.say(user, "60")
    files = bot.api.last_to(user.id)
    await bot.press(user, files, button(files, "f:"))
    confirm = bot.api.last_to(user.id)
    await bot.press(user, confirm, button(confirm, "c:", ":save"))


async def _measure_of(bot: Bot, user: User) -> int:
    async with bot.db.session() as s:
        row = (await s.exec(select(OutboxMessage).where(OutboxMessage.chat_id == user.id))).one()
    return int(row.measure_ids)


async def test_stops_mid_fan_out_resume_exactly_once_and_credit_answers(db_url: str) -> None:
    rng = random.Random(11)
    slow = Limits(per_second=8, private_per_second=0, group_per_minute=0)  # a long fan-out
    users = [owner(i) for i in range(40)]
    async with running(db_url, slow, strict=False, cadence_lease_seconds=2.0) as bot:
        pid = await seed_owners(bot, 40)
        task: asyncio.Task[BeatResult | None] = asyncio.create_task(
            run_beat(bot.app.bot, bot.app.bot_data["svc"], programme_id=pid, beat=Beat.DISPATCH)
        )
        answering: tuple[User, SentMessage] | None = None
        for _ in range(4):  # stop at random points of the fan-out, restart each time
            target = min(_all_dispatches(bot, users) + rng.randint(2, 8), 38)
            await bot.api.wait_until(partial(_reached, bot, users, target), timeout=20)
            await stop_app(bot.app)  # aborts the delivery in progress
            await asyncio.gather(task, return_exceptions=True)
            if answering is None:  # an owner answers while the bot is down
                got = next(u for u in users if dispatches_to(bot.api, u))
                answering = (got, bot.api.last_to(got.id))
                on_track = f"ans:{await _measure_of(bot, got)}:ok"
                bot.api.press(got, answering[1], on_track)
            bot.app = make_app(bot.settings, bot.clock, slow)
            await start_app(bot.app, poll_timeout=1)  # the reconciliation job resumes at start
            task = asyncio.create_task(_nothing())
        assert answering is not None
        await _answer(bot, answering[0])
        # any lease left behind has expired (a stop frees its own; this failed once on a fresh clone)
        await until(partial(leases_over, bot), timeout=10, what="every lease run out")
        await sender_of(bot.app.bot_data["svc"]).deliver(bot.app.bot)
        await bot.api.wait_until(lambda: _all_dispatches(bot, users) >= 40, timeout=30)
        await bot.api.settle(quiet=0.5, timeout=10)
        assert [dispatches_to(bot.api, u) for u in users] == [1] * 40
        async with bot.db.session() as s:
            rows = (await s.exec(select(OutboxMessage))).all()
            items = (await s.exec(select(DispatchItem).where(DispatchItem.answered))).all()
        assert [(r.beat, r.key, r.state) for r in rows if r.beat != "dispatch"] == []
        assert len(rows) == 40 and {r.state for r in rows} == {"sent"}
        assert [i.owner_id for i in items] == [_person_of(rows, answering[0].id)]


async def _nothing() -> BeatResult | None:
    return None


def _reached(bot: Bot, users: list[User], target: int) -> bool:
    return _all_dispatches(bot, users) >= target


def _all_dispatches(bot: Bot, users: list[User]) -> int:
    return sum(dispatches_to(bot.api, u) for u in users)


def _person_of(rows: Sequence[OutboxMessage], chat_id: int) -> int | None:
    return next(r.person_id for r in rows if r.chat_id == chat_id)


async def test_a_delivery_recorded_late_is_not_sent_again_by_this_process(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the reconciliation runs beside a beat's own delivery: when the record of a sent message
    # comes late (a busy database retries it), the other run must not take the message again
    # once its lease and its chat's one-second window have passed
    users = [owner(i) for i in range(3)]
    record = Records.record

    late = asyncio.Event()  # the record of users[0]'s message waits until the test lets it go

    async def busy(self: Records, row: OutboxMessage, message_id: int) -> None:
        if row.chat_id == users[0].id:
            await asyncio.wait_for(late.wait(), 20)
        await record(self, row, message_id)

    monkeypatch.setattr(Records, "record", busy)
    async with running(db_url, TELEGRAM, strict=False, cadence_lease_seconds=0.4) as bot:
        pid = await seed_owners(bot, 3)
        svc = bot.app.bot_data["svc"]
        beat = asyncio.create_task(run_beat(bot.app.bot, svc, programme_id=pid, beat=Beat.DISPATCH))
        await bot.api.wait_until(lambda: dispatches_to(bot.api, users[0]) == 1, timeout=10)
        # the lease has run out; the record is still to come
        await until(partial(leases_over, bot, users[0].id), what="the lease run out")
        again = await sender_of(svc).deliver(bot.app.bot)
        late.set()
        result = await beat
        await bot.api.settle(quiet=0.5, timeout=10)
        assert [dispatches_to(bot.api, u) for u in users] == [1, 1, 1]
        assert again.sent == 0
        assert result is not None and result.outcome is Outcome.SENT
        async with bot.db.session() as s:
            rows = (await s.exec(select(OutboxMessage))).all()
        assert sorted((r.chat_id, r.state) for r in rows) == sorted((u.id, "sent") for u in users)


async def test_a_stop_while_a_message_is_being_taken_leaves_no_lease_behind(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the stop lands just after the lease was written: the message must be given back before
    # the process goes, or the next start would hold it back for the whole lease (a minute)
    users = [owner(i) for i in range(3)]
    take = Records.take
    taken = asyncio.Event()

    async def slow(self: Records, row_id: int) -> OutboxMessage | None:
        row = await take(self, row_id)
        if row is not None and row.chat_id == users[1].id:
            taken.set()
            await asyncio.Event().wait()  # the stop arrives here
        return row

    monkeypatch.setattr(Records, "take", slow)
    async with running(db_url, TELEGRAM, strict=False, cadence_lease_seconds=600) as bot:
        pid = await seed_owners(bot, 3)
        svc = bot.app.bot_data["svc"]
        beat = asyncio.create_task(run_beat(bot.app.bot, svc, programme_id=pid, beat=Beat.DISPATCH))
        await asyncio.wait_for(taken.wait(), 10)
        await sender_of(svc).stop()  # what a SIGTERM does first; the process may end right after
        async with bot.db.session() as s:
            rows = (await s.exec(select(OutboxMessage))).all()
        mine = next(r for r in rows if r.chat_id == users[1].id)
        assert (mine.state, mine.leased_until) == ("queued", None)
        await stop_app(bot.app)
        await asyncio.gather(beat, return_exceptions=True)
        monkeypatch.setattr(Records, "take", take)
        bot.app = make_app(bot.settings, bot.clock, TELEGRAM)
        await start_app(bot.app, poll_timeout=1)  # the reconciliation at start sends it now
        await bot.api.wait_until(lambda: dispatches_to(bot.api, users[1]) == 1, timeout=10)
        await bot.api.settle(quiet=0.5, timeout=10)
        assert [dispatches_to(bot.api, u) for u in users] == [1, 1, 1]


async def test_a_busy_database_when_taking_a_message_does_not_leave_it_for_later(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # "database is locked" while leasing one owner's dispatch: the beat's own run must still
    # deliver it, not leave it queued for the reconciliation minutes later
    from sqlalchemy.exc import OperationalError

    from storage import outbox

    users = [owner(i) for i in range(3)]
    take = outbox.take
    refused: list[int] = []

    async def locked_once(session: object, **kw: object) -> object:
        if not refused:
            refused.append(int(str(kw["row_id"])))
            raise OperationalError("UPDATE outboxmessage", {}, Exception("database is locked"))
        return await take(session, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(outbox, "take", locked_once)
    async with running(db_url, TELEGRAM, strict=False) as bot:
        pid = await seed_owners(bot, 3)
        await _dispatch(bot, pid)
        await bot.api.wait_until(lambda: all(dispatches_to(bot.api, u) == 1 for u in users))
        async with bot.db.session() as s:
            rows = (await s.exec(select(OutboxMessage))).all()
        assert len(refused) == 1
        assert sorted((r.chat_id, r.state) for r in rows) == sorted((u.id, "sent") for u in users)


class _Crash(Exception):
    """The process dies here (the test then stops it and starts a new one)."""


@pytest.mark.parametrize("dies_at", [1, 3])
async def test_a_crash_between_planned_batches_is_finished_at_the_next_start(
    db_url: str, monkeypatch: pytest.MonkeyPatch, dies_at: int
) -> None:
    # the fan-out is planned in batches, each its own transaction, while it is sent: a crash
    # after the claim's batch (1) or a later one (3) leaves the claim saying who is left, and the
    # next start plans and sends exactly those: every owner once, items and messages in step
    from jobs import fanout

    n = 70
    users = [owner(i) for i in range(n)]
    monkeypatch.setattr(fanout, "FIRST", 10)
    monkeypatch.setattr(fanout, "BATCH", 15)
    plan_batch = fanout.plan_batch
    calls: list[int] = []

    async def dying(session: object, fan: object) -> None:
        calls.append(1)
        if len(calls) == dies_at:
            raise _Crash
        await plan_batch(session, fan)  # type: ignore[arg-type]

    monkeypatch.setattr(fanout, "plan_batch", dying)
    async with running(db_url, TELEGRAM, strict=False) as bot:
        pid = await seed_owners(bot, n)
        with pytest.raises(_Crash):
            await run_beat(
                bot.app.bot, bot.app.bot_data["svc"], programme_id=pid, beat=Beat.DISPATCH
            )
        await stop_app(bot.app)
        planned = 10 + 15 * (dies_at - 1)
        async with bot.db.session() as s:
            rows = (await s.exec(select(OutboxMessage))).all()
            items = (await s.exec(select(DispatchItem))).all()
            [claim] = (await s.exec(select(SentBeat))).all()
        assert (len(rows), len(items)) == (planned, planned)
        assert {r.state for r in rows} == {"sent"}
        assert len(json.loads(claim.snapshot)["pending"]) == n - planned
        sent = sum(dispatches_to(bot.api, u) for u in users)
        monkeypatch.setattr(fanout, "plan_batch", plan_batch)
        bot.app = make_app(bot.settings, bot.clock, TELEGRAM)
        await start_app(bot.app, poll_timeout=1)  # the resume at start plans the rest
        await bot.api.wait_until(lambda: _all_dispatches(bot, users) >= n, timeout=30)
        await bot.api.settle(quiet=0.5, timeout=10)
        assert [dispatches_to(bot.api, u) for u in users] == [1] * n
        # the sender finished what was planned before the error went up, and no more: a sender
        # left running beside the next start's would send some owners twice
        assert sent == planned
        async with bot.db.session() as s:
            rows = (await s.exec(select(OutboxMessage))).all()
            items = (await s.exec(select(DispatchItem))).all()
            [claim] = (await s.exec(select(SentBeat))).all()
        assert sorted(r.key for r in rows) == sorted(str(i.owner_id) for i in items)
        assert {r.state for r in rows} == {"sent"} and len(rows) == n
        assert all(i.delivered for i in items)
        assert claim.snapshot == ""


async def test_a_reply_gets_its_slot_while_the_fan_out_waits_for_a_busy_database(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # an update that holds the write lock and then replies, while a fan-out's sends wait for
    # that lock: a send retrying the database must not keep its pacing slot (its chat's above
    # all), or the reply waits for the fan-out's retries and the fan-out for the reply's commit.
    # Here the database refuses every lease until the replies are out.
    from sqlalchemy.exc import OperationalError

    from storage import outbox

    take = outbox.take
    replied = asyncio.Event()
    refused: list[int] = []

    async def locked_until_replied(session: object, **kw: object) -> object:
        if not replied.is_set():
            refused.append(int(str(kw["row_id"])))
            raise OperationalError("UPDATE outboxmessage", {}, Exception("database is locked"))
        return await take(session, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(outbox, "take", locked_until_replied)
    n = 60
    users = [owner(i) for i in range(n)]
    async with running(db_url, TELEGRAM, strict=False) as bot:
        pid = await seed_owners(bot, n)
        svc = bot.app.bot_data["svc"]
        beat = asyncio.create_task(run_beat(bot.app.bot, svc, programme_id=pid, beat=Beat.DISPATCH))
        await until(lambda: len(refused) >= 30, timeout=10)  # the fan-out is at the database
        # to an owner whose own dispatch is waiting for the database, and to someone else: each
        # send of the fan-out would retry for over 12 s, and the replies must not wait for that
        for chat in (owner(0).id, owner(n).id):
            await asyncio.wait_for(bot.app.bot.send_message(chat_id=chat, text="已收到"), 2)
        replied.set()
        await beat
        await bot.api.wait_until(
            lambda: all(dispatches_to(bot.api, u) >= 1 for u in users), timeout=60
        )
        assert [dispatches_to(bot.api, u) for u in users] == [1] * n
