"""End to end: forged, stale and foreign buttons are refused with a clear answer; none is ignored."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, SH, Bot, button
from fakebot import JSON, SentMessage, User
from rhythm_support import OWNER_A, OWNER_B, seed, tick
from sqlmodel import func, select

from core.render import callbacks
from storage.models import Measure, Programme, ProgressUpdate, SentBeat

EXPIRED = "此按钮已失效。"
OUT_OF_DATE = "此页面已过期，请使用最新消息，或重新点击该项整改措施。"
NOT_RESENDABLE = "只能重发本期或上一期，本次未发送。"


async def _count(bot: Bot, model: type) -> int:
    async with bot.db.session() as s:
        return int((await s.exec(select(func.count()).select_from(model))).one())


async def _measure(bot: Bot, programme: str, code: str) -> int:
    async with bot.db.session() as s:
        m = (
            await s.exec(
                select(Measure)
                .join(Programme, Programme.id == Measure.programme_id)  # type: ignore[arg-type]
                .where(Measure.code == code, Programme.name == programme)
            )
        ).one()
        assert m.id is not None
        return m.id


async def _presses(bot: Bot, user: User, message: SentMessage, data: list[str]) -> list[JSON]:
    """Press each forged button and wait until every press is answered."""
    queries = [bot.api.press(user, message, d) for d in data]
    await bot.api.wait_until(lambda: all(bot.api.answer_to(q) is not None for q in queries))
    await bot.api.settle()
    return [bot.api.answer_to(q) or {} for q in queries]


async def test_forced_beat_only_for_the_current_or_last_period(bot: Bot) -> None:
    await seed(bot)  # Monday 30 September 2024 10:00: the current dispatch period is 2024-W40
    await bot.say(ADMIN, "/dispatch")
    again = await bot.say(ADMIN, "/dispatch")
    assert button(again, "beat:force:") == "beat:force:dispatch:2024-W40"
    beats, sent = await _count(bot, SentBeat), len(bot.api.sent)
    forged = [
        "beat:force:dispatch:2024-W42",
        "beat:force:dispatch:2099-W01",
        "beat:force:dispatch:2024-W38",  # two periods back
        "beat:force:report:2024-13",
        "beat:force:review:not-a-period",
        "beat:force:review:2024-09-18",  # a real review day, but not the current or last one
        "beat:force:dispatch:２０２４-W40",
    ]
    answers = await _presses(bot, ADMIN, again, forged)
    assert [a.get("text") for a in answers] == [NOT_RESENDABLE] * len(forged)
    assert await _count(bot, SentBeat) == beats  # nothing claimed
    assert len(bot.api.sent) == sent and not again.history  # nothing sent, nothing edited

    # the genuine button still works: the current period, on purpose
    mark = bot.api.mark()
    await bot.press(ADMIN, again, button(again, "beat:force:"))
    assert not again.reply_markup
    assert any(m.chat_id == OWNER_A.id for m in bot.api.since(mark))


async def test_stale_confirm_screen_cannot_save_another_measure(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132, m133 = await _measure(bot, "P", "1.3.2"), await _measure(bot, "P", "1.3.3")
    await bot.press(OWNER_A, dispatch, callbacks.Answer(m132, "ok").pack())
    await bot.say(OWNER_A, "方案已编制")
    refused = await bot.say(OWNER_A, "²")  # not a number, whatever str.isdigit() says
    assert refused.plain == "请填写0到100之间的整数（如“40”或“40%”），或点击“跳过”。"
    assert [d for _, d in refused.buttons] == [callbacks.PercentSkip(m132, 1).pack()]
    await bot.say(OWNER_A, "８０")  # full-width digits are a number
    files = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, files, button(files, "f:"))
    old = bot.api.last_to(OWNER_A.id)
    assert "1.3.2" in old.plain and "完成进度：80" in old.plain

    # the owner starts 1.3.3, the bot restarts, then Save is pressed on the old 1.3.2 screen
    await bot.press(OWNER_A, dispatch, callbacks.Answer(m133, "block").pack())
    await bot.restart()
    [answer] = await _presses(bot, OWNER_A, old, [button(old, "c:", ":save")])
    assert (answer.get("text"), answer.get("show_alert")) == (OUT_OF_DATE, True)
    assert await _count(bot, ProgressUpdate) == 0 and not old.history

    # the 1.3.3 answer carries on and saves 1.3.3 only
    await bot.say(OWNER_A, "资金未到位")
    await bot.say(OWNER_A, "30")
    await bot.say(OWNER_A, "需要财政局协调")
    files = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, files, button(files, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    async with bot.db.session() as s:
        saved = (await s.exec(select(ProgressUpdate))).all()
    assert [(u.measure_id, u.percent) for u in saved] == [(m133, 30)]


async def test_every_press_is_answered_and_nothing_written(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await _measure(bot, "P", "1.3.2")
    outside = [
        "nonsense",
        "x" * 64,
        f"pick:1:{m132}",
        f"h:{m132}:1:ok",
        f"p:{m132}:1",
        f"f:{m132}:1",
        f"c:{m132}:1:save",
        "p:skip",
        "f:done",
        "c:save",
        "h:ok",
        "ans:²:ok",
        "m:²",
        "m:2147483648",
        "pg:open:1:²",
        "lang:fr",
        "lp:1",  # a loose file's page, with no loose file waiting
        "lp:²",
    ]
    sent = len(bot.api.sent)
    answers = await _presses(bot, OWNER_A, dispatch, outside)
    assert [a.get("text") for a in answers] == [EXPIRED] * len(outside)
    assert len(bot.api.sent) == sent and not dispatch.history
    assert await _count(bot, ProgressUpdate) == 0


async def test_measure_button_works_in_its_own_programme_after_use(bot: Bot) -> None:
    pid = await seed(bot, "P")
    await seed(bot, "Q")  # the same people own measures in a second programme
    used = await bot.say(OWNER_A, "/use Q")
    assert "Q" in used.plain
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    m132 = await _measure(bot, "P", "1.3.2")
    dispatch = next(
        m
        for m in bot.api.messages_to(OWNER_A.id)
        if callbacks.Listed(m132).pack() in dict(m.buttons).values()
    )
    await bot.press(OWNER_A, dispatch, callbacks.Listed(m132).pack())
    choices = bot.api.last_to(OWNER_A.id)
    assert "1.3.2" in choices.plain
    await bot.press(OWNER_A, choices, button(choices, "ans:", ":ok"))
    await bot.say(OWNER_A, "已完成方案编制")
    await _step(bot, OWNER_A, "p:")
    await _step(bot, OWNER_A, "f:")
    await _step(bot, OWNER_A, "c:", ":save")
    async with bot.db.session() as s:
        saved = (await s.exec(select(ProgressUpdate))).all()
    assert [u.measure_id for u in saved] == [m132]

    # another owner cannot use the button, whatever they selected
    [answer] = await _presses(bot, OWNER_B, dispatch, [callbacks.Listed(m132).pack()])
    assert answer.get("show_alert") is True
    assert answer.get("text") == "This measure is not yours to answer."


async def _step(bot: Bot, user: User, prefix: str, suffix: str = "") -> None:
    last = bot.api.last_to(user.id)
    await bot.press(user, last, button(last, prefix, suffix))


async def test_schedule_takes_ascii_numbers_only(bot: Bot) -> None:
    pid = await seed(bot)
    for args in ("dispatch ² 09:00", "dispatch 2 ٠٩:٠٠", "review ３ 16:00"):
        refused = await bot.say(ADMIN, f"/schedule {args}")
        assert refused.plain.startswith("无法识别该修改。"), args
    changed = await bot.say(ADMIN, "/schedule dispatch 2 08:30")
    assert changed.plain == "工作节奏已修改。"
    async with bot.db.session() as s:
        programme = await s.get(Programme, pid)
        assert programme is not None
        assert (programme.dispatch_weekday, programme.dispatch_time) == (1, "08:30")
