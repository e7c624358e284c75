"""Reports say what they said: October's sign-offs and extensions leave September's report as it was."""

from __future__ import annotations

import io
from datetime import date, datetime

import docx
from conftest import ADMIN, SH, Bot, button, sample
from rhythm_support import OWNER_A, seed, tick
from signoff_support import COORD_B, ask_signoff, october_closures
from test_e2e_signoff import REPORT, _start

from core.domain.documents import closed_by_month
from core.domain.ledger import parse_ledger
from core.i18n import tr
from core.render.digest import report_text, summary_text
from storage import as_of, ledger_store, programmes, reports


async def _report(bot: Bot, period: str) -> str:
    async with bot.db.session() as s:
        programme = await programmes.by_name(s, name="P")
        assert programme is not None
        content = await reports.report_content(
            s, programme=programme, period=period, now=bot.clock.now()
        )
    return report_text(tr("zh_CN"), content, "P")


async def test_september_report_unchanged_after_october_closures(bot: Bot) -> None:
    pid = await _start(bot)
    september = await _report(bot, "2024-09")
    # in October, answering October's dispatch, 1.3.2 is signed off and 1.3.3 extended
    dispatch, _ = await october_closures(bot, pid, REPORT)
    assert dispatch.plain.startswith("📌 每周调度 · 本周（10月7日—13日）")

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


async def _summary(bot: Bot, day: date, past: bool) -> str:
    async with bot.db.session() as s:
        programme = await programmes.by_name(s, name="P")
        assert programme is not None
        content = await reports.summary_content(
            s, programme=programme, today=day, past=past, now=bot.clock.now()
        )
    return summary_text(tr("zh_CN"), content, "P")


async def test_summary_as_of_a_past_day_is_rebuilt_not_today(bot: Bot) -> None:
    # issue 22, item 1: after October's sign-off, September's end still reads 35 of 42
    pid = await _start(bot)  # signed off nothing yet; 35 closed in the ledger
    await tick(bot, pid, datetime(2024, 10, 8, 10, 0, tzinfo=SH))
    dispatch = bot.api.messages_to(OWNER_A.id)[-1]
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", REPORT, ["验收报告.pdf"])
    copy = bot.api.last_to(COORD_B.id)
    await bot.press(COORD_B, copy, button(copy, "dec:", ":ok"))
    then = await _summary(bot, date(2024, 9, 30), past=True)
    now = await _summary(bot, date(2024, 10, 8), past=False)
    assert "截至9月底，42项整改措施已完成35项" in then
    assert "截至10月8日，42项整改措施已完成36项" in now
    # the live picture and the rebuilt one agree on today
    assert await _summary(bot, date(2024, 10, 8), past=True) == now


async def test_a_later_removal_leaves_september_as_it_was(bot: Bot) -> None:
    # issue 22, item 3: a re-import in October that drops a measure does not touch September
    pid = await _start(bot)
    september = await _report(bot, "2024-09")
    parsed = parse_ledger(sample("ledger.zh.csv"), "ledger.zh.csv")
    bot.clock.set(datetime(2024, 10, 9, 9, 0, tzinfo=SH))
    async with bot.db.session() as s:
        result = await ledger_store.apply(
            s, programme_id=pid, rows=[r for r in parsed.rows if r.code != "1.3.3"],
            actor="test", now=bot.clock.now(), today=date(2024, 10, 9), remove_missing=True,
        )  # fmt: skip
    assert result.missing == ["1.3.3"]
    assert await _report(bot, "2024-09") == september
    assert "截至10月底，41项整改措施已完成" in await _report(bot, "2024-10")


async def test_chart_months_count_sign_offs_and_every_closed_measure(bot: Bot) -> None:
    # issue 22, item 4: the line counts measures imported as done; a month's bar its sign-offs
    pid = await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", REPORT, ["验收报告.pdf"])
    copy = bot.api.last_to(COORD_B.id)
    await bot.press(COORD_B, copy, button(copy, "dec:", ":ok"))
    async with bot.db.session() as s:
        programme = await programmes.by_id(s, programme_id=pid)
        assert programme is not None
        offs, ends = await as_of.month_history(s, programme=programme, year=2024, month=10)
    history = closed_by_month(offs, ends, 2024, 10)
    assert [(h.month, h.closed, h.total) for h in history[-2:]] == [(9, 1, 36), (10, 0, 36)]
    assert offs == [("1.3.2", date(2024, 9, 30))]


async def test_halfyear_counts_the_months_sign_offs_and_the_ledgers_done(bot: Bot) -> None:
    # issue 22, item 4: the half-year report keeps September's closure and the 35 done before
    pid = await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", REPORT, ["验收报告.pdf"])
    copy = bot.api.last_to(COORD_B.id)
    await bot.press(COORD_B, copy, button(copy, "dec:", ":ok"))
    assert pid
    bot.clock.set(datetime(2024, 10, 15, 9, 0, tzinfo=SH))
    reply = await bot.say(ADMIN, "/export halfyear")
    assert reply.document is not None
    paras = [p.text for p in docx.Document(io.BytesIO(reply.document)).paragraphs]
    assert "期初，42项整改措施已完成35项；期末已完成36项，本期完成销号1项。" in paras
    assert sum("完成销号1项" in p and p.startswith("2024年9月") for p in paras) == 1
