"""/export progress [2024-09]: the published progress report of a month, as a Word file."""

from __future__ import annotations

from telegram import Update
from telegram.constants import ChatAction

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.months import read_month
from core.domain.report import month_end
from handlers.files import send_files
from usecases.progress import progress_document

FIRST_YEAR = 2000  # as /export report: no programme's ledger is older


async def export_progress(update: Update, context: CadenceContext, month: str) -> None:
    """The report on the month given, else on last month; called by /export (gated there)."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None and context.programme is not None
    t, programme = context.t, context.programme
    now = context.svc.clock.now()
    today = today_in(now, programme.timezone)
    found = read_month(month, today) if month else None
    if month and (found is None or found[0] < FIRST_YEAR or month_end(*found) >= today):
        await message.reply_text(
            t._(
                "Give a month that has ended, from {year} on, for example /export progress 2024-09.",
                year=str(FIRST_YEAR),
            )
        )
        return
    year, number = found or (
        (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    )
    await chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    doc = await progress_document(
        context.session, programme=programme, year=year, month=number, today=today, now=now, t=t
    )
    await send_files(context.bot, chat.id, [doc])
