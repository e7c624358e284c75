"""/export: the ledger workbook and the monthly report files, on demand."""

from __future__ import annotations

import re

from telegram import Update
from telegram.constants import ChatAction, ChatType

from bot.clock import today_in
from bot.context import CadenceContext
from bot.domain.model import Role
from bot.domain.report import month_end
from handlers.gate import Where, gate
from jobs import documents
from jobs.digests import monthly_package
from jobs.send import send

MONTH = re.compile(r"^(\d{4})-(0?[1-9]|1[0-2])$")


def month_before(year: int, month: int) -> str:
    """The period key of the month before."""
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


@gate(Role.COORDINATOR, Role.LEADER, where=Where.ANY)
async def export(update: Update, context: CadenceContext) -> None:
    """/export [ledger | report [2024-09]]: files to this chat (private, or the leadership group)."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None and context.programme is not None
    t, programme = context.t, context.programme
    if chat.type != ChatType.PRIVATE and chat.id != programme.leadership_chat_id:
        await message.reply_text(
            t._("Documents go to a private chat with me or to the leadership group.")
        )
        return
    args = [a.lower() for a in context.args or []]
    today = today_in(context.svc.clock.now(), programme.timezone)
    what = args[0] if args else "ledger"
    if what == "ledger" and len(args) <= 1:
        await chat.send_action(ChatAction.UPLOAD_DOCUMENT)
        doc = await documents.ledger(context.session, programme=programme, as_of=today, t=t)
        await documents.post(context.bot, chat.id, [doc])
        return
    if what == "report" and len(args) <= 2:
        period = month_before(today.year, today.month)
        if len(args) == 2:
            found = MONTH.match(args[1])
            if found is None or month_end(int(found[1]), int(found[2])) >= today:
                await message.reply_text(
                    t._("Give a month that has ended, for example /export report 2024-09.")
                )
                return
            period = f"{found[1]}-{int(found[2]):02d}"
        await chat.send_action(ChatAction.UPLOAD_DOCUMENT)
        text, files = await monthly_package(
            context.session, programme=programme, period=period, t=t
        )
        await send(context.bot, chat.id, text)
        await documents.post(context.bot, chat.id, files)
        return
    await message.reply_text(
        t._(
            "Use /export for the ledger workbook, or /export report [2024-09] for a monthly report."
        )
    )
