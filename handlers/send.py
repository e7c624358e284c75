"""Replies that respect Telegram's message size limit."""

from __future__ import annotations

from telegram import Message

from bot.render.text import split_text


async def reply_long(message: Message, text: str) -> None:
    """Reply with as many messages as the text needs."""
    for chunk in split_text(text):
        await message.reply_text(chunk)
