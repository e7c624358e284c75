"""End to end: unreachable means unreachable now, a schedule that cannot die, states kept."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from datetime import datetime

import pytest
from conftest import ADMIN, SH, Bot
from fakebot import Fault
from rhythm_support import OWNER_A, OWNER_B, jobs_idle, measure_id, seed, tick
from sqlalchemy.exc import OperationalError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Beat
from handlers.answer_draft import NOTE
from jobs.scheduler import beat_job, job_name
from storage.models import Person
from storage.models_people import PtbState

HEADS = ("每周调度", "Weekly dispatch")
W39 = datetime(2024, 9, 23, 9, 30, tzinfo=SH)
W40 = datetime(2024, 9, 30, 9, 30, tzinfo=SH)


def _dispatches(bot: Bot, user_id: int) -> list[str]:
    return [m.plain for m in bot.api.messages_to(user_id) if any(h in m.plain for h in HEADS)]


async def _unreachable(bot: Bot, user_id: int) -> bool:
    async with bot.db.session() as s:
        p = (await s.exec(select(Person).where(Person.telegram_user_id == user_id))).one()
        return p.unreachable_since is not None


async def test_block_unblock_write_and_a_400_are_not_held_against_anyone(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 9, 23, 8, 0, tzinfo=SH))
    pid = await seed(bot)
    bot.api.faults.always(OWNER_A.id, Fault.FORBIDDEN)  # A blocked the bot
    bot.api.faults.next_for(OWNER_B.id, Fault.BAD_REQUEST)  # one odd 400 for B
    await tick(bot, pid, W39)
    assert not _dispatches(bot, OWNER_A.id) and not _dispatches(bot, OWNER_B.id)
    assert await _unreachable(bot, OWNER_A.id) and not await _unreachable(bot, OWNER_B.id)
    people = await bot.say(ADMIN, "/people")
    assert "城市管理局联络员" in people.plain and "自9月23日9:30起无法送达" in people.plain

    bot.api.faults.always(OWNER_A.id, None)  # A unblocks and writes: the held dispatch goes out
    mark = bot.api.mark()
    bot.api.send_private(OWNER_A, "/my")
    await bot.api.wait_until(lambda: len(_dispatches(bot, OWNER_A.id)) == 1)
    await bot.api.settle()
    assert len([m for m in bot.api.since(mark) if m.chat_id == OWNER_A.id]) == 2  # /my + dispatch
    assert not await _unreachable(bot, OWNER_A.id)

    await tick(bot, pid, W40)  # next week both are dispatched as usual
    assert len(_dispatches(bot, OWNER_A.id)) == 2
    assert len(_dispatches(bot, OWNER_B.id)) == 1


@asynccontextmanager
async def _down() -> AsyncIterator[AsyncSession]:
    raise OperationalError("SELECT 1", {}, Exception("connection refused"))
    yield  # pragma: no cover


async def test_database_down_while_a_beat_fires_then_back(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    bot.clock.set(W39)
    pid = await seed(bot)
    await tick(bot, pid, W39)  # W39 goes out as usual and every beat is planned
    bot.clock.set(W40)
    monkeypatch.setattr(bot.db, "session", _down)
    assert bot.app.job_queue is not None
    name = job_name(pid, Beat.DISPATCH)
    data = {"programme_id": pid, "beat": "dispatch", "period": "2024-W40"}
    for job in bot.app.job_queue.get_jobs_by_name(name):
        job.schedule_removal()
    bot.app.job_queue.run_once(beat_job, when=0, name=name, data=data)  # W40 fires: DB down
    # the beat fails, retries (every 0.3 s here) and fails again
    await bot.api.wait_until(lambda: caplog.text.count("beat dispatch failed") >= 2)
    assert len(_dispatches(bot, OWNER_A.id)) == 1
    assert bot.app.job_queue.get_jobs_by_name(name)  # still planned, never dropped
    monkeypatch.undo()  # the database is back
    await bot.api.wait_until(lambda: len(_dispatches(bot, OWNER_A.id)) == 2, timeout=5)
    await jobs_idle(bot)
    assert len(_dispatches(bot, OWNER_A.id)) == 2 and len(_dispatches(bot, OWNER_B.id)) == 2
    [job] = bot.app.job_queue.get_jobs_by_name(name)
    assert isinstance(job.data, dict) and job.data["period"] == "2024-W41"


async def test_conversation_step_is_written_at_once(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, W40)
    [to_a] = bot.api.messages_to(OWNER_A.id)
    m133 = await measure_id(bot, "1.3.3")
    await bot.press(OWNER_A, to_a, f"ans:{m133}:block")
    async with bot.db.session() as s:  # no 5-second timer: the state is already stored
        # one row per conversation (chat, user): replicas never overwrite each other's
        row = await s.get(PtbState, f"conv:answer:[{OWNER_A.id}, {OWNER_A.id}]")
        draft = await s.get(PtbState, f"user:{OWNER_A.id}")
    assert row is not None and row.value == str(NOTE)
    assert draft is not None and "1.3.3" in draft.value


async def test_409_conflict_is_logged_once_and_polling_stops(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR)
    bot.api.faults.conflict = True
    assert bot.app.updater is not None
    updater = bot.app.updater
    await bot.api.wait_until(lambda: not updater.running, timeout=10)
    with pytest.raises(RuntimeError):  # PTB's lock: the error handler's stop() has finished,
        await updater.stop()  # its last getUpdates (the offset's cleanup) included
    assert caplog.text.count("another instance is polling with this token") == 1
    calls = len(bot.api.calls("getUpdates"))
    await asyncio.sleep(0.5)  # kept: nothing may ask in this window (an absence takes time)
    assert len(bot.api.calls("getUpdates")) == calls  # it stopped asking
