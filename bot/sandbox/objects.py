"""The embedded Bot API's objects: users, chats, files, the messages the bot sent, HTML text."""

from __future__ import annotations

import html
import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any

from bot.sandbox.limits import bad_request, utf16_len

JSON = dict[str, Any]

BOT_ID = 7000001
BOT_TOKEN = f"{BOT_ID}:TEST-TOKEN"
BOT_USERNAME = "cadence_test_bot"
BOT_USER: JSON = {
    "id": BOT_ID,
    "is_bot": True,
    "first_name": "Cadence",
    "username": BOT_USERNAME,
    "can_join_groups": True,
    "can_read_all_group_messages": False,
    "supports_inline_queries": False,
}
NOT_MODIFIED = (
    "message is not modified: specified new message content and reply markup are exactly "
    "the same as a current content and reply markup of the message"
)
# Parameters PTB sends as raw strings; everything else arrives JSON-encoded.
_TEXT_PARAMS = frozenset(
    {"text", "caption", "parse_mode", "callback_query_id", "inline_message_id", "file_id"}
    | {"language_code", "url", "document", "photo", "action", "name", "description"}
    | {"short_description", "message_effect_id"}
)
_HTML_TAGS = frozenset(
    {"b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a"}
    | {"code", "pre", "blockquote", "tg-emoji"}
)
_COMMAND = re.compile(r"/[A-Za-z0-9_]{1,32}(@[A-Za-z0-9_]+)?")
_ADMIN_RIGHTS = (
    *("can_manage_chat", "can_delete_messages", "can_manage_video_chats"),
    *("can_restrict_members", "can_promote_members", "can_change_info", "can_invite_users"),
    *("can_post_stories", "can_edit_stories", "can_delete_stories"),
)


