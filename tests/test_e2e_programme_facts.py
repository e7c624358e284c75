"""End to end: /programme keeps the progress report's inspection facts, each change audited."""

from __future__ import annotations

import json

from conftest import ADMIN, Bot
from fakebot import User
from rhythm_support import LEADER, seed
from sqlmodel import col, select

from storage.models import AuditEvent

ADMIN_EN = User(ADMIN.id, ADMIN.first_name, language_code="en")

SET_ZH = [
    "/programme 派出机关 市委第一巡视组",
    "/programme 单位 西部科学城重庆高新区党工委",
    "/programme 巡视时间 2023年10月10日至12月15日",
    "/programme 反馈日期 2024年1月16日",
]


async def test_a_coordinator_sets_the_facts_in_chat_and_each_change_is_audited(bot: Bot) -> None:
    await seed(bot)
    first = await bot.say(ADMIN, "/programme")
    assert first.plain.split("\n")[:6] == [
        "P整改进展情况通报的基本情况：",
        "• 派出机关：未设置",
        "• 被巡视党组织（落款单位）：未设置",
        "• 巡视时间：未设置",
        "• 反馈日期：未设置",
        "• 接受监督的联系方式：未设置",
    ]
    for line in SET_ZH:
        reply = await bot.say(ADMIN, line)
        assert reply.plain.startswith("已保存。\n\nP整改进展情况通报的基本情况：")
    contact = "联系电话：023—68606272；\n邮编：401329。"
    await bot.say(ADMIN, f"/programme 联系方式 {contact}")
    shown = (await bot.say(ADMIN, "/programme")).plain.split("\n")
    assert shown[1:6] == [
        "• 派出机关：市委第一巡视组",
        "• 被巡视党组织（落款单位）：西部科学城重庆高新区党工委",
        "• 巡视时间：2023年10月10日至12月15日",
        "• 反馈日期：2024年1月16日",
        "• 接受监督的联系方式：联系电话：023—68606272；",
    ]
    cleared = await bot.say(ADMIN, "/programme 联系方式 -")
    assert "• 接受监督的联系方式：未设置" in cleared.plain.split("\n")
    async with bot.db.session() as s:
        events = (
            await s.exec(
                select(AuditEvent)
                .where(AuditEvent.action == "programme.facts")
                .order_by(col(AuditEvent.seq))
            )
        ).all()
    assert [json.loads(e.after) for e in events] == [
        {"inspector": "市委第一巡视组"},
        {"organisation": "西部科学城重庆高新区党工委"},
        {"window_end": "2023-12-15", "window_start": "2023-10-10"},
        {"feedback_on": "2024-01-16"},
        {"contact": contact},
        {"contact": ""},
    ]
    assert json.loads(events[-1].before) == {"contact": contact}
    assert all(e.actor == f"tg:{ADMIN.id}" for e in events)


async def test_wrong_facts_say_what_to_type_and_others_may_not_set_them(bot: Bot) -> None:
    await seed(bot)
    reply = await bot.say(ADMIN, "/programme 巡视时间 去年秋天")
    assert (
        reply.plain == "请写明巡视的起止日期，例如 /programme 巡视时间 2023年10月10日至12月15日。"
    )
    reply = await bot.say(ADMIN, "/programme 反馈日期 2024-13-45")
    assert reply.plain == "请写明反馈巡视意见的日期，例如 /programme 反馈日期 2024年1月16日。"
    reply = await bot.say(ADMIN, "/programme 颜色 红")
    assert reply.plain.startswith("可设置的基本情况：派出机关、被巡视党组织（落款单位）、")
    refused = await bot.say(LEADER, "/programme 派出机关 某组")
    assert "仅限" in refused.plain
    async with bot.db.session() as s:
        events = await s.exec(select(AuditEvent).where(AuditEvent.action == "programme.facts"))
        assert not events.all()


async def test_english_words_set_the_same_facts(bot: Bot) -> None:
    await seed(bot, locale="en")
    reply = await bot.say(ADMIN_EN, "/programme window 2023-10-10 2023-12-15")
    assert "• Inspection on site: 10 October 2023 to 15 December 2023" in reply.plain.split("\n")
