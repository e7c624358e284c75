"""End to end: the review and the monthly report go through the outbox, retried, once each."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, GROUP, SH, TASKFORCE, Bot
from fakebot import Fault
from rhythm_support import seed, tick
from sqlmodel import col, select
from test_e2e_digests import HEADLINE_ZH, group_say

from storage.models import OutboxMessage


async def _rows(bot: Bot, beat: str) -> list[OutboxMessage]:
    async with bot.db.session() as s:
        found = await s.exec(
            select(OutboxMessage).where(OutboxMessage.beat == beat).order_by(col(OutboxMessage.id))
        )
        return list(found.all())


async def test_monthly_report_survives_server_errors_and_goes_out_once_in_order(
    bot: Bot,
) -> None:
    pid = await seed(bot)
    await group_say(bot, ADMIN, "/setup P")
    await group_say(bot, ADMIN, "/setup P taskforce", chat_id=TASKFORCE.id)
    # the leadership group's first three requests fail: the report's text is retried
    bot.api.faults.next_for(GROUP.id, Fault.BAD_GATEWAY, Fault.SERVER, Fault.FLOOD)
    mark = bot.api.mark()
    await tick(bot, pid, datetime(2024, 10, 8, 10, 5, tzinfo=SH))
    await bot.api.wait_until(
        lambda: len([m for m in bot.api.since(mark) if m.chat_id == GROUP.id]) >= 4, timeout=15
    )
    await bot.api.settle()
    sent = [m for m in bot.api.since(mark) if m.chat_id == GROUP.id]
    assert [m.method for m in sent] == [
        "sendMessage", "sendPhoto", "sendDocument", "sendDocument",
    ]  # fmt: skip
    assert HEADLINE_ZH in sent[0].plain
    assert [m.filename for m in sent[2:]] == [
        "P整改2024年9月进展情况汇报.docx",
        "P整改台账（截至2024年9月30日）.xlsx",
    ]
    assert bot.api.faults.total_injected() == 3
    rows = await _rows(bot, "report")
    assert [(r.key, r.kind, r.state, r.payload) for r in rows] == [
        ("part1", "text", "sent", None),
        ("part2", "photo", "sent", None),  # a sent file is not kept in the database
        ("part3", "document", "sent", None),
        ("part4", "document", "sent", None),
    ]
    assert rows[0].attempts == 4 and [r.message_id for r in rows] == [m.message_id for m in sent]


async def test_review_retried_after_errors_reaches_the_task_force_once(bot: Bot) -> None:
    await seed(bot)
    await group_say(bot, ADMIN, "/setup P taskforce", chat_id=TASKFORCE.id)
    bot.clock.set(datetime(2024, 10, 9, 16, 5, tzinfo=SH))
    await bot.say(ADMIN, "/use P")
    bot.api.faults.next_for(TASKFORCE.id, Fault.SERVER, Fault.RESET)
    mark = bot.api.mark()
    reply = await bot.say(ADMIN, "/review")
    assert reply.plain == "本期（10月9日）已发送，送达1人。"
    reviews = [m for m in bot.api.since(mark) if m.chat_id == TASKFORCE.id]
    assert len(reviews) == 1 and reviews[0].plain.startswith("🔎 P · 半月研判")
    [row] = await _rows(bot, "review")
    assert (row.state, row.attempts, row.message_id) == ("sent", 3, reviews[0].message_id)
