"""Reports say what they said: October's sign-offs and extensions leave September's report as it was."""

from __future__ import annotations

from datetime import date, datetime

from conftest import ADMIN, SH, Bot, button
from rhythm_support import OWNER_A, measure_id, seed, tick
from signoff_support import COORD_B, ask_signoff
from test_e2e_signoff import REPORT, _start

from bot.i18n import tr
from bot.render.digest import report_text
from storage import programmes, reports


async def _report(bot: Bot, period: str) -> str:
    async with bot.db.session() as s:
        programme = await programmes.by_name(s, name="P")
        assert programme is not None
        content = await reports.report_content(s, programme=programme, period=period)
    return report_text(tr("zh_CN"), content, "P")


async def test_september_report_unchanged_after_october_closures(bot: Bot) -> None:
    pid = await _start(bot)
    september = await _report(bot, "2024-09")
    # in October, answering October's dispatch, 1.3.2 is signed off and 1.3.3 extended
    await tick(bot, pid, datetime(2024, 10, 8, 10, 0, tzinfo=SH))
    dispatch = bot.api.messages_to(OWNER_A.id)[-1]
    assert dispatch.plain.startswith("📌 每周调度 · 本周（10月7日—13日）")
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", REPORT, ["验收报告.pdf"])
    copy = bot.api.last_to(COORD_B.id)
    await bot.press(COORD_B, copy, button(copy, "dec:", ":ok"))
    m133 = await measure_id(bot, "1.3.3")
    await bot.press(OWNER_A, dispatch, f"m:{m133}")
    choices = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, choices, button(choices, "ext:"))
    await bot.say(OWNER_A, "2025-03-31")
    await bot.say(OWNER_A, "冬季停工。")
    copy = bot.api.last_to(COORD_B.id)
    await bot.press(COORD_B, copy, button(copy, "dec:", ":ok"))

    assert await _report(bot, "2024-09") == september
    october = await _report(bot, "2024-10")
    assert october != september
    assert "截至10月底，42项整改措施已完成36项" in october
    assert "截至9月底，42项整改措施已完成35项" in september


async def test_a_month_before_the_ledger_came_in_shows_it_as_first_imported(bot: Bot) -> None:
    # the office starts in October with a ledger as of September: September's report, sent
    # late, shows that ledger; what is signed off after the import is still undone
    bot.clock.set(datetime(2024, 10, 8, 9, 0, tzinfo=SH))
    pid = await seed(bot)
    september = await _report(bot, "2024-09")
    assert "截至9月底，42项整改措施已完成35项，其余7项正在按时序推进。" in september
    await tick(bot, pid, datetime(2024, 10, 8, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", REPORT, ["验收报告.pdf"])
    copy = bot.api.last_to(ADMIN.id)
    await bot.press(ADMIN, copy, button(copy, "dec:", ":ok"))
    assert await _report(bot, "2024-09") == september
    assert "截至10月底，42项整改措施已完成36项" in await _report(bot, "2024-10")
