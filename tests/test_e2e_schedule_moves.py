"""End to end: a beat moved to a time already past today is still today's beat (issue 24)."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, GROUP, SH, Bot
from rhythm_support import OWNER_A, seed, tick

from storage.models import Programme


async def _schedule(bot: Bot, change: str) -> list[str]:
    """A coordinator changes the schedule: the confirmation, then the listing's lines."""
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, f"/schedule {change}")
    replies = [m.plain for m in await bot.answers(ADMIN.id, mark)]
    assert replies[0] == "工作节奏已修改。"
    return replies[1].split("\n")


def _report_line(listing: list[str]) -> str:
    """When the listing says the monthly report goes (whatever the beat is called)."""
    [line] = [x for x in listing if x.startswith("• ") and "汇报" in x]
    return line.split("：", 1)[1]


async def test_report_moved_before_now_on_its_day_is_still_posted(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 10, 25, 10, 0, tzinfo=SH))
    pid = await seed(bot)
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    await bot.api.wait_for(GROUP.id, since=mark)
    await tick(bot, pid, datetime(2024, 11, 1, 9, 30, tzinfo=SH))  # October's is due at 10:00
    mark = bot.api.mark()
    listing = await _schedule(bot, "report 09:00")
    assert _report_line(listing) == "即将发出"
    reports = [m.plain for m in bot.api.since(mark) if m.chat_id == GROUP.id]
    [head] = [r.split("\n")[0] for r in reports if r.startswith("📋")]
    assert "2024年10月" in head  # October's, the month the report was due for
    # and once: the report's next slot is December's
    await tick(bot, pid, datetime(2024, 11, 1, 10, 30, tzinfo=SH))
    assert len([m for m in bot.api.since(mark) if m.plain.startswith("📋")]) == 1
    listing = (await bot.say(ADMIN, "/schedule")).plain.split("\n")
    assert _report_line(listing) == "12月2日（周一）9:00"


async def test_dispatch_moved_before_now_on_its_day_goes_out_and_its_nudge_follows(
    bot: Bot,
) -> None:
    bot.clock.set(datetime(2024, 12, 13, 10, 0, tzinfo=SH))
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 12, 13, 10, 0, tzinfo=SH))  # last week's, caught up
    await tick(bot, pid, datetime(2024, 12, 16, 8, 30, tzinfo=SH))  # Monday: due at 9:00
    before = len(bot.api.messages_to(OWNER_A.id))
    listing = await _schedule(bot, "dispatch mon 08:00")
    assert listing[1:3] == ["• 每周调度：即将发出", "• 催办：12月18日（周三）8:00"]
    sent = [m.plain.split("\n")[0] for m in bot.api.messages_to(OWNER_A.id)[before:]]
    assert sent == ["📌 每周调度 · 本周（12月16日—22日）"]
    listing = (await bot.say(ADMIN, "/schedule")).plain.split("\n")
    assert listing[1:3] == ["• 每周调度：12月23日（周一）8:00", "• 催办：12月18日（周三）8:00"]
    await tick(bot, pid, datetime(2024, 12, 18, 8, 30, tzinfo=SH))
    sent = [m.plain.split("\n")[0] for m in bot.api.messages_to(OWNER_A.id)[before:]]
    assert sent[1:] == ["⏰ 催办：以下整改措施尚未反馈本周调度情况："]


def _heads(bot: Bot, since: int = 0) -> list[str]:
    return [m.plain.split("\n")[0] for m in bot.api.messages_to(OWNER_A.id)[since:]]


async def test_a_catch_up_names_the_week_it_was_for(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 12, 16, 10, 0, tzinfo=SH))
    pid = await seed(bot)
    async with bot.db.session() as s:  # dispatches on Wednesdays: last week's has until the 18th
        programme = await s.get(Programme, pid)
        assert programme is not None
        programme.dispatch_weekday = 2
        s.add(programme)
    await tick(bot, pid, datetime(2024, 12, 16, 10, 0, tzinfo=SH))
    assert _heads(bot) == ["📌 每周调度 · 上周（12月9日—15日）"]
    await tick(bot, pid, datetime(2024, 12, 18, 9, 0, tzinfo=SH))
    assert _heads(bot)[1:] == ["📌 每周调度 · 本周（12月16日—22日）"]


async def test_no_catch_up_on_the_day_the_next_dispatch_goes(bot: Bot) -> None:
    # the bot was down since before 9 December's dispatch and comes back at 8:57 on the 16th
    bot.clock.set(datetime(2024, 12, 16, 8, 57, tzinfo=SH))
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 12, 16, 8, 57, tzinfo=SH))
    assert _heads(bot) == []
    await tick(bot, pid, datetime(2024, 12, 16, 9, 0, tzinfo=SH))
    assert _heads(bot) == ["📌 每周调度 · 本周（12月16日—22日）"]


async def test_a_dispatch_by_hand_before_the_slot_counts_for_the_week_the_owner_is_told(
    bot: Bot,
) -> None:
    # National Day: this week's dispatch is on Tuesday 8 October at 9:00; at 8:00 a coordinator
    # sends it by hand
    bot.clock.set(datetime(2024, 10, 8, 8, 0, tzinfo=SH))
    pid = await seed(bot)
    before = len(bot.api.messages_to(OWNER_A.id))
    done = await bot.say(ADMIN, "/dispatch")
    assert "10月7日—13日" in done.plain and "9月30日" not in done.plain
    assert _heads(bot, before) == ["📌 每周调度 · 本周（10月7日—13日）"]
    await tick(bot, pid, datetime(2024, 10, 8, 9, 0, tzinfo=SH))
    await tick(bot, pid, datetime(2024, 10, 8, 9, 30, tzinfo=SH))
    assert _heads(bot, before) == ["📌 每周调度 · 本周（10月7日—13日）"]  # not again at 9:00
