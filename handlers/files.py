"""Files sent to the person who asked for them (an export, a letter), as the reply."""

from __future__ import annotations

from telegram import Bot

from usecases.documents import Document, sendable


async def send_files(bot: Bot, chat_id: int, files: list[Document]) -> None:
    """Send each file to the chat: photos inline, the rest as documents, within upload limits."""
    for kind, f, caption in sendable(files):
        if kind == "photo":
            await bot.send_photo(chat_id, f.data, caption=caption or None, filename=f.filename)
        else:
            await bot.send_document(chat_id, f.data, filename=f.filename, caption=caption or None)
