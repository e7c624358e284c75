"""Sending beat messages: one place that handles unreachable recipients."""

from __future__ import annotations

import logging
from datetime import datetime

from telegram import Bot, InlineKeyboardMarkup, Message
from telegram.error import BadRequest, Forbidden, TelegramError

from core.render.limits import split_text
from storage.models import Person

log = logging.getLogger(__name__)


async def send(
    bot: Bot, chat_id: int, text: str, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Send text (split if long; buttons on the last part); None when it could not be delivered."""
    chunks = split_text(text)
    message = None
    for i, chunk in enumerate(chunks):
        message = await bot.send_message(
            chat_id, chunk, reply_markup=markup if i == len(chunks) - 1 else None
        )
    return message


async def to_person(
    bot: Bot, person: Person, text: str, now: datetime, markup: InlineKeyboardMarkup | None = None
) -> Message | None:
    """Send privately; only a block or an unknown chat marks the person unreachable."""
    if person.telegram_user_id is None:
        return None
    try:
        return await send(bot, person.telegram_user_id, text, markup)
    except (Forbidden, BadRequest) as exc:
        if isinstance(exc, BadRequest) and "chat not found" not in exc.message.lower():
            log.error("message to person %s rejected: %s", person.id, exc.message)
            return None
        log.warning("person %s unreachable: %s", person.id, exc)
        person.unreachable_since = person.unreachable_since or now
        return None
    except TelegramError:
        log.exception("sending to person %s failed", person.id)
        return None
