"""End to end: an owner asks for sign-off, a failing handler apologises, unreachable owners."""

from __future__ import annotations

from datetime import datetime
from typing import Any

import pytest
from conftest import ADMIN, SH, Bot, button
from rhythm_support import OWNER_A, measure_id, seed, tick
from sqlmodel import func, select

from storage import audit
from storage.models import EvidenceFile, Measure, Person, SignoffRequest
from storage.models_people import Absence


async def test_owner_asks_for_signoff_and_coordinators_hear(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [to_a] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    await bot.press(OWNER_A, to_a, button(to_a, "md:", f"{m132}"))
    ask = bot.api.last_to(OWNER_A.id)
    assert ("✔️ 申请销号", f"ans:{m132}:done") in ask.buttons
    await bot.press(OWNER_A, ask, f"ans:{m132}:done")
    assert bot.api.last_to(OWNER_A.id).plain == (
        "请填写1.3.2的完成情况报告：做了哪些工作，有哪些佐证。"
    )
    files = await bot.say(OWNER_A, "水厂已建成并投用，通水入户")
    assert files.plain == "请至少上传一份佐证资料（文件或照片），然后点击“完成”。"
    # no evidence, no sign-off: Done is refused with an alert
    bot.api.press(OWNER_A, files, button(files, "f:"))
    await bot.settle()
    answer = bot.api.calls("answerCallbackQuery")[-1]
    assert (answer["text"], answer["show_alert"]) == ("申请销号须至少上传一份佐证资料。", True)
    prompt = await bot.upload(OWNER_A, "验收报告.pdf", b"%PDF-1.4 report")
    await bot.press(OWNER_A, prompt, button(prompt, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    assert confirm.plain == (
        "请核对1.3.2的反馈内容：\n申请事项：销号\n推进情况：正常推进\n"
        "情况说明：水厂已建成并投用，通水入户\n佐证资料：1份"
    )
    mark = bot.api.mark()
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    assert confirm.plain == "已保存。1.3.2已提交整改专班审核销号。"
    # the coordinator (the admin who created the programme) gets the evidence, then the request
    told = [(m.chat_id, m.method, m.plain) for m in bot.api.since(mark)]
    assert told == [
        (ADMIN.id, "sendDocument", ""),
        (
            ADMIN.id,
            "sendMessage",
            "🏁 1.3.2销号申请\n建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题\n"
            "责任人：城市管理局联络员（城市管理局）\n完成时限：2024年10月31日\n"
            "申请时间：9月30日10:00\n完成情况报告：水厂已建成并投用，通水入户\n"
            "佐证资料：1份",
        ),
    ]
    async with bot.db.session() as s:
        measure = (await s.exec(select(Measure).where(Measure.id == m132))).one()
        [request] = (await s.exec(select(SignoffRequest))).all()
        [evidence] = (await s.exec(select(EvidenceFile))).all()
    assert measure.status == "pending_signoff"
    assert (request.measure_id, request.state) == (m132, "pending")
    assert (evidence.measure_id, evidence.name) == (m132, "验收报告.pdf")


async def test_a_failing_handler_apologises_and_saves_nothing(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    await seed(bot)

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("audit log unavailable")

    # /away adds the absence, then audits it: the audit fails after the absence was written
    monkeypatch.setattr(audit, "record", broken)
    reply = await bot.say(OWNER_A, "/away 2024-10-01 2024-10-07")
    assert reply.plain == "抱歉，处理这次操作时出错，请重试。"
    assert [m.plain for m in bot.api.messages_to(OWNER_A.id)] == [reply.plain]
    async with bot.db.session() as s:
        assert (await s.exec(select(func.count()).select_from(Absence))).one() == 0
    monkeypatch.undo()
    # the bot keeps running: the same command now works
    again = await bot.say(OWNER_A, "/away 2024-10-01 2024-10-07")
    assert again.plain.startswith("已登记：10月1日至10月7日外出")
    async with bot.db.session() as s:
        assert (await s.exec(select(func.count()).select_from(Absence))).one() == 1


async def _owner_a(bot: Bot) -> Person:
    async with bot.db.session() as s:
        query = select(Person).where(Person.telegram_user_id == OWNER_A.id)
        return (await s.exec(query)).one()


def _tried(bot: Bot, chat_id: int) -> int:
    """How many times the bot tried to send to a chat (delivered or not)."""
    return sum(1 for p in bot.api.calls("sendMessage") if p.get("chat_id") == chat_id)


OWNER_A_LINE = "✅ 城市管理局联络员（责任人）"


async def test_a_blocked_owner_is_unreachable_until_they_write_again(bot: Bot) -> None:
    pid = await seed(bot)
    bot.api.blocked.add(OWNER_A.id)
    dispatched = datetime(2024, 9, 30, 10, 0, tzinfo=SH)
    await tick(bot, pid, dispatched)
    assert (_tried(bot, OWNER_A.id), bot.api.messages_to(OWNER_A.id)) == (1, [])
    assert (await _owner_a(bot)).unreachable_since == dispatched
    listing = (await bot.say(ADMIN, "/people")).plain.split("\n")
    since = "⚠️ 自9月30日10:00起无法送达"
    assert listing[:3] == ["已绑定：4人", "✅ Admin（整改专班成员）", f"{OWNER_A_LINE} {since}"]
    # the next dispatch does not try again
    await tick(bot, pid, datetime(2024, 10, 8, 9, 30, tzinfo=SH))
    assert _tried(bot, OWNER_A.id) == 1
    # unreachable means unreachable now: writing to the bot again clears the mark, and the
    # dispatch held for the current period (W41) goes out at once
    bot.api.blocked.discard(OWNER_A.id)
    mark = bot.api.mark()
    bot.api.send_private(OWNER_A, "/my")
    # the reply and the released dispatch race each other: either may come first
    answers = await bot.answers(OWNER_A.id, mark)
    assert any(m.plain.startswith("您负责的整改措施（2项）：") for m in answers)
    await bot.api.wait_until(lambda: _tried(bot, OWNER_A.id) == 3)  # /my and the W41 dispatch
    await bot.settle()
    [held] = [m for m in bot.api.messages_to(OWNER_A.id) if "每周调度" in m.plain]
    assert held.plain.split("\n")[0] == "📌 每周调度 · 本周（10月7日—13日）"
    assert (await _owner_a(bot)).unreachable_since is None
    listing = (await bot.say(ADMIN, "/people")).plain.split("\n")
    assert listing[2] == OWNER_A_LINE
    mark = bot.api.mark()
    await tick(bot, pid, datetime(2024, 10, 14, 9, 30, tzinfo=SH))
    [dispatch] = [m for m in bot.api.since(mark) if m.chat_id == OWNER_A.id]
    assert dispatch.plain.split("\n")[0] == "📌 每周调度 · 本周（10月14日—20日）"
