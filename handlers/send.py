"""Sending helpers that keep every reply within Telegram's limits (core.render.limits)."""

from __future__ import annotations

from telegram import Bot, CallbackQuery, InlineKeyboardMarkup, Message

from core.render.limits import CALLBACK_ANSWER, fit, split_text
from core.render.plain_keys import Keyboard
from handlers.keys import markup as ptb_markup

__all__ = ["answer_query", "reply_long", "split_text"]


async def reply_long(
    message: Message, text: str, markup: InlineKeyboardMarkup | Keyboard | None = None
) -> Message:
    """Reply with as many messages as the text needs; buttons go under the last one."""
    markup, chunks = ptb_markup(markup), split_text(text)
    sent = message
    for i, chunk in enumerate(chunks):
        sent = await message.reply_text(
            chunk, reply_markup=markup if i == len(chunks) - 1 else None
        )
    return sent


async def send_long(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | Keyboard | None = None
) -> Message:
    """Send the acting person's chat as many messages as the text needs; buttons on the last."""
    markup, chunks = ptb_markup(markup), split_text(text)
    sent: Message | None = None
    for i, chunk in enumerate(chunks):
        sent = await bot.send_message(
            chat_id, chunk, reply_markup=markup if i == len(chunks) - 1 else None
        )
    assert sent is not None
    return sent


async def answer_query(
    query: CallbackQuery, text: str | None = None, *, alert: bool = False
) -> None:
    """Answer a button press; the notification is cut to Telegram's 200 characters."""
    if text is None:
        await query.answer()
        return
    await query.answer(fit(text, CALLBACK_ANSWER[1], count="chars"), show_alert=alert)
