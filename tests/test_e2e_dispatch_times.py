"""End to end: dispatch items keep when they were delivered and answered and their answer window,
so a later schedule never rejudges them; silence skips a dispatch that never arrived."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, SH, Bot, button
from fakebot import SentMessage, User
from fakefaults import Fault
from rhythm_support import LEADER, OWNER_A, measure_id, seed, tick
from sqlmodel import col, select

from storage import reports
from storage.models import DispatchItem, Measure, Programme


async def _answer(bot: Bot, user: User, dispatch: SentMessage, code: str) -> None:
    """The owner answers one measure of a dispatch by its button: on track, 50%, no files."""
    await bot.press(user, dispatch, f"ans:{await measure_id(bot, code)}:ok")
    await bot.say(user, "按计划推进")
    await bot.say(user, "50")
    files = bot.api.last_to(user.id)
    await bot.press(user, files, button(files, "f:"))
    confirm = bot.api.last_to(user.id)
    await bot.press(user, confirm, button(confirm, "c:", ":save"))


async def _items(bot: Bot, code: str) -> list[DispatchItem]:
    async with bot.db.session() as s:
        query = (
            select(DispatchItem)
            .join(Measure, col(Measure.id) == DispatchItem.measure_id)
            .where(Measure.code == code)
            .order_by(col(DispatchItem.period))
        )
        return list((await s.exec(query)).all())


async def _september_rates(bot: Bot, pid: int) -> list[tuple[str, float | None]]:
    async with bot.db.session() as s:
        programme = await s.get(Programme, pid)
        assert programme is not None
        content = await reports.report_content(
            s, programme=programme, period="2024-09", now=bot.clock.now()
        )
    return [(u.key, u.answer_rate) for u in content.units if u.answer_rate is not None]


async def _w39_answered_w40_not(bot: Bot) -> int:
    """W39 goes out on Monday 23 September and A answers both measures; W40 goes out on the
    30th, a working day before National Day: too little time to answer, and nobody does."""
    bot.clock.set(datetime(2024, 9, 23, 8, 0, tzinfo=SH))
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 23, 9, 30, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    bot.clock.set(datetime(2024, 9, 23, 10, 0, tzinfo=SH))
    await _answer(bot, OWNER_A, dispatch, "1.3.2")
    bot.clock.set(datetime(2024, 9, 23, 10, 5, tzinfo=SH))
    await _answer(bot, OWNER_A, dispatch, "1.3.3")
    await tick(bot, pid, datetime(2024, 9, 30, 9, 30, tzinfo=SH))
    return pid


async def test_items_record_delivery_answer_and_their_window(bot: Bot) -> None:
    await _w39_answered_w40_not(bot)
    w39, w40 = await _items(bot, "1.3.3")
    assert (w39.period, w40.period) == ("2024-W39", "2024-W40")
    assert w39.delivered_at == datetime(2024, 9, 23, 9, 30, tzinfo=SH)
    assert w39.answered_at == datetime(2024, 9, 23, 10, 5, tzinfo=SH)
    assert (w39.answer_by, w39.short) == (datetime(2024, 9, 30, 9, 0, tzinfo=SH), False)
    assert w40.delivered_at == datetime(2024, 9, 30, 9, 30, tzinfo=SH)
    assert (w40.answered, w40.answered_at) == (False, None)
    # the next dispatch after National Day is on Tuesday 8 October; a nudge would come later
    assert (w40.answer_by, w40.short) == (datetime(2024, 10, 8, 9, 0, tzinfo=SH), True)


async def test_a_schedule_change_leaves_septembers_feedback_rate(bot: Bot) -> None:
    pid = await _w39_answered_w40_not(bot)
    # A answered both W39 items; W40 left no time to answer, so its silence is not counted.
    # B (建设局) never answered W39.
    before = await _september_rates(bot, pid)
    assert before == [("城市管理局", 1.0), ("建设局", 0.0)]
    bot.clock.set(datetime(2024, 10, 9, 10, 0, tzinfo=SH))
    changed = await bot.say(ADMIN, "/schedule dispatch thu 09:00")
    assert changed.plain == "工作节奏已修改。"
    # by a Thursday rhythm W40 would have left time to answer; it was judged when it was sent
    assert await _september_rates(bot, pid) == before


async def test_silent_undelivered_silent_is_escalated_and_yellow(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 10, 8, 8, 0, tzinfo=SH))
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 10, 8, 9, 30, tzinfo=SH))  # W41: A silent
    bot.api.faults.next_for(OWNER_A.id, Fault.BAD_REQUEST)  # W42 never reaches A
    await tick(bot, pid, datetime(2024, 10, 14, 9, 30, tzinfo=SH))
    await tick(bot, pid, datetime(2024, 10, 21, 9, 30, tzinfo=SH))  # W43: A silent again
    assert [i.delivered for i in await _items(bot, "1.3.3")] == [True, False, True]
    told = len(bot.api.messages_to(LEADER.id))  # B's silences (W41, W42) were told at W43
    summary = await bot.say(ADMIN, "/summary")
    assert "🟡 1.3.3" in summary.plain  # two dispatches reached A and got no answer
    await tick(bot, pid, datetime(2024, 10, 28, 9, 30, tzinfo=SH))
    # the two alerts, and 1.3.2's 临期提醒 (due 31 October, three working days on): several
    # messages are in flight at once, so their order is not promised
    assert sorted(n.plain for n in bot.api.messages_to(LEADER.id)[told:]) == sorted(
        [
            "⚠️ 整改措施1.3.2（建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题）"
            "已连续2次调度未收到城市管理局联络员的反馈，请督办。",
            "⚠️ 整改措施1.3.3（推进城市供水管网延伸工程，年内全覆盖解决群众饮水问题）"
            "已连续2次调度未收到城市管理局联络员的反馈，请督办。",
            "临期提醒：您分管的以下整改措施即将到期，请关注推进情况。\n\n"
            "• 1.3.2 建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题 · 10月31日（周四）到期，"
            "还有3个工作日 · 责任人：城市管理局联络员",
        ]
    )
