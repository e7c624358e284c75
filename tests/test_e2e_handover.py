"""End to end: a liaison moves on; /handover gives a new single-use link, the old account is
unbound and told, the successor gets the dispatches, and the audit keeps both."""

from __future__ import annotations

import re
from datetime import datetime

from conftest import ADMIN, SH, Bot
from fakebot import User
from rhythm_support import OWNER_A, OWNER_B, seed, tick
from sqlmodel import col, select

from storage import people
from storage.models import AuditEvent

SUCCESSOR = User(311, "新联络员", language_code="zh-hans")


async def test_handover_by_prefix_binds_the_successor(bot: Bot) -> None:
    pid = await seed(bot)
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/handover 城市管理")  # a unique start of the ledger name
    [reply] = await bot.answers(ADMIN.id, mark)
    link = re.search(r"https://t\.me/cadence_test_bot\?start=(\S+)", reply.plain)
    assert link is not None
    assert reply.plain == (
        "城市管理局联络员工作交接：请将以下链接发给接任人员（14天内有效，仅限使用一次）：\n"
        f"{link[0]}\n原账号已解除绑定，并已通知本人。"
    )
    [told] = [m for m in bot.api.since(mark) if m.chat_id == OWNER_A.id]
    assert told.plain == "您在“P”中的城市管理局联络员职责已由整改专班办理交接，感谢您的辛勤工作。"
    assert (await bot.say(OWNER_A, "/my")).plain == (
        "自9月30日起，您在“P”中的城市管理局联络员职责已由Admin移交给接任人员，"
        "您此前报送的内容仍保留在台账记录中。如仍需参与，请联系整改专班获取新的邀请链接。"
    )
    welcome = await bot.say(SUCCESSOR, f"/start {link[1]}")
    assert "城市管理局联络员" in welcome.plain
    again = await bot.say(OWNER_B, f"/start {link[1]}")
    assert (
        again.plain == "This invite link has already been used. Ask your task force for a new one."
    )

    # the next dispatch goes to the successor only
    mark = bot.api.mark()
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    reached = [m.chat_id for m in bot.api.since(mark) if m.chat_id in (OWNER_A.id, SUCCESSOR.id)]
    assert reached == [SUCCESSOR.id]
    # the audit keeps both accounts
    async with bot.db.session() as s:
        query = select(AuditEvent).where(
            col(AuditEvent.action).in_(["person.handover", "person.bind"])
        )
        events = [(e.action, e.before, e.after) for e in (await s.exec(query)).all()]
    assert ("person.handover", '{"telegram_name": null, "telegram_user_id": 301}') in [
        (a, b) for a, b, _ in events
    ]
    assert ("person.bind", '{"telegram_user_id": 311}') in [(a, after) for a, _, after in events]

    # a name that fits several, and a Telegram name
    several = await bot.say(ADMIN, "/handover 党工委")
    assert several.plain == (
        "“党工委”对应多人：党工委书记、党工委副书记和党工委办公室联络员。请写出更完整的名称。"
    )
    by_telegram = await bot.say(ADMIN, "/handover 新联络员")
    assert by_telegram.plain.split("\n")[0] == "新联络员即整改台账中的城市管理局联络员。"


async def test_handover_in_english(bot: Bot) -> None:
    await seed(bot)
    async with bot.db.session() as s:
        await people.set_pref(s, user_id=ADMIN.id, locale="en")
    usage = await bot.say(ADMIN, "/handover Nobody")
    assert usage.plain == (
        "Usage: /handover NAME, with the person's name as in the ledger (or its start)."
    )
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/handover 建设局联络员")
    [reply] = await bot.answers(ADMIN.id, mark)
    assert reply.plain.split("\n")[0] == (
        "Hand-over of 建设局联络员: send this link to the successor (valid 14 days, works once):"
    )
    [told] = [m for m in bot.api.since(mark) if m.chat_id == OWNER_B.id]
    assert told.plain == (
        "You no longer act as 建设局联络员 in P: the task force handed this role over. "
        "Thank you for your work."
    )
