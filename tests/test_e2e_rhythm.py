"""End to end: dispatch, answers by button and reply, nudge, escalation, restarts."""

from __future__ import annotations

from datetime import datetime

from conftest import SH, Bot, button
from fakebot import User
from rhythm_support import LEADER, OWNER_A, OWNER_B, jobs_idle, measure_id, seed, tick
from sqlmodel import func, select

from storage.models import EvidenceFile, ProgressUpdate, SentBeat


async def _count(bot: Bot, model: type) -> int:
    async with bot.db.session() as s:
        return int((await s.exec(select(func.count()).select_from(model))).one())


async def _step(bot: Bot, user: User, prefix: str, suffix: str = "") -> None:
    """Press a button of the bot's latest message to the user."""
    last = bot.api.last_to(user.id)
    await bot.press(user, last, button(last, prefix, suffix))


async def test_dispatch_answers_nudge_and_escalation(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 9, 23, 10, 0, tzinfo=SH))
    pid = await seed(bot)
    await tick(
        bot, pid, datetime(2024, 9, 23, 10, 0, tzinfo=SH)
    )  # W39 dispatch is due: the JobQueue fires it
    [to_a] = bot.api.messages_to(OWNER_A.id)
    [to_b] = bot.api.messages_to(OWNER_B.id)
    assert "1.3.2" in to_a.plain and "1.3.3" in to_a.plain and "3.1.2" not in to_a.plain
    assert "3.1.2" in to_b.plain and "Weekly dispatch" in to_b.plain  # B reads English

    # A answers 1.3.2 by button, with a percentage and an evidence file
    m132 = await measure_id(bot, "1.3.2")
    await bot.press(OWNER_A, to_a, f"ans:{m132}:ok")
    await bot.say(OWNER_A, "已完成方案编制")
    await bot.say(OWNER_A, "80")
    prompt = await bot.upload(OWNER_A, "方案.pdf", b"%PDF-1.4 evidence")
    await bot.press(OWNER_A, prompt, button(prompt, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    assert confirm.plain == (
        "请核对1.3.2的反馈内容：\n推进情况：正常推进\n情况说明：已完成方案编制\n"
        "完成进度：80%\n佐证资料：1份"
    )
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    assert confirm.plain == "已保存，谢谢。1.3.2进展已更新。"

    # B answers by replying to the dispatch with a file; two measures listed, so the bot asks which
    which = await bot.upload(
        OWNER_B, "photo-report.docx", b"PK evidence", caption="Site work started", reply_to=to_b
    )
    m312 = await measure_id(bot, "3.1.2")
    await bot.press(OWNER_B, which, button(which, "pick:", f":{m312}"))
    await _step(bot, OWNER_B, "h:", ":risk")
    await _step(bot, OWNER_B, "p:")
    await bot.say(OWNER_B, "Waiting for land approval")
    await _step(bot, OWNER_B, "f:")
    await _step(bot, OWNER_B, "c:", ":save")
    assert await _count(bot, ProgressUpdate) == 2
    assert await _count(bot, EvidenceFile) == 2

    # two working days later: one nudge, only for what is unanswered
    before_a = len(bot.api.messages_to(OWNER_A.id))
    await tick(bot, pid, datetime(2024, 9, 25, 9, 30, tzinfo=SH))
    nudges = bot.api.messages_to(OWNER_A.id)[before_a:]
    assert [n.plain for n in nudges] == [
        "⏰ 催办：以下整改措施尚未反馈本周调度情况：\n\n"
        "🟢 1.3.3 推进城市供水管网延伸工程，年内全覆盖解决群众饮水问题 · 时限：12月31日 · 推进中\n\n"
        "请于9月25日（周三）16:00前反馈。\n"  # before the fortnightly review
        "请点击整改措施反馈进展，也可直接回复本消息。"
    ]
    await tick(bot, pid, datetime(2024, 9, 25, 11, 0, tzinfo=SH))
    assert len(bot.api.messages_to(OWNER_A.id)) == before_a + 1  # never twice

    # 1.3.3 stays silent. W40's dispatch left one working day before the National Day holiday,
    # less than the two a nudge waits: it is not counted as silence, so W41 tells nobody
    await tick(bot, pid, datetime(2024, 9, 30, 9, 30, tzinfo=SH))
    await tick(bot, pid, datetime(2024, 10, 8, 9, 30, tzinfo=SH))
    assert not bot.api.messages_to(LEADER.id)
    # silent in W39 and W41 as well: at W42 the responsible leader is told, once
    await tick(bot, pid, datetime(2024, 10, 14, 9, 30, tzinfo=SH))
    notes = bot.api.messages_to(LEADER.id)
    # 1.3.2 was answered in W39, so only 1.3.3 (A) and 4.3.1 (B, never answered) are escalated
    assert [n.plain for n in notes] == [
        "⚠️ 整改措施1.3.3（推进城市供水管网延伸工程，年内全覆盖解决群众饮水问题）"
        "已连续2次调度未收到城市管理局联络员的反馈，请督办。",
        "⚠️ 整改措施4.3.1（落实专班推动金凤园区服务中心项目复工，化解合同纠纷）"
        "已连续2次调度未收到建设局联络员的反馈，请督办。",
    ]
    m133, m431 = await measure_id(bot, "1.3.3"), await measure_id(bot, "4.3.1")
    assert [n.buttons for n in notes] == [
        [("督办", f"fu:{m133}"), ("最新反馈", f"chase:{m133}:latest")],
        [("督办", f"fu:{m431}"), ("最新反馈", f"chase:{m431}:latest")],
    ]
    # the same silence is not escalated again the week after, though it goes on; 1.3.2, answered
    # in W39 and silent in W41 and W42, is a new silence
    await tick(bot, pid, datetime(2024, 10, 21, 9, 30, tzinfo=SH))
    later = [n.plain for n in bot.api.messages_to(LEADER.id)[2:]]
    assert len(later) == 1 and later[0].startswith("⚠️ 整改措施1.3.2（")


async def test_restart_never_repeats_and_catches_up_missed_beat(bot: Bot) -> None:
    pid = await seed(bot)  # clock: Monday 2024-09-30 10:00, an hour after the W40 dispatch was due
    assert not bot.api.messages_to(OWNER_A.id)
    await bot.restart()  # the bot "comes back": the missed dispatch is sent once
    await jobs_idle(bot)
    assert len(bot.api.messages_to(OWNER_A.id)) == 1
    await bot.restart()
    await jobs_idle(bot)
    assert len(bot.api.messages_to(OWNER_A.id)) == 1
    async with bot.db.session() as s:
        rows = (
            await s.exec(
                select(SentBeat).where(SentBeat.programme_id == pid, SentBeat.beat == "dispatch")
            )
        ).all()
    assert [r.period for r in rows] == ["2024-W40"]


async def test_missed_beat_after_its_window_is_not_sent(bot: Bot) -> None:
    await seed(bot)
    bot.clock.set(
        datetime(2024, 10, 9, 10, 0, tzinfo=SH)
    )  # W40's window ended when W41 went out on 10-08
    await bot.restart()
    await jobs_idle(bot)
    texts = [m.plain for m in bot.api.messages_to(OWNER_A.id)]
    # only the current week (W41, sent on the day it comes back), not W40 as well
    assert [t.split("\n")[0] for t in texts] == ["📌 每周调度 · 本周（10月7日—13日）"]


async def test_conversation_survives_restart(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [to_a] = bot.api.messages_to(OWNER_A.id)
    m133 = await measure_id(bot, "1.3.3")
    await bot.press(OWNER_A, to_a, f"ans:{m133}:block")
    await bot.say(OWNER_A, "资金未到位")
    await bot.restart()
    # the percentage step survived the restart: 30 is taken and the blockers step follows
    reply = await bot.say(OWNER_A, "30")
    assert reply.plain == "遇到了哪些困难？需要哪些协调支持？"
    await bot.say(OWNER_A, "需要财政局协调")
    await _step(bot, OWNER_A, "f:")
    confirm = bot.api.last_to(OWNER_A.id)
    assert "资金未到位" in confirm.plain and "需要财政局协调" in confirm.plain
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    async with bot.db.session() as s:
        [saved] = (await s.exec(select(ProgressUpdate))).all()
    assert (saved.measure_id, saved.health, saved.percent) == (m133, "blocked", 30)
    assert (saved.note, saved.blockers) == ("资金未到位", "需要财政局协调")


async def test_forged_and_foreign_buttons_change_nothing(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [to_b] = bot.api.messages_to(OWNER_B.id)
    m133 = await measure_id(bot, "1.3.3")  # A's measure
    bot.api.press(OWNER_B, to_b, f"ans:{m133}:done")
    bot.api.press(OWNER_B, to_b, "ans:999999:ok")
    bot.api.press(OWNER_B, to_b, "ans:x:y:z")
    await bot.settle()
    assert len(bot.api.messages_to(OWNER_B.id)) == 1
    assert to_b.history == []  # nor edited
    assert [(p["text"], p["show_alert"]) for p in bot.api.calls("answerCallbackQuery")] == [
        ("This measure is not yours to answer.", True),
        ("This measure is no longer in the ledger.", True),
        ("This button has expired.", True),
    ]
    assert await _count(bot, ProgressUpdate) == 0
