"""End to end: a 督办 press leaves one trace, shown on its button, and reviews follow it to its
answer (issue 24)."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, GROUP, SH, Bot
from fakebot import SentMessage
from rhythm_support import LEADER, OWNER_A, measure_id, seed, tick
from signoff_support import alert, step
from sqlmodel import col, select

from storage.models import ProgressUpdate
from storage.models_closing import FollowUp

LINE = "1.3.2：管委会副主任（分管城建），11月5日督办；"


def _follow_ups(review: str) -> tuple[list[str], list[str]]:
    """The review's lines of new follow-ups, and of earlier ones still open at the last review."""
    lines = review.split("\n")

    def section(head: str) -> list[str]:
        if head not in lines:
            return []
        rest = lines[lines.index(head) + 1 :]
        return rest[: rest.index("")] if "" in rest else rest

    return section("上次研判以来的督办事项："), section("此前研判时尚未反馈的督办事项：")


async def _review(bot: Bot, pid: int, moment: datetime) -> str:
    mark = bot.api.mark()
    await tick(bot, pid, moment)
    [review] = [m.plain for m in bot.api.since(mark) if m.chat_id == GROUP.id and "研判" in m.plain]
    return review


async def test_one_follow_up_a_day_shown_on_its_button_and_followed_to_its_answer(
    bot: Bot,
) -> None:
    pid = await seed(bot)
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    await bot.answers(GROUP.id, mark)
    bot.clock.set(datetime(2024, 11, 5, 10, 5, tzinfo=SH))  # 1.3.2 overdue since 31 October
    m132 = await measure_id(bot, "1.3.2")
    mark = bot.api.mark()
    bot.api.send_group(GROUP, LEADER, "/summary overdue")
    [overdue] = await bot.answers(GROUP.id, mark)
    before = len(bot.api.messages_to(OWNER_A.id))
    said = await alert(bot, LEADER, overdue, f"fu:{m132}")
    assert said == "督办已发给城市管理局联络员，要求11月6日前反馈。"
    assert overdue.buttons == [("已督办（11月5日10:05）", f"fu:{m132}")]  # updated in place
    [asked] = bot.api.messages_to(OWNER_A.id)[before:]
    assert asked.plain.startswith("【督办】")

    # a second press the same day says so and sends nothing
    bot.clock.set(datetime(2024, 11, 5, 15, 0, tzinfo=SH))
    again = await alert(bot, LEADER, overdue, f"fu:{m132}")
    assert again == "您已于11月5日10:05督办1.3.2，已要求城市管理局联络员于11月6日前反馈。"
    assert len(bot.api.messages_to(OWNER_A.id)) == before + 1
    async with bot.db.session() as s:
        assert len((await s.exec(select(FollowUp))).all()) == 1

    # the review lists it once, still waiting
    first = await _review(bot, pid, datetime(2024, 11, 6, 16, 0, tzinfo=SH))
    assert _follow_ups(first) == ([LINE + "要求11月6日前反馈"], [])
    # unanswered, it is carried into the next review
    second = await _review(bot, pid, datetime(2024, 11, 20, 16, 0, tzinfo=SH))
    assert _follow_ups(second) == ([], [LINE + "逾期未反馈（要求11月6日前反馈）"])
    # answered late on 25 November: the next review says so, and the one after lists it no more
    bot.clock.set(datetime(2024, 11, 25, 10, 0, tzinfo=SH))
    await bot.press(OWNER_A, asked, f"ans:{m132}:ok")
    await bot.say(OWNER_A, "水厂主体已完工，正在调试。")
    await bot.say(OWNER_A, "90")
    await step(bot, OWNER_A, "f:")
    await step(bot, OWNER_A, "c:", ":save")
    third = await _review(bot, pid, datetime(2024, 12, 4, 16, 0, tzinfo=SH))
    assert _follow_ups(third) == ([], [LINE + "逾期反馈（11月25日）"])
    fourth = await _review(bot, pid, datetime(2024, 12, 18, 16, 0, tzinfo=SH))
    assert _follow_ups(fourth) == ([], [])


async def _answer(bot: Bot, asked: SentMessage, measure: int, note: str, percent: str) -> None:
    await bot.press(OWNER_A, asked, f"ans:{measure}:ok")
    await bot.say(OWNER_A, note)
    await bot.say(OWNER_A, percent)
    await step(bot, OWNER_A, "f:")
    await step(bot, OWNER_A, "c:", ":save")


async def test_a_follow_up_is_answered_by_the_first_answer_after_it(bot: Bot) -> None:
    pid = await seed(bot)
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    await bot.answers(GROUP.id, mark)
    bot.clock.set(datetime(2024, 11, 5, 10, 5, tzinfo=SH))
    m132 = await measure_id(bot, "1.3.2")
    mark = bot.api.mark()
    bot.api.send_group(GROUP, LEADER, "/summary overdue")
    [overdue] = await bot.answers(GROUP.id, mark)
    before = len(bot.api.messages_to(OWNER_A.id))
    await alert(bot, LEADER, overdue, f"fu:{m132}")
    [asked] = bot.api.messages_to(OWNER_A.id)[before:]
    # answered in time on the 5th, and again on the 6th: the first answer is the follow-up's
    bot.clock.set(datetime(2024, 11, 5, 16, 0, tzinfo=SH))
    await _answer(bot, asked, m132, "水厂主体已完工，正在调试。", "90")
    bot.clock.set(datetime(2024, 11, 6, 10, 0, tzinfo=SH))
    await _answer(bot, asked, m132, "调试完成。", "95")
    async with bot.db.session() as s:
        [follow_up] = (await s.exec(select(FollowUp))).all()
        first = (await s.exec(select(ProgressUpdate).order_by(col(ProgressUpdate.id)))).first()
    assert first is not None and first.note == "水厂主体已完工，正在调试。"
    assert (follow_up.answered_at, follow_up.update_id) == (
        datetime(2024, 11, 5, 16, 0, tzinfo=SH),
        first.id,
    )
    review = await _review(bot, pid, datetime(2024, 11, 6, 16, 0, tzinfo=SH))
    assert _follow_ups(review) == ([LINE + "已按时反馈（11月5日）"], [])
