"""End to end: 临期提醒 a set number of working days before a deadline, once per deadline, to
the owner and the responsible leader, through holidays, extensions and restarts (issue 29)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime

from conftest import ADMIN, SH, Bot, button, sample
from fakebot import SentMessage
from rhythm_support import LEADER, OWNER_A, OWNER_B, STARTED, bind, measure_id, tick
from signoff_support import COORD_B, add_coordinator, ask_extension
from sqlmodel import select

from core.domain.ledger import parse_ledger
from storage import ledger_store, programmes
from storage.models_closing import DeadlineReminder

TEXT_132 = "建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题"
# 1.3.2 due on Tuesday 8 October, the first working day after 国庆; 4.3.1 on 31 October
DEADLINES = {"1.3.2": date(2024, 10, 8), "4.3.1": date(2024, 10, 31)}


async def _seed(bot: Bot) -> int:
    """The sample ledger with two deadlines moved near, imported on Thursday 26 September."""
    bot.clock.set(datetime(2024, 9, 26, 8, 0, tzinfo=SH))
    await bot.say(ADMIN, "/newprogramme P")
    parsed = parse_ledger(sample("ledger.zh.csv"), "ledger.zh.csv")
    rows = [replace(r, deadline=DEADLINES.get(r.code, r.deadline)) for r in parsed.rows]
    async with bot.db.session() as s:
        programme = await programmes.by_name(s, name="P")
        assert programme is not None and programme.id is not None
        programme.created_at = STARTED
        s.add(programme)
        await ledger_store.apply(
            s, programme_id=programme.id, rows=rows, actor="test", now=bot.clock.now(),
            today=date(2024, 9, 26),
        )  # fmt: skip
        pid = programme.id
    await bind(bot, pid, "城市管理局联络员", OWNER_A)
    await bind(bot, pid, "建设局联络员", OWNER_B)
    await bind(bot, pid, "管委会副主任（分管城建）", LEADER)
    await add_coordinator(bot, pid, "专班成员乙", COORD_B)
    return pid


def reminders(bot: Bot, chat_id: int) -> list[SentMessage]:
    """The deadline reminders a chat got, in either language."""
    heads = ("临期提醒", "Deadline reminder")
    return [m for m in bot.api.messages_to(chat_id) if m.plain.startswith(heads)]


async def test_reminded_n_working_days_before_once_per_deadline(bot: Bot) -> None:
    pid = await _seed(bot)
    await tick(bot, pid, datetime(2024, 9, 26, 9, 5, tzinfo=SH))
    assert reminders(bot, OWNER_A.id) == [] and reminders(bot, LEADER.id) == []

    # three working days before 8 October, counting the make-up Sunday 29 September: 27 September
    await tick(bot, pid, datetime(2024, 9, 27, 9, 5, tzinfo=SH))
    [owner] = reminders(bot, OWNER_A.id)
    assert owner.plain == (
        "临期提醒：您负责的以下整改措施即将到期，请抓紧推进；已完成的，请及时申请销号。\n\n"
        f"• 1.3.2 {TEXT_132} · 10月8日（周二）到期，还有3个工作日"
    )
    [leader] = reminders(bot, LEADER.id)
    assert leader.plain == (
        "临期提醒：您分管的以下整改措施即将到期，请关注推进情况。\n\n"
        f"• 1.3.2 {TEXT_132} · 10月8日（周二）到期，还有3个工作日 · 责任人：城市管理局联络员"
    )
    assert reminders(bot, OWNER_B.id) == []

    # the next working day, a restart, the deadline itself: not again
    await tick(bot, pid, datetime(2024, 9, 29, 9, 5, tzinfo=SH))
    await bot.restart()
    await tick(bot, pid, datetime(2024, 9, 30, 9, 5, tzinfo=SH))
    assert len(reminders(bot, OWNER_A.id)) == 1 and len(reminders(bot, LEADER.id)) == 1
    async with bot.db.session() as s:
        rows = (await s.exec(select(DeadlineReminder))).all()
    m132 = await measure_id(bot, "1.3.2")
    assert [(r.measure_id, r.deadline) for r in rows] == [(m132, date(2024, 10, 8))]

    # an extension to 10 October, approved on 30 September (three working days before it): the
    # new deadline is reminded on the next working day, 8 October, not on the holiday
    bot.clock.set(datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    dispatch = [m for m in bot.api.messages_to(OWNER_A.id) if "每周调度" in m.plain][-1]
    await ask_extension(bot, OWNER_A, dispatch, m132, "2024年10月10日", "设备到货推迟。")
    copy = bot.api.last_to(COORD_B.id)
    bot.clock.set(datetime(2024, 9, 30, 11, 0, tzinfo=SH))
    await bot.press(COORD_B, copy, button(copy, "dec:", ":ok"))
    await tick(bot, pid, datetime(2024, 10, 1, 9, 5, tzinfo=SH))
    assert len(reminders(bot, OWNER_A.id)) == 1
    await tick(bot, pid, datetime(2024, 10, 8, 9, 5, tzinfo=SH))
    again = reminders(bot, OWNER_A.id)
    assert len(again) == 2 and len(reminders(bot, LEADER.id)) == 2
    assert again[-1].plain.split("\n")[-1] == (
        f"• 1.3.2 {TEXT_132} · 10月10日（周四）到期，还有2个工作日"
    )

    # /schedule sets the working days: five before 31 October is 24 October
    wrong = await bot.say(ADMIN, "/schedule 临期提醒 0")
    assert wrong.plain == (
        "临期提醒在完成时限前若干个工作日发出，可设为1至10个工作日，例如：/schedule 临期提醒 3。"
    )
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/schedule 临期提醒 5")
    changed, listed = await bot.answers(ADMIN.id, mark)
    assert changed.plain == "工作节奏已修改。"
    assert "• 临期提醒：完成时限前5个工作日，于每周调度时间提醒责任人和责任领导" in listed.plain
    await tick(bot, pid, datetime(2024, 10, 23, 9, 5, tzinfo=SH))
    assert reminders(bot, OWNER_B.id) == []
    await tick(bot, pid, datetime(2024, 10, 24, 9, 5, tzinfo=SH))
    [en] = reminders(bot, OWNER_B.id)
    text_431 = en.plain.split("\n")[-1].split(" · ")[0].removeprefix("• 4.3.1 ")
    assert en.plain == (
        "Deadline reminder: these measures of yours are due soon. Please press on with them; "
        "when one is done, ask for its sign-off.\n\n"
        f"• 4.3.1 {text_431} · due Thursday 31 October, 5 working days left"
    )
    assert (
        reminders(bot, LEADER.id)[-1]
        .plain.split("\n")[-1]
        .endswith(" · 10月31日（周四）到期，还有5个工作日 · 责任人：建设局联络员")
    )
    async with bot.db.session() as s:
        rows = (await s.exec(select(DeadlineReminder))).all()
    m431 = await measure_id(bot, "4.3.1")
    assert sorted((r.measure_id, r.deadline) for r in rows) == sorted(
        [(m132, date(2024, 10, 8)), (m132, date(2024, 10, 10)), (m431, date(2024, 10, 31))]
    )
