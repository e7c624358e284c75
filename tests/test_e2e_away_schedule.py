"""End to end: out of office with a delegate, and changing the schedule."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, SH, Bot
from fakebot import User
from rhythm_support import OWNER_A, OWNER_B, bind, seed, tick
from sqlmodel import select

from storage import people, programmes
from storage.models import DispatchItem

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
    assert bad.plain == (
        "用法：/away 开始日期 结束日期 [代理人姓名]，如“/away 10月1日 10月7日”或"
        "“/away 10.1-10.7”。结束日期不能早于今天。"
    )
    mark = bot.api.mark()
    bot.api.send_private(OWNER_A, "/away 2024-09-27 2024-10-10 城管副联络员")
    [ok] = await bot.answers(OWNER_A.id, mark)
    assert ok.plain == (
        "已登记：9月27日至10月10日外出，期间调度消息由城管副联络员代为接收。发送 /back 可提前结束。"
    )
    # the task force hears of it, after the absence is stored
    [told] = [m for m in bot.api.since(mark) if m.chat_id == ADMIN.id]
    assert (
        told.plain == "城市管理局联络员9月27日—10月10日不在岗，期间每周调度由城管副联络员代为反馈。"
    )
    # and the stand-in hears from when
    [named] = [m.plain for m in bot.api.since(mark) if m.chat_id == DEPUTY.id]
    assert named == (
        "城市管理局联络员9月27日—10月10日不在岗，指定由您代为反馈：自9月27日起，"
        "其每周调度将发送给您，您的反馈计入其名下。"
    )
    mark = bot.api.mark()
    await tick(bot, pid, datetime(2024, 9, 30, 9, 30, tzinfo=SH))
    assert [m for m in bot.api.since(mark) if m.chat_id == OWNER_A.id] == []
    [to_deputy] = [m for m in bot.api.since(mark) if m.chat_id == DEPUTY.id]
    assert to_deputy.plain.split("\n")[:4] == [
        "📌 每周调度 · 本周（9月30日—10月6日）",
        "城管副联络员，您正在代城市管理局联络员反馈，请报送以下整改措施进展：",
        "",
        "🟢 1.3.2 建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题 · 时限：10月31日 · 推进中",
    ]
    mark = bot.api.mark()
    bot.api.send_private(OWNER_A, "/back")
    [back] = await bot.answers(OWNER_A.id, mark)
    assert back.plain == "欢迎回来，调度消息将恢复发送给您。"
    # the task force and the stand-in hear that it ended, and the stand-in since when it ran
    told_back = {m.chat_id: m.plain for m in bot.api.since(mark) if m.chat_id != OWNER_A.id}
    assert told_back == {
        ADMIN.id: "城市管理局联络员已返岗，原定9月27日—10月10日的不在岗提前结束，"
        "每周调度恢复发送给本人。城管副联络员不再代为反馈。",
        DEPUTY.id: "城市管理局联络员已返岗，您自9月27日起的代为反馈已结束，其每周调度恢复发送给本人。",
    }
    # the next dispatch (W41, moved to Tuesday 8 October by National Day) goes to the owner again
    mark = bot.api.mark()
    await tick(bot, pid, datetime(2024, 10, 8, 9, 30, tzinfo=SH))
    [to_owner] = [m for m in bot.api.since(mark) if m.chat_id == OWNER_A.id]
    assert to_owner.plain.split("\n")[:2] == [
        "📌 每周调度 · 本周（10月7日—13日）",
        "城市管理局联络员，请报送您负责的整改措施进展：",
    ]
    assert [m for m in bot.api.since(mark) if m.chat_id == DEPUTY.id] == []


async def test_away_without_a_delegate_pauses_the_owners_dispatches(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 9, 26, 10, 0, tzinfo=SH))
    pid = await seed(bot)
    away = await bot.say(OWNER_B, "/away 9.28-10.9")
    assert away.plain == (
        "Noted: away 28 September – 9 October. Your dispatches pause meanwhile and do not count "
        "as silence. /back ends it early."
    )
    # both dispatches of the absence (the second moved to Tuesday by National Day) skip them only
    for moment in (
        datetime(2024, 9, 30, 9, 30, tzinfo=SH),
        datetime(2024, 10, 8, 9, 30, tzinfo=SH),
    ):
        mark = bot.api.mark()
        await tick(bot, pid, moment)
        assert [m.plain for m in bot.api.since(mark) if m.chat_id == OWNER_B.id] == []
        heads = [m.plain.split("\n")[1] for m in bot.api.since(mark) if m.chat_id == OWNER_A.id]
        assert heads == ["城市管理局联络员，请报送您负责的整改措施进展："]
    # none of their measures was asked: a pause is not silence
    async with bot.db.session() as s:
        owner = await people.person_named(s, programme_id=pid, name="建设局联络员")
        asked = (await s.exec(select(DispatchItem).where(DispatchItem.owner_id == owner.id))).all()
    assert asked == []
    # the first dispatch after it reaches them again
    mark = bot.api.mark()
    await tick(bot, pid, datetime(2024, 10, 14, 9, 30, tzinfo=SH))
    [back] = [m for m in bot.api.since(mark) if m.chat_id == OWNER_B.id]
    assert back.plain.split("\n")[1] == "建设局联络员, please report progress on your measures:"


async def test_schedule_shows_and_changes_beats(bot: Bot) -> None:
    pid = await seed(bot)
    shown = await bot.say(ADMIN, "/schedule")
    # W40's dispatch was due at 9:00 and has not gone yet: the listing says it goes now
    assert shown.plain.split("\n")[1] == "• 每周调度：即将发出"
    await tick(bot, pid, bot.clock.now())
    shown = await bot.say(ADMIN, "/schedule")
    # National Day moves W41's dispatch to Tuesday
    assert shown.plain.split("\n")[1] == "• 每周调度：10月8日（周二）9:00"
    refused = await bot.say(OWNER_A, "/schedule dispatch tue 08:30")
    assert refused.plain == "抱歉，此功能仅限整改专班成员和责任领导使用。"
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/schedule dispatch tue 08:30")
    changed, shown = await bot.answers(ADMIN.id, mark)
    assert changed.plain == "工作节奏已修改。"
    assert shown.plain.split("\n")[1] == "• 每周调度：10月8日（周二）8:30"
    assert shown.plain.split("\n")[2] == "• 催办：10月10日（周四）8:30"
    async with bot.db.session() as s:
        programme = await programmes.by_id(s, programme_id=pid)
    assert programme is not None
    assert (programme.dispatch_weekday, programme.dispatch_time) == (1, "08:30")
    nonsense = await bot.say(ADMIN, "/schedule dispatch someday 25:00")
    assert (
        nonsense.plain
        == "无法识别该修改。示例：/schedule 调度 周一 9:00 · /schedule 日历 周一至周五"
    )
