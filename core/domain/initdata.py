"""Telegram Mini App initData: check its signature and age (core.telegram.org/bots/webapps)."""

from __future__ import annotations

import hashlib
import hmac
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum
from urllib.parse import parse_qsl, urlencode

MAX_LENGTH = 4096  # Telegram's initData is well under this; a longer header is not from it


class Refusal(StrEnum):
    """Why initData does not identify anyone."""

    UNSIGNED = "unsigned"
    FORGED = "forged"
    STALE = "stale"


class InitDataError(Exception):
    """initData that must not be believed (HTTP 401)."""

    def __init__(self, refusal: Refusal) -> None:
        super().__init__(refusal.value)
        self.refusal = refusal


@dataclass(frozen=True)
class WebAppUser:
    """Who opened the Mini App, as Telegram signed it."""

    user_id: int
    first_name: str
    language_code: str | None
    auth_date: datetime
    start_param: str | None = None


def _secret(bot_token: str) -> bytes:
    # the key is the constant and the message the token: the reverse of the Login Widget's scheme
    return hmac.new(b"WebAppData", bot_token.encode(), hashlib.sha256).digest()


def check_string(fields: dict[str, str]) -> str:
    """The data-check-string: every field but hash, sorted by key, as key=value lines."""
    return "\n".join(f"{k}={v}" for k, v in sorted(fields.items()) if k != "hash")


def digest(fields: dict[str, str], bot_token: str) -> str:
    """The hex HMAC-SHA256 Telegram puts in `hash` for these fields and this bot."""
    return hmac.new(_secret(bot_token), check_string(fields).encode(), hashlib.sha256).hexdigest()


def check(init_data: str, *, bot_token: str, now: datetime, max_age: timedelta) -> WebAppUser:
    """The signed user of initData; InitDataError when unsigned, forged, other-bot or stale."""
    if not init_data or len(init_data) > MAX_LENGTH:
        raise InitDataError(Refusal.UNSIGNED)
    try:
        pairs = parse_qsl(init_data, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        raise InitDataError(Refusal.UNSIGNED) from None
    fields = dict(pairs)
    if len(fields) != len(pairs):  # a repeated key could sign one value and show another
        raise InitDataError(Refusal.FORGED)
    given = fields.get("hash", "")
    if not given:
        raise InitDataError(Refusal.UNSIGNED)
    if not hmac.compare_digest(given, digest(fields, bot_token)):
        raise InitDataError(Refusal.FORGED)  # another bot's token signs differently too
    try:
        signed_at = datetime.fromtimestamp(int(fields.get("auth_date", "")), UTC)
        user = json.loads(fields.get("user", ""))
        user_id = int(user["id"])
    except (ValueError, KeyError, TypeError, OverflowError, OSError):
        raise InitDataError(Refusal.UNSIGNED) from None
    if now - signed_at > max_age or signed_at - now > timedelta(minutes=5):
        raise InitDataError(Refusal.STALE)
    return WebAppUser(
        user_id=user_id,
        first_name=str(user.get("first_name", "")),
        language_code=user.get("language_code"),
        auth_date=signed_at,
        start_param=fields.get("start_param"),
    )


def sign(user: dict[str, object], *, bot_token: str, now: datetime, **extra: str) -> str:
    """initData as Telegram would send it for this user (the sandbox and the tests)."""
    fields = {
        "query_id": "AAH" + str(user.get("id", "")),
        "user": json.dumps(user, ensure_ascii=False, separators=(",", ":")),
        "auth_date": str(int(now.timestamp())),
        **extra,
    }
    return urlencode({**fields, "hash": digest(fields, bot_token)})
