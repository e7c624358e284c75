"""Which timeouts may hide a delivery: the Bot API has no idempotency key, so those go twice."""

from __future__ import annotations

import aiohttp  # the bot's transport (bot/transport.py): its connect timeouts never left
import httpx  # PTB's own HTTP client, still a plain Bot()'s transport
from telegram.error import TelegramError, TimedOut


def may_have_arrived(exc: TelegramError) -> bool:
    """A timeout once the request had left: Telegram may have sent the message already.

    A connect or pool timeout never left this process, so its retry cannot be a duplicate.
    """
    unsent = httpx.ConnectTimeout | httpx.PoolTimeout | aiohttp.ConnectionTimeoutError
    left = not isinstance(exc.__cause__, unsent)
    return isinstance(exc, TimedOut) and left
