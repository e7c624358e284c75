"""Which timeouts may hide a delivery: the Bot API has no idempotency key, so those go twice."""

from __future__ import annotations

import httpx  # PTB's own HTTP client (its dependency): the kind of timeout is httpx's
from telegram.error import TelegramError, TimedOut


def may_have_arrived(exc: TelegramError) -> bool:
    """A timeout once the request had left: Telegram may have sent the message already.

    A connect or pool timeout never left this process, so its retry cannot be a duplicate.
    """
    left = not isinstance(exc.__cause__, httpx.ConnectTimeout | httpx.PoolTimeout)
    return isinstance(exc, TimedOut) and left
