"""Telegram's documented Bot API limits, as the fake server enforces them.

Kept apart from the rest of the fake (and from core.render.limits, which the bot uses) so the
fake is an independent check: a bot-side mistake about a limit fails here the way Telegram
would fail it, with Telegram's own error description.
"""

from __future__ import annotations

import re
from typing import Any

MAX_TEXT = 4096  # UTF-16 code units after entity parsing
MAX_CAPTION = 1024
MAX_CALLBACK_DATA = 64  # bytes
MAX_BUTTONS = 100
MAX_CALLBACK_ANSWER = 200
MAX_COMMANDS = 100
MAX_COMMAND_DESCRIPTION = 256
MAX_ALBUM = 10
MAX_UPLOAD = 50 * 1024 * 1024
MAX_DOWNLOAD = 20 * 1024 * 1024
_BOT_COMMAND_NAME = re.compile(r"[a-z0-9_]{1,32}")


class ApiError(Exception):
    """A Bot API failure, answered as {"ok": false, "error_code": ..., "description": ...}."""

    def __init__(self, code: int, description: str) -> None:
        super().__init__(f"{code} {description}")
        self.code = code
        self.description = description


def bad_request(what: str) -> ApiError:
    """A 400 error with Telegram's "Bad Request: ..." wording."""
    return ApiError(400, f"Bad Request: {what}")


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units, the unit of Telegram's text limits and entity offsets."""
    return len(text.encode("utf-16-le")) // 2


def check_text(plain: str, *, edit: bool = False) -> None:
    """sendMessage / editMessageText: 1–4096 UTF-16 units of visible text."""
    if not plain.strip():
        raise bad_request("message text is empty")
    if utf16_len(plain) > MAX_TEXT:
        # editMessageText reports the same fault in TDLib's words
        raise bad_request("MESSAGE_TOO_LONG" if edit else "message is too long")


def check_caption(plain: str) -> None:
    """Captions: 0–1024 UTF-16 units."""
    if utf16_len(plain) > MAX_CAPTION:
        raise bad_request("message caption is too long")


def check_markup(markup: Any, *, private: bool = True) -> None:
    """Inline keyboards: at most 100 buttons, each with text and 1–64 bytes of callback data;
    web_app buttons only in private chats (a group gets BUTTON_TYPE_INVALID, as Telegram says)."""
    if markup is None:
        return
    if not isinstance(markup, dict):
        raise bad_request("can't parse reply keyboard markup JSON object")
    rows = markup.get("inline_keyboard", [])
    if sum(len(row) for row in rows) > MAX_BUTTONS:
        raise bad_request("reply markup is too long")
    for row in rows:
        for button in row:
            if not button.get("text"):
                raise bad_request("text buttons are unallowed in the inline keyboard")
            if "web_app" in button and not private:
                raise bad_request("BUTTON_TYPE_INVALID")
            data = button.get("callback_data")
            if data is not None and not 1 <= len(str(data).encode()) <= MAX_CALLBACK_DATA:
                raise bad_request("BUTTON_DATA_INVALID")


def check_callback_answer(text: Any) -> None:
    """answerCallbackQuery: the notification text is 0–200 characters."""
    if text is not None and len(str(text)) > MAX_CALLBACK_ANSWER:
        raise bad_request("MESSAGE_TOO_LONG")


def check_commands(commands: Any) -> None:
    """setMyCommands: at most 100 commands; names 1–32 of [a-z0-9_]; descriptions 1–256."""
    if not isinstance(commands, list) or len(commands) > MAX_COMMANDS:
        raise bad_request("can't parse commands JSON object")
    for cmd in commands:
        if not _BOT_COMMAND_NAME.fullmatch(str(cmd.get("command", ""))):
            raise bad_request("BOT_COMMAND_INVALID")
        description = str(cmd.get("description", "")).strip()
        if not description:
            raise bad_request("command description must be non-empty")
        if len(description) > MAX_COMMAND_DESCRIPTION:
            raise bad_request("command description is too long")


def check_album(media: Any) -> None:
    """sendMediaGroup: 2–10 items (Telegram documents 2; one item is sent outside an album)."""
    if not isinstance(media, list) or not media:
        raise bad_request("there are no messages to send")
    if len(media) > MAX_ALBUM:
        raise bad_request("too many messages to send as an album")


def check_upload(size: int) -> None:
    """Multipart uploads: at most 50 MB; api.telegram.org refuses larger requests outright."""
    if size > MAX_UPLOAD:
        raise ApiError(413, "Request Entity Too Large")


def check_download(size: int) -> None:
    """getFile: bots download at most 20 MB."""
    if size > MAX_DOWNLOAD:
        raise bad_request("file is too big")
