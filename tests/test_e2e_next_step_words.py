"""End to end: everyone knows the next step (issue 24): strangers, handed-over and revoked
accounts are told what this bot is and how to get in; by whom and since when they left."""

from __future__ import annotations

import re
from datetime import datetime

from conftest import ADMIN, SH, Bot
from fakebot import User
from rhythm_support import OWNER_A, OWNER_B, measure_id, seed, tick
from signoff_support import COORD_B, ask_extension, ask_signoff, step
from stranger_texts import STRANGER_TEXT_EN, STRANGER_TEXT_ZH
from test_e2e_signoff import _start

from storage import people

STRANGER_ZH = User(556, "路人", language_code="zh-hans")
STRANGER_EN = User(557, "Mallory", language_code="en")


async def test_a_stranger_learns_what_this_bot_is_and_how_to_get_in(bot: Bot) -> None:
    await seed(bot, name="巡视整改")
    for said in ("/start", "/help", "怎么报送进展？", "/my"):
        assert (await bot.say(STRANGER_ZH, said)).plain == STRANGER_TEXT_ZH, said
    assert (await bot.say(STRANGER_EN, "/help")).plain == STRANGER_TEXT_EN


async def test_a_handed_over_account_is_told_since_when_and_by_whom(bot: Bot) -> None:
    await seed(bot)
    bot.clock.set(datetime(2024, 10, 9, 10, 5, tzinfo=SH))
    reply = await bot.say(ADMIN, "/handover 城市管理")
    assert re.search(r"start=\S+", reply.plain)
    bot.clock.set(datetime(2024, 10, 14, 9, 0, tzinfo=SH))
    assert (await bot.say(OWNER_A, "怎么报送进展？")).plain == (
        "自10月9日起，您在“P”中的城市管理局联络员职责已由Admin移交给接任人员，"
        "您此前报送的内容仍保留在台账记录中。如仍需参与，请联系整改专班获取新的邀请链接。"
    )


async def test_a_revoked_account_is_told_since_when_and_by_whom(bot: Bot) -> None:
    await seed(bot)
    bot.clock.set(datetime(2024, 10, 9, 10, 5, tzinfo=SH))
    await bot.say(ADMIN, "/revoke 建设局")
    bot.clock.set(datetime(2025, 1, 6, 9, 0, tzinfo=SH))
    assert (await bot.say(OWNER_B, "/start")).plain == (
        "Since 9 October 2024, your account is no longer bound to programme P as 建设局联络员: "
        "Admin ended it. What you reported stays in the ledger's history. If you should still "
        "take part, ask the task force for a new invite link."
    )


async def test_dispatch_and_reminder_say_by_when_to_answer(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 9, 23, 10, 0, tzinfo=SH))
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 23, 10, 0, tzinfo=SH))
    [to_a] = bot.api.messages_to(OWNER_A.id)
    [to_b] = bot.api.messages_to(OWNER_B.id)
    # before the reminder would go: two working days later, at the dispatch's time
    assert to_a.plain.split("\n")[-2:] == [
        "请于9月25日（周三）9:00前反馈。",
        "请点击整改措施反馈进展，也可直接回复本消息。",
    ]
    assert to_b.plain.split("\n")[-2] == "Please answer by Wednesday 25 September, 9:00."
    # the reminder asks for an answer before the next fortnightly review
    await tick(bot, pid, datetime(2024, 9, 25, 9, 30, tzinfo=SH))
    [nudge_a] = bot.api.messages_to(OWNER_A.id)[1:]
    assert nudge_a.plain.split("\n")[-2] == "请于9月25日（周三）16:00前反馈。"


async def test_pending_counts_each_kind_of_request(bot: Bot) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.3", "管网延伸工程已完工。", ["竣工图.pdf"])
    m132 = await measure_id(bot, "1.3.2")
    await ask_extension(bot, OWNER_A, dispatch, m132, "2024年11月30日", "设备到货推迟。")
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/pending")
    head, first, second = await bot.answers(ADMIN.id, mark)
    assert head.plain == "共1项销号申请、1项延期申请待审核（按申请先后排列）："
    assert first.plain.startswith("🏁 1.3.3") and second.plain.startswith("📅 1.3.2延期申请")
    mark = bot.api.mark()
    bot.api.send_private(COORD_B, "/pending")
    head_en, *_ = await bot.answers(COORD_B.id, mark)
    assert head_en.plain == "1 sign-off request and 1 extension request are waiting, oldest first:"


