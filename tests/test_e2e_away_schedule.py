"""End to end: out of office with a delegate, and changing the schedule."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, SH, Bot
from fakebot import User
from rhythm_support import OWNER_A, bind, seed, tick

from storage import people

DEPUTY = User(303, "城管副联络员", language_code="zh-hans")


async def test_away_sends_dispatch_to_delegate_then_back(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 9, 26, 10, 0, tzinfo=SH))
    pid = await seed(bot)
    # a second liaison of the same unit, bound to the bot
    async with bot.db.session() as s:
        unit = await people.unit_named(s, programme_id=pid, name="城市管理局")
        await people.person_named(s, programme_id=pid, name="城管副联络员", unit_id=unit.id)
    await bind(bot, pid, "城管副联络员", DEPUTY)
    bad = await bot.say(OWNER_A, "/away 2024-10-05 2024-10-01")
    assert "/away" in bad.plain
    ok = await bot.say(OWNER_A, "/away 2024-09-27 2024-10-10 城管副联络员")
    assert "城管副联络员" in ok.plain
    await tick(bot, pid, datetime(2024, 9, 30, 9, 30, tzinfo=SH))
    assert not bot.api.messages_to(OWNER_A.id)[2:]
    [to_deputy] = bot.api.messages_to(DEPUTY.id)
    assert "1.3.2" in to_deputy.plain and "城市管理局联络员" in to_deputy.plain
    back = await bot.say(OWNER_A, "/back")
    assert back.plain


async def test_schedule_shows_and_changes_beats(bot: Bot) -> None:
    pid = await seed(bot)
    shown = await bot.say(ADMIN, "/schedule")
    assert "2024年10月8日" in shown.plain  # the next dispatch skips National Day
    refused = await bot.say(OWNER_A, "/schedule dispatch tue 08:30")
    assert "抱歉" in refused.plain
    changed = await bot.say(ADMIN, "/schedule dispatch tue 08:30")
    assert changed.plain
    shown = bot.api.last_to(ADMIN.id)
    assert "08:30" in shown.plain
    nonsense = await bot.say(ADMIN, "/schedule dispatch someday 25:00")
    assert "/schedule" in nonsense.plain
    assert pid
