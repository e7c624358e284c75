"""The Files port (usecases.ports) through the Bot API's getFile."""

from __future__ import annotations

import logging

from telegram import Bot
from telegram.error import BadRequest, TelegramError

from core.domain.binder import downloadable
from core.render.binder import FAILED, TOO_BIG

log = logging.getLogger(__name__)


class BotFiles:
    """Files people sent to the bot, fetched as the bot (up to Telegram's 20 MB for bots)."""

    def __init__(self, bot: Bot) -> None:
        self._bot = bot

    async def fetch(self, file_id: str, size: int | None) -> bytes | str:
        """The file's bytes through getFile, or why there are none (a note for the index)."""
        if not downloadable(size):
            return TOO_BIG
        try:
            found = await self._bot.get_file(file_id)
            return bytes(await found.download_as_bytearray())
        except BadRequest as exc:
            if "too big" in str(exc).lower():
                return TOO_BIG
            log.warning("evidence %s: %s", file_id, exc)
            return FAILED
        except TelegramError as exc:
            log.warning("evidence %s: %s", file_id, exc)
            return FAILED