async def test_an_at_risk_answer_shows_what_is_in_the_way(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await bot.press(OWNER_A, dispatch, f"ans:{await measure_id(bot, '1.3.2')}:risk")
    await bot.say(OWNER_A, "主体工程已完工")
    await bot.say(OWNER_A, "60")
    await bot.say(OWNER_A, "用地审批尚未完成，请自然资源局协调")
    await step(bot, OWNER_A, "f:")
    await step(bot, OWNER_A, "c:", ":save")
    summary = await bot.say(ADMIN, "/summary")
    assert (
        "    ↳ 存在风险 · 60% · “用地审批尚未完成，请自然资源局协调”（9月30日，城市管理局联络员）"
    ) in summary.plain.split("\n")


async def test_chinese_arguments_work_and_help_shows_them(bot: Bot) -> None:
    pid = await seed(bot)
    bot.clock.set(datetime(2024, 11, 5, 10, 0, tzinfo=SH))
    help_text = (await bot.say(ADMIN, "/help")).plain.split("\n")
    assert (
        "/export [汇报 [月份] | 进展 [月份] | 半年 | 佐证资料] – 导出整改台账、月度汇报、整改进展情况通报、半年报告或佐证资料"
        in help_text
    )
    assert (
        "/invites [专班 数量] – 生成未绑定人员的邀请链接，或生成指定数量的整改专班成员邀请链接"
    ) in help_text
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/export 汇报 10月")
    sent = await bot.answers(ADMIN.id, mark)
    assert sent[0].plain.startswith("📋 P · 2024年10月整改情况汇报")
    assert [m.filename for m in sent if m.filename] == [
        "P整改2024年10月进展情况汇报.docx",
        "P整改台账（截至2024年10月31日）.xlsx",
    ]
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/export 半年")
    [half] = await bot.answers(ADMIN.id, mark)
    assert half.filename is not None and half.filename.endswith(".docx")
    links = await bot.say(ADMIN, "/invites 专班 2")
    assert links.plain.split("\n")[0].startswith("整改专班成员邀请链接2个")
    listing = (await bot.say(ADMIN, "/people")).plain
    assert "#" not in listing
    assert "▫️ 整改专班成员邀请链接1（尚未打开）（整改专班成员）" in listing.split("\n")
    shown = (await bot.say(ADMIN, "/schedule")).plain.split("\n")
    assert shown[0] == "“P”工作节奏（时区：北京时间，日历：中国法定工作日）："
    assert shown[-1] == (
        "修改方法：/schedule 调度 周一 9:00 · /schedule 研判 周三 16:00 · /schedule 汇报 10:00 · "
        "/schedule 回头看 90 · /schedule 临期提醒 3 · /schedule 抽查 10 10:00 · /schedule 时区 北京时间 · "
        "/schedule 日历 工作日（或 周一至周五）"
    )
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/schedule 调度 周二 8:30")
    changed, after = await bot.answers(ADMIN.id, mark)
    assert changed.plain == "工作节奏已修改。"
    assert (
        after.plain.split("\n")[1] == "• 每周调度：即将发出"
    )  # this week's, moved to 8:30 today, is still due
    assert pid


async def test_english_reads_as_english(bot: Bot) -> None:
    pid = await seed(bot)
    help_lines = (await bot.say(OWNER_B, "/help")).plain.split("\n")
    assert "Your role: owner" in help_lines
    async with bot.db.session() as s:
        await people.set_pref(s, user_id=ADMIN.id, locale="en")
    one = (await bot.say(ADMIN, "/summary unit 金融服务局")).plain.split("\n")
    assert one[1] == "As of 30 September, the one measure is not complete yet; it is in progress."
    closed = (await bot.say(ADMIN, "/summary unit 社会事业局")).plain.split("\n")
    assert closed[1] == "As of 30 September, the one measure is complete."
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    dispatch = bot.api.messages_to(OWNER_B.id)[-1]
    assert dispatch.plain.startswith("📌 Weekly dispatch")
    await bot.press(OWNER_B, dispatch, f"m:{await measure_id(bot, '3.1.2')}")
    choices = bot.api.last_to(OWNER_B.id)
    assert [label for label, _ in choices.buttons][:5] == [
        "✅ On track",
        "⚠️ At risk",
        "⛔ Blocked",
        "✔️ Done",
        "✍️ Write an update",
    ]
