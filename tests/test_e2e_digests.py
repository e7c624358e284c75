"""End to end: /summary in the group, manual review and report, once per period."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, GROUP, SH, TASKFORCE, Bot
from fakebot import User
from rhythm_support import LEADER, OWNER_A, jobs_idle, seed

HEADLINE_ZH = "截至9月底，42项整改措施已完成35项，其余7项正在按时序推进。"
HEADLINE_EN = "As of 30 September, 35 of 42 measures are complete; 7 are in progress."
MEMBER = User(777, "组员", language_code="zh-hans")


async def group_say(bot: Bot, chat_user: User, text: str, chat_id: int = GROUP.id) -> str:
    mark = bot.api.mark()
    bot.api.send_group(GROUP if chat_id == GROUP.id else TASKFORCE, chat_user, text)
    [reply] = await bot.api.wait_for(chat_id, since=mark)
    await bot.api.settle()
    return reply.plain


async def test_summary_in_group_with_filters(bot: Bot) -> None:
    await seed(bot)
    await group_say(bot, ADMIN, "/setup P")
    text = await group_say(bot, MEMBER, "/summary")  # membership of the group is the permission
    assert "截至9月30日，42项整改措施已完成35项" in text or HEADLINE_ZH in text
    text = await group_say(bot, MEMBER, "/summary area 1")
    assert "1." in text and "4." not in text.split("\n", 4)[-1]
    text = await group_say(bot, MEMBER, "/summary unit 城市管理局")
    assert "2" in text
    text = await group_say(bot, MEMBER, "/summary nonsense")
    assert "/summary" in text and "逾期" in text
    # an owner privately sees only their own measures
    mine = await bot.say(OWNER_A, "/summary")
    assert "2" in mine.plain and "42" not in mine.plain


async def test_manual_report_and_review_once_per_period(bot: Bot) -> None:
    await seed(bot)
    await group_say(bot, ADMIN, "/setup P")
    await group_say(bot, ADMIN, "/setup P taskforce", chat_id=TASKFORCE.id)
    bot.clock.set(datetime(2024, 10, 8, 11, 0, tzinfo=SH))
    done = await bot.say(ADMIN, "/use P")
    assert "P" in done.plain
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/report")
    [report] = await bot.api.wait_for(GROUP.id, since=mark)
    assert HEADLINE_ZH in report.plain and "2024年9月" in report.plain
    assert "城市管理局" in report.plain  # by lead unit, with rates
    await bot.api.settle()
    again = await bot.say(ADMIN, "/report")
    assert "2024-09" in again.plain and again.buttons  # already sent: offers a deliberate re-send
    before = len(bot.api.messages_to(GROUP.id))
    await bot.press(ADMIN, again, again.buttons[0][1] or "")
    await bot.api.wait_until(lambda: len(bot.api.messages_to(GROUP.id)) == before + 1)

    # the manual beat re-planned the programme: the review due since 10-08 16:00 was caught up
    await jobs_idle(bot)
    [review] = bot.api.messages_to(TASKFORCE.id)[-1:]
    assert "研判" in review.plain and "42项整改措施已完成35项" in review.plain
    again = await bot.say(ADMIN, "/review")
    assert (
        again.buttons and len(bot.api.messages_to(TASKFORCE.id)) == 2
    )  # the /setup reply and one review
    assert not bot.api.messages_to(LEADER.id)


async def test_report_in_english(bot: Bot) -> None:
    await seed(bot, locale="en")
    await group_say(bot, ADMIN, "/setup P")
    bot.clock.set(datetime(2024, 10, 8, 11, 0, tzinfo=SH))
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/report")
    [report] = await bot.api.wait_for(GROUP.id, since=mark)
    assert HEADLINE_EN in report.plain and "September 2024" in report.plain
