"""One part of an outbox message as its Bot API request: a text, a file, a file by id, or an edit."""

from __future__ import annotations

import json
from typing import Any

from telegram import Bot, InlineKeyboardMarkup, InputMediaDocument, InputMediaPhoto, Message
from telegram.error import BadRequest, Forbidden, TelegramError

from jobs.pacing import PACED
from storage.models import OutboxMessage
from usecases.notices import EDIT

FILE_IDS = frozenset({"album", "doc_id", "photo_id"})  # text: the file id, or a JSON album


async def send_part(bot: Bot, row: OutboxMessage, chunk: str, *, last: bool, waiting: float) -> int:
    """Send one part of a message (buttons on the last); the id Telegram gave it."""
    waits: dict[str, Any] = {
        "read_timeout": waiting,
        "write_timeout": waiting,
        "connect_timeout": waiting,
        "pool_timeout": waiting,
        **_paced(bot),
    }
    markup = _markup(row) if last else None
    if row.kind == "text":
        return (await bot.send_message(row.chat_id, chunk, reply_markup=markup, **waits)).message_id
    if row.kind == EDIT:  # a message already out, edited in place
        return await _edited(bot, row, markup, waits)
    if row.kind in FILE_IDS:  # a file Telegram has already: by its file id
        return (await _by_file_id(bot, row, waits)).message_id
    send = bot.send_photo if row.kind == "photo" else bot.send_document
    sent = await send(
        row.chat_id,
        row.payload or b"",
        caption=row.text or None,
        filename=row.filename,
        reply_markup=markup,
        **waits,
    )
    return sent.message_id


def unreachable(exc: TelegramError) -> bool:
    """Only a block (403) or an unknown chat means the person cannot be reached now."""
    return isinstance(exc, Forbidden) or (
        isinstance(exc, BadRequest) and "chat not found" in exc.message.lower()
    )


def _markup(row: OutboxMessage) -> InlineKeyboardMarkup | None:
    if not row.markup:
        return None
    return InlineKeyboardMarkup.de_json(json.loads(row.markup), None)


async def _by_file_id(bot: Bot, row: OutboxMessage, waits: dict[str, Any]) -> Message:
    """Evidence forwarded by file id: one document or photo, or an album of them."""
    if row.kind == "doc_id":
        return await bot.send_document(row.chat_id, row.text, **waits)
    if row.kind == "photo_id":
        return await bot.send_photo(row.chat_id, row.text, **waits)
    media = [
        InputMediaDocument(file_id) if kind == "document" else InputMediaPhoto(file_id)
        for kind, file_id in json.loads(row.text)
    ]
    return (await bot.send_media_group(row.chat_id, media, **waits))[-1]


async def _edited(
    bot: Bot, row: OutboxMessage, markup: InlineKeyboardMarkup | None, waits: dict[str, Any]
) -> int:
    """Edit a message already out (a request's copy, once decided); its id. An edit that changes
    nothing is done already (a retry after a lost answer, say)."""
    try:
        await bot.edit_message_text(
            row.text, row.chat_id, row.message_id, reply_markup=markup, **waits
        )
    except BadRequest as exc:
        if "not modified" not in exc.message.lower():
            raise
    return row.message_id or 0


def _paced(bot: Bot) -> dict[str, Any]:
    """The sender holds the pacing slot and retries itself, so a PTB rate limiter must not."""
    return {"rate_limit_args": PACED} if getattr(bot, "rate_limiter", None) is not None else {}
