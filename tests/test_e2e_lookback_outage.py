"""End to end: a look-back that fell due while the bot was down is still asked, with its full
time to answer, and the review names each one left unanswered (issue 24)."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, GROUP, SH, Bot
from rhythm_support import OWNER_A, seed, tick
from signoff_support import ask_signoff

TEXT_132 = "建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题"


async def test_a_look_back_due_during_an_outage_is_asked_on_return(bot: Bot) -> None:
    pid = await seed(bot)
    await bot.say(ADMIN, "/use P")
    await bot.say(ADMIN, "/schedule lookback 30")
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    await bot.answers(GROUP.id, mark)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", "水厂已投用。", ["a.pdf"])
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.3", "管网已完工。", ["b.pdf"])
    bot.clock.set(datetime(2024, 9, 30, 11, 0, tzinfo=SH))
    for request in (1, 2):
        copy = next(
            m for m in bot.api.messages_to(ADMIN.id) if (f"dec:{request}:ok") in str(m.buttons)
        )
        await bot.press(ADMIN, copy, f"dec:{request}:ok")

    # due on 30 October, answer by 6 November; the bot is down until Friday 8 November
    await tick(bot, pid, datetime(2024, 11, 8, 10, 0, tzinfo=SH))
    await bot.api.wait_until(
        lambda: len([m for m in bot.api.messages_to(OWNER_A.id) if m.plain.startswith("🔁")]) == 2
    )
    asked = sorted(m.plain for m in bot.api.messages_to(OWNER_A.id) if m.plain.startswith("🔁"))
    assert asked[0] == (
        f"🔁 回头看：1.3.2{TEXT_132}\n该整改措施已于9月30日销号。整改成效是否巩固？请于11月15日前反馈。"
    )
    # the review caught up on return does not count them as late; the next one names each
    [review] = [m for m in bot.api.messages_to(GROUP.id) if "研判" in m.plain]
    assert "超过5个工作日未反馈的回头看：" not in review.plain
    await tick(bot, pid, datetime(2024, 11, 20, 16, 0, tzinfo=SH))
    [review] = [m for m in bot.api.messages_to(GROUP.id) if "研判" in m.plain][-1:]
    lines = review.plain.split("\n")
    at = lines.index("超过5个工作日未反馈的回头看：")
    assert lines[at + 1 :] == ["1.3.2（回头看日期10月30日）", "1.3.3（回头看日期10月30日）"]
