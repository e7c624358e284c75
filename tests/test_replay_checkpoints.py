"""A closed month's checkpoint: read instead of the replay, and never once a later write dated
before the month's end would change the month (storage.checkpoints)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import pytest
from conftest import SH, Bot
from rhythm_support import measure_id, seed
from sqlalchemy import func
from sqlmodel import col, select

from core.domain.model import MeasureFacts
from storage import as_of, audit, checkpoints, reports
from storage.models import Area, DispatchItem, Measure, Person, Programme, ProgressUpdate
from storage.models_report import ReplayCheckpoint

END = datetime(2024, 10, 1, tzinfo=SH)  # September's end
LATER = datetime(2024, 10, 8, 9, 0, tzinfo=SH)  # when the reports are asked: September is over
BEFORE = datetime(2024, 9, 30, 20, 0, tzinfo=SH)  # after the import, before the end


async def _month(bot: Bot, pid: int, month: int = 9) -> list[MeasureFacts]:
    async with bot.db.session() as s:
        programme = await s.get(Programme, pid)
        assert programme is not None
        return await reports.month_facts(s, programme=programme, year=2024, month=month, now=LATER)


async def _replayed(bot: Bot, pid: int) -> list[MeasureFacts]:
    """The truth: September's end replayed from every source, no checkpoint read."""
    async with bot.db.session() as s:
        programme = await s.get(Programme, pid)
        assert programme is not None
        return await as_of.facts_at(s, programme=programme, at=END)


async def _kept(bot: Bot) -> int:
    async with bot.db.session() as s:
        return (await s.exec(select(func.count()).select_from(ReplayCheckpoint))).one()


async def _answer(bot: Bot, pid: int, code: str, health: str) -> None:
    mid = await measure_id(bot, code)
    async with bot.db.session() as s:
        owner = (await s.exec(select(Measure.owner_id).where(Measure.id == mid))).one()
        s.add(
            ProgressUpdate(
                programme_id=pid, measure_id=mid, person_id=owner, health=health,
                note="按计划推进", percent=40, created_at=BEFORE,
            )
        )  # fmt: skip


async def test_a_month_over_is_replayed_once_then_read(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = await seed(bot)
    await _answer(bot, pid, "1.1.1", "at_risk")
    first = await _month(bot, pid)
    assert await _kept(bot) == 1
    assert first == await _replayed(bot, pid)

    def replayed(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("replayed again")

    monkeypatch.setattr(as_of, "measures_at", replayed)
    again = await _month(bot, pid)
    assert again == first and [repr(f) for f in again] == [repr(f) for f in first]
    # read from the row itself, as a process started since would (not the facts decoded once)
    checkpoints._DECODED.clear()
    decoded = await _month(bot, pid)
    assert [repr(f) for f in decoded] == [repr(f) for f in first]
    # codes and area numbers are today's in every picture, kept or not
    async with bot.db.session() as s:
        area = (await s.exec(select(Area).where(Area.programme_id == pid, Area.number == 1))).one()
        area.number = 7
        s.add(area)
    assert {f.area_number for f in await _month(bot, pid) if f.area == area.name} == {7}
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.code == "1.1.1"))).one()
        m.code = "1.1.9"
        s.add(m)
    assert [f.code for f in await _month(bot, pid)].count("1.1.9") == 1


async def test_whether_the_month_is_over_is_asked_of_now_not_the_wall_clock(bot: Bot) -> None:
    """Asked on September's last evening (a pinned clock, a sandbox), September is still going:
    nothing is kept; asked a week later, it is, written at that moment (the wall clock, years
    on, would have kept it at once and stamped it with today)."""
    pid = await seed(bot)
    async with bot.db.session() as s:
        programme = await s.get(Programme, pid)
        assert programme is not None
        going = await reports.month_facts(s, programme=programme, year=2024, month=9, now=BEFORE)
    assert await _kept(bot) == 0
    assert going == await _replayed(bot, pid) == await _month(bot, pid)
    async with bot.db.session() as s:
        written = (await s.exec(select(col(ReplayCheckpoint.written_at)))).all()
    assert [w.replace(tzinfo=None) for w in written] == [LATER.astimezone(UTC).replace(tzinfo=None)]


async def test_a_month_before_the_ledger_came_in_keeps_nothing(bot: Bot) -> None:
    pid = await seed(bot)
    august = await _month(bot, pid, month=8)
    assert len(august) == 42 and await _kept(bot) == 0


async def _event(bot: Bot, pid: int) -> None:
    """A clock set back: an answer's event recorded now, dated before the month's end."""
    mid = await measure_id(bot, "1.2.1")
    async with bot.db.session() as s:
        audit.record(
            s, programme_id=pid, actor="test", action="measure.update", entity="measure",
            entity_id=mid, after={"status": "in_progress", "health": "blocked"}, now=BEFORE,
        )  # fmt: skip


async def _late_answer(bot: Bot, pid: int) -> None:
    await _answer(bot, pid, "1.1.1", "blocked")


async def _silent_week(bot: Bot, pid: int) -> None:
    """A dispatch delivered before the end and not answered: a silent week."""
    mid = await measure_id(bot, "1.2.2")
    async with bot.db.session() as s:
        owner = (await s.exec(select(Measure.owner_id).where(Measure.id == mid))).one()
        s.add(
            DispatchItem(
                programme_id=pid, period="2024-W39", measure_id=mid, owner_id=owner,
                delivered=True, delivered_at=datetime(2024, 9, 23, 9, tzinfo=SH),
            )
        )  # fmt: skip


async def _answered_late(bot: Bot, pid: int) -> None:
    """That dispatch credited with an answer recorded now, dated before the end."""
    mid = await measure_id(bot, "1.2.2")
    async with bot.db.session() as s:
        item = (await s.exec(select(DispatchItem).where(DispatchItem.measure_id == mid))).one()
        item.answered, item.answered_at = True, BEFORE
        s.add(item)


async def _nothing(bot: Bot, pid: int) -> None:
    pass


async def _rename(bot: Bot, pid: int) -> None:
    """The latest answer names its author as the people table names them today."""
    async with bot.db.session() as s:
        owner = (await s.exec(select(Measure.owner_id).where(Measure.code == "1.1.1"))).one()
        person = await s.get(Person, owner)
        assert person is not None
        person.name = "城市管理局新联络员"
        s.add(person)


@pytest.mark.bypasses_trail  # the writes are made behind the bot's back, as a bad clock would
@pytest.mark.parametrize(
    ("setup", "write"),
    [
        (_nothing, _event),
        (_nothing, _late_answer),
        (_nothing, _silent_week),
        (_silent_week, _answered_late),
        (_nothing, _rename),
    ],
)
async def test_a_later_write_dated_before_the_end_is_replayed_not_hidden(
    bot: Bot, setup: Any, write: Any
) -> None:
    pid = await seed(bot)
    await _answer(bot, pid, "1.1.1", "at_risk")
    await setup(bot, pid)
    stale = await _month(bot, pid)
    assert await _kept(bot) == 1
    await write(bot, pid)
    fresh = await _replayed(bot, pid)
    assert fresh != stale  # the write moves September's end
    assert await _month(bot, pid) == fresh
    # and the replay is kept in place of the stale checkpoint, then read
    assert await _month(bot, pid) == fresh
    async with bot.db.session() as s:
        rows = (await s.exec(select(col(ReplayCheckpoint.programme_id)))).all()
    assert rows == [pid]
