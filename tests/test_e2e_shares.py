"""End to end: co-units' shares (多级交办): invited, dispatched, answered, seen, reviewed."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, SH, Bot
from fakebot import Chat, User
from rhythm_support import OWNER_A, OWNER_B, measure_id, seed, tick
from sqlmodel import select

from core.domain.numbers import PercentProblem
from core.domain.shares import Binding, never_reported, read_share, shares
from storage.models import Measure, ProgressUpdate
from storage.models_shares import ShareAnswer

FIN = User(310, "财政", language_code="zh-hans")
GROUP = Chat(-1009, "专班群")


def test_share_rules() -> None:
    co = {"1.3.2": ("建设局",), "1.3.10": ("建设局", "财政局"), "4.1.1": ("财政局",)}
    assert shares([Binding("建设局")], co) == [("1.3.2", "建设局"), ("1.3.10", "建设局")]
    assert shares([Binding("财政局", "4.1.1"), Binding("财政局", "9.9")], co) == [
        ("4.1.1", "财政局")
    ]
    assert read_share("60% 管网勘测已完成") == (60, "管网勘测已完成")
    assert read_share("６０％，已完成") == (60, "已完成")
    assert read_share("已完成勘测") == (None, "已完成勘测")
    assert read_share("120% 超额") is PercentProblem.RANGE
    assert read_share("60%") is PercentProblem.UNREADABLE  # words are required
    due = [("1.3.2", "建设局"), ("1.3.3", "建设局"), ("4.1.1", "财政局")]
    assert never_reported(due, {("1.3.2", "建设局")}) == {"建设局": ["1.3.3"], "财政局": ["4.1.1"]}


async def test_co_unit_liaisons_get_a_line_answer_and_show_in_the_review(bot: Bot) -> None:
    await seed(bot)
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    await bot.answers(GROUP.id, mark)
    await bot.say(ADMIN, "/use P")
    wrong = await bot.say(ADMIN, "/invites 责任单位 不存在局")
    assert wrong.plain == "不存在局不是任何未销号整改措施的责任单位，请核对整改台账中的单位名称。"
    wrong = await bot.say(ADMIN, "/invites 责任单位 建设局 4.1.1")
    assert wrong.plain == "建设局不是未销号整改措施4.1.1的责任单位。"
    # 建设局's liaison already uses the bot (as the owner of its own measures): bound at once
    bound = await bot.say(ADMIN, "/invites 责任单位 建设局")
    assert bound.plain == (
        "建设局联络员已在使用本机器人：自下次每周调度起，同时反馈建设局在1.3.2和1.3.3中承担部分的进展。"
    )
    link = await bot.say(ADMIN, "/invites 责任单位 财政局 4.1.1")
    head, _, url = link.plain.partition("：https://")
    assert (
        head == "责任单位财政局联络员邀请链接，用于反馈4.1.1的配合任务（14天内有效，仅可使用一次）"
    )
    welcome = await bot.say(FIN, "/start " + url.rpartition("start=")[2])
    assert welcome.plain == (
        "欢迎您，财政局联络员。您已以责任单位联络员和责任人身份绑定整改项目“P”。发送 /help 查看可用功能。"
    )

    # the next weekly dispatch (after the National Day holiday): each liaison their own line
    await tick(bot, 1, datetime(2024, 10, 8, 10, 0, tzinfo=SH))
    [share_b] = [m for m in bot.api.messages_to(OWNER_B.id) if "Co-unit share" in m.plain]
    assert share_b.plain.split("\n")[:2] == [
        "📋 Co-unit share for this week",
        "建设局联络员, please report your unit's part of these measures:",
    ]
    assert [label for label, _ in share_b.buttons] == ["Report 1.3.2", "Report 1.3.3"]
    [share_f] = bot.api.messages_to(FIN.id)[-1:]
    assert share_f.plain.split("\n")[0] == "📋 本周配合任务调度"
    assert "4.1.1 " in share_f.plain and "（牵头单位：审计局；本单位：财政局）" in share_f.plain

    # 建设局 answers its share of 1.3.2: stored as the share's, the measure untouched
    async with bot.db.session() as s:
        before = (await s.exec(select(Measure).where(Measure.code == "1.3.2"))).one()
        status, health = before.status, before.health
        updates = len((await s.exec(select(ProgressUpdate))).all())
    await bot.press(OWNER_B, share_b, f"sh:{await measure_id(bot, '1.3.2')}")
    asked = bot.api.last_to(OWNER_B.id).plain
    assert asked.startswith("Write your unit's progress on its share of 1.3.2;")
    assert (await bot.say(OWNER_B, "120% done")).plain == (
        "Please write a few words on the progress, optionally after a percentage from 0 to 100."
    )
    saved = await bot.say(OWNER_B, "60% pipeline survey done")
    assert saved.plain == (
        "Saved: 建设局's progress on 1.3.2. The lead owner sees it when answering."
    )
    async with bot.db.session() as s:
        [row] = (await s.exec(select(ShareAnswer))).all()
        assert (row.note, row.percent) == ("pipeline survey done", 60)
        after = (await s.exec(select(Measure).where(Measure.code == "1.3.2"))).one()
        assert (after.status, after.health) == (status, health)
        assert len((await s.exec(select(ProgressUpdate))).all()) == updates
    # an owner who is no liaison of 1.3.2's co-unit cannot answer its share
    refused = bot.api.press(OWNER_A, share_b, f"sh:{await measure_id(bot, '1.3.2')}")
    await bot.api.settle()
    assert bot.api.answer_to(refused) == {
        "callback_query_id": refused["id"],
        "text": "抱歉，此功能仅限责任单位联络员使用。",
        "show_alert": True,
    }

    # the lead owner sees the co-unit's words when answering
    dispatch = [m for m in bot.api.messages_to(OWNER_A.id) if "调度" in m.plain][-1]
    await bot.press(OWNER_A, dispatch, f"ans:{await measure_id(bot, '1.3.2')}:note")
    assert bot.api.last_to(OWNER_A.id).plain == (
        "整改措施1.3.2进展如何？\n\n责任单位最新反馈：\n建设局（10月8日）：60%，pipeline survey done"
    )

    # the review lists the co-units that never reported
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/review")
    [review] = [m for m in await bot.answers(GROUP.id, mark) if "研判" in m.plain]
    assert "从未反馈配合任务的责任单位：建设局（1.3.3）和财政局（4.1.1）" in review.plain.split(
        "\n"
    )
