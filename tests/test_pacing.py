"""The pacer: a fan-out uses every slot while nobody talks to the bot, and leaves two when they do."""

from __future__ import annotations

import asyncio

import pytest
from conftest import ADMIN
from delivery_support import DISPATCH_HEAD, running, seed_owners
from wait_support import until

from core.domain.model import Beat
from jobs import pacing
from jobs.pacing import Limits, Pacer
from jobs.run import run_beat

FIVE = Limits(per_second=5, private_per_second=0, group_per_minute=0)


async def _soon(job: asyncio.Future[object] | asyncio.Task[object], seconds: float = 0.1) -> bool:
    done, _ = await asyncio.wait({job}, timeout=seconds)
    return bool(done)


async def test_a_quiet_fan_out_takes_every_slot() -> None:
    pacer = Pacer(FIVE)
    held = [await asyncio.wait_for(pacer.acquire(i, bulk=True), 0.1) for i in range(5)]
    sixth = asyncio.ensure_future(pacer.acquire(5, bulk=True))
    assert not await _soon(sixth)  # the second's five are used
    for release in held:
        release()
    assert await _soon(sixth, 1.5)  # one second after the answers, the next five
    (await sixth)()


async def test_people_talking_keep_two_slots_free_of_the_fan_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pacing, "QUIET", 0.5)
    pacer = Pacer(FIVE)
    (await pacer.acquire(100))()  # someone pressed a button: replies are under way
    bulk = [await asyncio.wait_for(pacer.acquire(i, bulk=True), 0.1) for i in range(3)]
    fourth = asyncio.ensure_future(pacer.acquire(3, bulk=True))
    assert not await _soon(fourth)  # the fan-out leaves the last two slots...
    reply = asyncio.ensure_future(pacer.acquire(101))
    assert await _soon(reply)  # ...so the next reply goes at once
    (await reply)()
    for release in bulk:
        release()
    # the replies are QUIET seconds old: quiet again, the fan-out takes every slot
    monkeypatch.setattr(pacing, "QUIET", 0.0)
    assert await _soon(fourth, 1.5)
    (await fourth)()


async def test_a_cancelled_wait_gives_its_slot_on() -> None:
    pacer = Pacer(FIVE)
    held = [await pacer.acquire(i, bulk=True) for i in range(5)]
    waiting = [asyncio.ensure_future(pacer.acquire(10 + i, bulk=True)) for i in range(2)]
    await until(lambda: len(pacer._bulk_waiters) == 2, what="both waiting")
    waiting[0].cancel()
    for release in held:
        release()
    assert await _soon(waiting[1], 1.5)
    (await waiting[1])()


async def test_a_waiting_reply_gets_the_next_slot_before_the_waiting_fan_out(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(pacing, "QUIET", 60.0)  # people are talking throughout: 3 of 5 for bulk
    pacer = Pacer(FIVE)
    replies = [await asyncio.wait_for(pacer.acquire(100 + i), 0.1) for i in range(3)]
    bulk = [await asyncio.wait_for(pacer.acquire(i, bulk=True), 0.1) for i in range(2)]
    third = asyncio.ensure_future(pacer.acquire(2, bulk=True))  # admitted, waits for a slot
    assert not await _soon(third)
    reply = asyncio.ensure_future(pacer.acquire(103))  # came later than the bulk send
    assert not await _soon(reply)
    replies[0]()  # one slot frees a second from now: the reply's, not the fan-out's
    assert await _soon(reply, 1.5)
    assert not third.done()
    (await reply)()
    for release in (*replies[1:], *bulk):
        release()
    assert await _soon(third, 1.5)
    (await third)()


async def test_a_reply_goes_out_in_its_lane_while_a_fan_out_holds_the_rest(db_url: str) -> None:
    n = 150  # five seconds of fan-out at Telegram's 30 a second
    async with running(db_url, Limits()) as bot:
        p = await seed_owners(bot, n)
        svc = bot.app.bot_data["svc"]
        beat = asyncio.ensure_future(run_beat(bot.app.bot, svc, programme_id=p, beat=Beat.DISPATCH))

        def dispatched() -> int:
            return sum(DISPATCH_HEAD in (m.text or "") for m in bot.api.sent)

        await until(lambda: dispatched() >= 30, what="the fan-out under way", timeout=10)
        mark = bot.api.mark()
        bot.api.send_private(ADMIN, "/help")
        await until(lambda: any(m.chat_id == ADMIN.id for m in bot.api.since(mark)), what="reply")
        assert dispatched() < n  # answered while the fan-out still held the other slots
        await asyncio.wait_for(beat, 30)
        assert dispatched() == n
        assert bot.api.faults.floods == 0
