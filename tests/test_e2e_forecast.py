"""End to end: forecast lights. An owner's slow pace over three answers turns a measure yellow
months before its deadline, with the projected day, in /summary and the review (issue 29)."""

from __future__ import annotations

from datetime import date, datetime

from conftest import ADMIN, GROUP, SH, Bot
from fakebot import SentMessage, User
from rhythm_support import LEADER, OWNER_A, OWNER_B, measure_id, seed, tick
from signoff_support import step
from sqlmodel import select

from core.domain.forecast import project
from core.domain.workcal import CalendarKind
from storage.models import Measure

TEXT_133 = "推进城市供水管网延伸工程，年内全覆盖解决群众饮水问题"
TEXT_431 = "落实专班推动金凤园区服务中心项目复工，化解合同纠纷"


async def answer(bot: Bot, user: User, mid: int, percent: int, note: str) -> None:
    """The owner answers a measure from their latest dispatch: on track, a note, a percentage."""
    dispatch = [m for m in bot.api.messages_to(user.id) if f"md:{mid}" in str(m.buttons)][-1]
    await bot.press(user, dispatch, f"ans:{mid}:ok")
    await bot.say(user, note)
    await bot.say(user, str(percent))
    await step(bot, user, "f:")
    await step(bot, user, "c:", ":save")


async def summary(bot: Bot, user: User) -> SentMessage:
    return await bot.say(user, "/summary")


async def test_a_slow_pace_is_yellow_with_its_projected_day(bot: Bot) -> None:
    pid = await seed(bot)
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    await bot.answers(GROUP.id, mark)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    m133, m431 = await measure_id(bot, "1.3.3"), await measure_id(bot, "4.3.1")

    # 1.3.3 (due 31 December): 10% on 30 September, 11% on 8 October (国庆 in between is no
    # working time), 12% on 9 October: a point a working day, 100% some 90 working days on
    await answer(bot, OWNER_A, m133, 10, "已完成管网勘察。")
    await answer(bot, OWNER_B, m431, 20, "Survey done.")
    bot.clock.set(datetime(2024, 10, 8, 10, 0, tzinfo=SH))
    await answer(bot, OWNER_A, m133, 11, "正在编制施工方案。")
    await answer(bot, OWNER_B, m431, 21, "Drafting the plan.")
    # two answers project nothing
    assert "预计逾期" not in (await summary(bot, LEADER)).plain
    bot.clock.set(datetime(2024, 10, 9, 10, 0, tzinfo=SH))
    await answer(bot, OWNER_A, m133, 12, "施工方案已报审。")
    await answer(bot, OWNER_B, m431, 22, "Plan submitted.")

    finish = project(
        [(date(2024, 9, 30), 10), (date(2024, 10, 8), 11), (date(2024, 10, 9), 12)],
        CalendarKind.CN,
    )
    assert finish == date(2025, 2, 14)
    async with bot.db.session() as s:
        stored = (await s.exec(select(Measure).where(Measure.id == m133))).one().forecast
    assert stored == finish  # kept with the answer: a picture reads a column
    line_133 = (
        f"🟡 1.3.3 {TEXT_133} · 时限：12月31日 · 推进中 · 正常推进 · "
        "预计逾期（按目前进度约2025年2月14日完成） · 城市管理局联络员"
    )
    line_431 = (
        f"🟡 4.3.1 {TEXT_431} · 时限：12月31日 · 推进中 · 正常推进 · "
        "预计逾期（按目前进度约2025年1月26日完成） · 建设局联络员"
    )
    text = (await summary(bot, LEADER)).plain.split("\n")
    assert "🔴红灯0项、🟡黄灯2项、🟢绿灯5项、待销号0项" in text
    yellow = text.index("黄灯事项：")
    assert text[yellow + 1] == line_133 and text[yellow + 3] == line_431

    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/review")
    [review] = [m for m in await bot.answers(GROUP.id, mark) if "研判" in m.plain]
    lines = review.plain.split("\n")
    yellow = lines.index("黄灯事项：")
    assert lines[yellow + 1] == line_133 and lines[yellow + 3] == line_431

    mine = (await summary(bot, OWNER_B)).plain.split("\n")
    assert mine[mine.index("Yellow items:") + 1] == (
        f"🟡 4.3.1 {TEXT_431} · due 31 December · in progress · on track · "
        "projected to be late (at the current pace, done around 26 January 2025) · 建设局联络员"
    )

    # 1.3.3 picks up (40% on 10 October): the pace now finishes in time, and the light is green
    bot.clock.set(datetime(2024, 10, 10, 10, 0, tzinfo=SH))
    await answer(bot, OWNER_A, m133, 40, "管网主体施工已启动。")
    after = (await summary(bot, LEADER)).plain
    assert "🔴红灯0项、🟡黄灯1项、🟢绿灯6项、待销号0项" in after and "1.3.3" not in after