@dataclass(frozen=True)
class User:
    """A simulated human Telegram user; their private chat has the same id."""

    id: int
    first_name: str
    username: str | None = None
    language_code: str | None = "zh-hans"

    def to_json(self) -> JSON:
        """The Bot API User object."""
        data: JSON = {"id": self.id, "is_bot": False, "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        if self.language_code:
            data["language_code"] = self.language_code
        return data

    def chat_json(self) -> JSON:
        """The Bot API Chat object of the private chat with this user."""
        data: JSON = {"id": self.id, "type": "private", "first_name": self.first_name}
        if self.username:
            data["username"] = self.username
        return data


@dataclass(frozen=True)
class Chat:
    """A simulated group ("group" or "supergroup", negative id) or channel."""

    id: int
    type: str = "group"
    title: str | None = None

    def to_json(self) -> JSON:
        """The Bot API Chat object."""
        return {"id": self.id, "type": self.type, "title": self.title or f"Chat {self.id}"}


@dataclass(frozen=True)
class Upload:
    """A file part received in a multipart request."""

    filename: str
    content: bytes
    content_type: str


@dataclass(frozen=True)
class StoredFile:
    """A file the server hands out through getFile and /file/bot<token>/<file_path>."""

    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None

    def file_json(self) -> JSON:
        """The Bot API File object."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "file_path": self.file_path,
        }

    def document_json(self) -> JSON:
        """The Bot API Document object."""
        data: JSON = {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
        }
        if self.file_name:
            data["file_name"] = self.file_name
        if self.mime_type:
            data["mime_type"] = self.mime_type
        return data

    def photo_size_json(self, width: int, height: int) -> JSON:
        """The Bot API PhotoSize object."""
        return {
            "file_id": self.file_id,
            "file_unique_id": self.file_unique_id,
            "file_size": len(self.content),
            "width": width,
            "height": height,
        }


@dataclass(frozen=True)
class Revision:
    """The state of a bot message before one edit."""

    method: str
    text: str | None
    reply_markup: JSON | None


@dataclass
class SentMessage:
    """A message the bot sent; `text` is the text or caption exactly as the bot passed it."""

    message_id: int
    chat_id: int
    method: str
    raw: JSON = field(repr=False)
    text: str | None = None
    parse_mode: str | None = None
    reply_markup: JSON | None = None
    reply_to: int | None = None
    document: bytes | None = field(default=None, repr=False)
    filename: str | None = None
    photo: bytes | None = field(default=None, repr=False)
    history: list[Revision] = field(default_factory=list)
    deleted: bool = False

    @property
    def plain(self) -> str:
        """The text as the user sees it, with HTML markup removed."""
        return to_plain(self.text or "", self.parse_mode)

    @property
    def buttons(self) -> list[tuple[str, str]]:
        """Inline buttons as (text, callback_data or url), row by row."""
        return inline_buttons(self.reply_markup)


def inline_buttons(markup: JSON | None) -> list[tuple[str, str]]:
    """Flatten an inline keyboard to (text, callback_data, url or web_app url) pairs."""
    rows: list[list[JSON]] = (markup or {}).get("inline_keyboard", [])
    return [
        (b["text"], b.get("callback_data") or b.get("url") or _web_app(b))
        for row in rows
        for b in row
    ]


def _web_app(button: JSON) -> str:
    return str((button.get("web_app") or {}).get("url") or "")


def decode_params(fields: Mapping[str, str | Upload]) -> JSON:
    """Decode form fields the way the Bot API does: JSON-typed values are parsed."""
    params: JSON = {}
    for key, value in fields.items():
        if isinstance(value, Upload) or key in _TEXT_PARAMS:
            params[key] = value
            continue
        try:
            params[key] = json.loads(value)
        except ValueError:
            params[key] = value
    return params


def command_entities(text: str) -> list[JSON]:
    """A bot_command entity when the text starts with /command or /command@bot."""
    match = _COMMAND.match(text)
    if match is None:
        return []
    return [{"type": "bot_command", "offset": 0, "length": utf16_len(match.group(0))}]


class _HtmlText(HTMLParser):
    """Validates Telegram HTML and collects the visible text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.open: list[str] = []
        self.parts: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _HTML_TAGS:
            raise bad_request(f'can\'t parse entities: Unsupported start tag "{tag}"')
        self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if not self.open or self.open[-1] != tag:
            raise bad_request(f'can\'t parse entities: Unexpected end tag "{tag}"')
        self.open.pop()

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def handle_entityref(self, name: str) -> None:
        if name not in {"lt", "gt", "amp", "quot"}:
            raise bad_request(f'can\'t parse entities: Unsupported HTML entity "&{name};"')
        self.parts.append(html.unescape(f"&{name};"))

    def handle_charref(self, name: str) -> None:
        self.parts.append(html.unescape(f"&#{name};"))


def to_plain(text: str, parse_mode: str | None) -> str:
    """Validate formatted text (HTML only) and return what the user would see."""
    if (parse_mode or "").upper() != "HTML":
        return text
    parser = _HtmlText()
    parser.feed(text)
    parser.close()
    if parser.open:
        raise bad_request(f"can't parse entities: Can't find end tag for \"{parser.open[-1]}\"")
    return "".join(parser.parts)


def member_json(user: JSON, status: str) -> JSON:
    """A Bot API ChatMember object with the fields PTB requires for the status."""
    data: JSON = {"status": status, "user": user}
    if status in ("creator", "administrator"):
        data["is_anonymous"] = False
    if status == "administrator":
        data["can_be_edited"] = False
        data.update(dict.fromkeys(_ADMIN_RIGHTS, True))
    if status == "kicked":
        data["until_date"] = 0
    return data


def full_chat_json(chat: JSON) -> JSON:
    """A Bot API ChatFullInfo object for a chat."""
    gifts = ("unlimited_gifts", "limited_gifts", "unique_gifts", "premium_subscription")
    accepted = dict.fromkeys((*gifts, "gifts_from_channels"), False)
    return {**chat, "accent_color_id": 0, "max_reaction_count": 11, "accepted_gift_types": accepted}


def scope_key(scope: JSON | None, language_code: str | None) -> tuple[str, str]:
    """The key of a command list: canonical scope JSON and language code."""
    return json.dumps(scope or {"type": "default"}, sort_keys=True), language_code or ""


def caption_json(caption: str | None) -> JSON:
    """A caption field, or nothing."""
    return {"caption": caption} if caption else {}
