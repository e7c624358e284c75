"""The embedded Bot API's state: chats, messages, files, and the Bot API methods themselves."""

from __future__ import annotations

import itertools
import mimetypes
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from bot.sandbox.limits import (
    ApiError,
    bad_request,
    check_album,
    check_callback_answer,
    check_caption,
    check_commands,
    check_download,
    check_markup,
    check_text,
    check_upload,
)
from bot.sandbox.objects import (
    BOT_ID,
    BOT_USER,
    JSON,
    NOT_MODIFIED,
    Chat,
    Revision,
    SentMessage,
    StoredFile,
    Upload,
    User,
    caption_json,
    full_chat_json,
    member_json,
    scope_key,
    to_plain,
)


class BotApiState:
    """Telegram's side of the conversation: chats, messages, files and the Bot API methods."""

    def __init__(self, *, token: str, allow_unknown_chats: bool) -> None:
        self.token = token
        self.bot_user: JSON = dict(BOT_USER)
        self.allow_unknown_chats = allow_unknown_chats
        self.now: Callable[[], float] = time.time  # message dates; the sandbox uses its clock
        self.privacy_mode = False  # True: groups deliver only commands and replies to the bot
        self.blocked: set[int] = set()
        self.sent: list[SentMessage] = []
        self.commands: dict[tuple[str, str], list[JSON]] = {}
        self.menu_buttons: dict[int | None, JSON] = {}
        self.members: dict[tuple[int, int], str] = {}  # (chat, user) -> ChatMember status
        self.files: dict[str, StoredFile] = {}
        self.deleted: set[tuple[int, int]] = set()  # (chat id, message id), user or bot
        self._answered: dict[str, JSON | None] = {}  # callback query id -> answer params
        self._chats: dict[int, JSON] = {}
        self._users: dict[int, JSON] = {}
        self._messages: dict[tuple[int, int], JSON] = {}
        self._bot_messages: dict[tuple[int, int], SentMessage] = {}
        self._next_message_id: dict[int, int] = {}
        self._ids = itertools.count(1)

    def api_methods(self) -> dict[str, tuple[str, Callable[[JSON], Any]]]:
        """Bot API methods by lower-case name, as (canonical name, implementation)."""
        names = [a.removeprefix("_api_") for a in dir(self) if a.startswith("_api_")]
        return {n.lower(): (n, getattr(self, "_api_" + n)) for n in names}

    def introduce(self, *who: User | Chat) -> None:
        """Make users/chats known as if they had talked to the bot before."""
        for item in who:
            self._chats[item.id] = item.to_json() if isinstance(item, Chat) else item.chat_json()
            if isinstance(item, User):
                self._users[item.id] = item.to_json()

    def _api_getMe(self, p: JSON) -> JSON:
        return self.bot_user

    def _api_getWebhookInfo(self, p: JSON) -> JSON:
        return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}

    def _api_sendMessage(self, p: JSON) -> JSON:
        chat_id, text = self._target(p), str(p.get("text", ""))
        plain = to_plain(text, p.get("parse_mode"))
        check_text(plain)
        return self._bot_message("sendMessage", chat_id, p, {"text": plain}, text).raw

    def _api_sendDocument(self, p: JSON) -> JSON:
        chat_id, stored = self._target(p), self._file_param(p, p.get("document"), "documents")
        body = {"document": stored.document_json(), **self._caption(p)}
        sent = self._bot_message("sendDocument", chat_id, p, body, p.get("caption"))
        sent.document, sent.filename = stored.content, stored.file_name
        return sent.raw

    def _api_sendPhoto(self, p: JSON) -> JSON:
        chat_id, stored = self._target(p), self._file_param(p, p.get("photo"), "photos")
        body = {"photo": self.photo_sizes(stored), **self._caption(p)}
        sent = self._bot_message("sendPhoto", chat_id, p, body, p.get("caption"))
        sent.photo = stored.content
        return sent.raw

    def _api_sendMediaGroup(self, p: JSON) -> list[JSON]:
        chat_id, media = self._target(p), p.get("media")
        check_album(media)
        assert isinstance(media, list)
        sent = []
        for item in media:
            kind = "photos" if item.get("type") == "photo" else "documents"
            stored = self._file_param(p, item.get("media"), kind)
            body = {"document": stored.document_json(), **self._caption(item)}
            if kind == "photos":
                body = {"photo": self.photo_sizes(stored), **self._caption(item)}
            one = self._bot_message("sendMediaGroup", chat_id, {}, body, item.get("caption"))
            one.document = stored.content
            sent.append(one.raw)
        return sent

    def _api_editMessageText(self, p: JSON) -> JSON | bool:
        text = str(p.get("text", ""))
        plain = to_plain(text, p.get("parse_mode"))
        check_text(plain, edit=True)
        return self._edit("editMessageText", p, "text", {"text": plain})

    def _api_editMessageCaption(self, p: JSON) -> JSON | bool:
        return self._edit("editMessageCaption", p, "caption", self._caption(p))

    def _api_editMessageReplyMarkup(self, p: JSON) -> JSON | bool:
        return self._edit("editMessageReplyMarkup", p, None, {})

    def _api_deleteMessage(self, p: JSON) -> bool:
        key = (p.get("chat_id", 0), p.get("message_id", 0))
        if key not in self._messages or key in self.deleted:
            raise bad_request("message to delete not found")
        self.deleted.add(key)
        if key in self._bot_messages:
            self._bot_messages[key].deleted = True
        return True

    def _api_answerCallbackQuery(self, p: JSON) -> bool:
        query_id = str(p.get("callback_query_id", ""))
        if query_id not in self._answered or self._answered[query_id] is not None:
            raise bad_request(
                "query is too old and response timeout expired or query ID is invalid"
            )
        check_callback_answer(p.get("text"))
        self._answered[query_id] = p
        return True

    def _api_getFile(self, p: JSON) -> JSON:
        stored = self.files.get(str(p.get("file_id", "")))
        if stored is None:
            raise bad_request("invalid file_id")
        check_download(len(stored.content))
        return stored.file_json()

    def _api_setMyCommands(self, p: JSON) -> bool:
        check_commands(p.get("commands"))
        self.commands[scope_key(p.get("scope"), p.get("language_code"))] = p["commands"]
        return True

    def _api_deleteMyCommands(self, p: JSON) -> bool:
        self.commands.pop(scope_key(p.get("scope"), p.get("language_code")), None)
        return True

    def _api_getMyCommands(self, p: JSON) -> list[JSON]:
        return self.commands.get(scope_key(p.get("scope"), p.get("language_code")), [])

    def _api_setChatMenuButton(self, p: JSON) -> bool:
        self.menu_buttons[p.get("chat_id")] = p.get("menu_button") or {"type": "default"}
        return True

    def _api_getChat(self, p: JSON) -> JSON:
        chat = self._chats.get(p.get("chat_id", 0))
        if chat is None:
            raise bad_request("chat not found")
        return full_chat_json(chat)

    def _api_getChatMember(self, p: JSON) -> JSON:
        chat_id, user_id = p.get("chat_id", 0), p.get("user_id", 0)
        user = BOT_USER if user_id == BOT_ID else self._users.get(user_id)
        if user is None:
            raise bad_request("PARTICIPANT_ID_INVALID")
        return member_json(user, self.members.get((chat_id, user_id), "member"))

    def _target(self, p: JSON) -> int:
        chat_id = p.get("chat_id")
        if not isinstance(chat_id, int):
            raise bad_request("chat not found")
        if chat_id in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        if chat_id not in self._chats and not self.allow_unknown_chats:
            if chat_id > 0:
                raise ApiError(403, "Forbidden: bot can't initiate conversation with a user")
            raise bad_request("chat not found")
        return chat_id

    def _caption(self, p: JSON) -> JSON:
        plain = to_plain(str(p.get("caption") or ""), p.get("parse_mode"))
        check_caption(plain)
        return caption_json(plain)

    def _file_param(self, p: JSON, value: Any, folder: str) -> StoredFile:
        if isinstance(value, str) and value.startswith("attach://"):
            value = p.get(value.removeprefix("attach://"))
        if isinstance(value, Upload):
            check_upload(len(value.content))
            return self.store_file(value.content, folder, value.filename, value.content_type)
        if isinstance(value, str) and value in self.files:
            return self.files[value]
        raise bad_request("wrong file identifier/HTTP URL specified")

    def store_file(
        self, content: bytes, folder: str, name: str | None, mime: str | None
    ) -> StoredFile:
        """Keep file bytes so getFile and the download URL serve them."""
        n = next(self._ids)
        suffix = mimetypes.guess_extension(mime or "") or ""
        suffix = "." + name.rsplit(".", 1)[1] if name and "." in name else suffix
        file_path = f"{folder}/file_{n}{suffix}"
        stored = StoredFile(f"FILE{n:06d}-{folder}", f"U{n:06d}", file_path, content, name, mime)
        self.files[stored.file_id] = stored
        return stored

    def alias_file(self, stored: StoredFile) -> StoredFile:
        """The same file under another file_id (its file_unique_id, path and bytes kept)."""
        alias = replace(stored, file_id=f"FILE{next(self._ids):06d}-again")
        self.files[alias.file_id] = alias
        return alias

    def photo_sizes(self, stored: StoredFile) -> list[JSON]:
        """PhotoSize list of a thumbnail and the full photo, both serving the same bytes."""
        thumb = self.store_file(stored.content, "photos", None, stored.mime_type)
        return [thumb.photo_size_json(90, 67), stored.photo_size_json(1280, 960)]

    def _bot_message(
        self, method: str, chat_id: int, p: JSON, body: JSON, text: Any
    ) -> SentMessage:
        markup = p.get("reply_markup")
        check_markup(markup, private=chat_id > 0)  # groups' and channels' ids are negative
        raw: JSON = {**self.new_message(chat_id, BOT_USER), **body}
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            raw["reply_markup"] = markup
        reply = p.get("reply_parameters") or {}
        reply_to = reply.get("message_id") or p.get("reply_to_message_id")
        if reply_to is not None:
            target = self._messages.get((chat_id, reply_to))
            if target is not None:
                raw["reply_to_message"] = target
            elif not reply.get("allow_sending_without_reply"):
                raise bad_request("message to be replied not found")
        sent = SentMessage(raw["message_id"], chat_id, method, raw, text, p.get("parse_mode"))
        sent.reply_markup, sent.reply_to = markup, reply_to
        self._messages[(chat_id, sent.message_id)] = raw
        self._bot_messages[(chat_id, sent.message_id)] = sent
        self.sent.append(sent)
        return sent

    def _edit(self, method: str, p: JSON, key: str | None, body: JSON) -> JSON | bool:
        if "inline_message_id" in p:
            return True
        if p.get("chat_id") in self.blocked:
            raise ApiError(403, "Forbidden: bot was blocked by the user")
        sent = self._bot_messages.get((p.get("chat_id", 0), p.get("message_id", 0)))
        if sent is None or sent.deleted:
            raise bad_request("message to edit not found")
        if key == "text" and "text" not in sent.raw:
            raise bad_request("there is no text in the message to edit")
        markup, text = p.get("reply_markup"), p.get(key) if key else sent.text
        check_markup(markup, private=sent.chat_id > 0)
        same = text == sent.text and (key is None or p.get("parse_mode") == sent.parse_mode)
        if same and markup == sent.reply_markup:
            raise bad_request(NOT_MODIFIED)
        sent.history.append(Revision(sent.method, sent.text, sent.reply_markup))
        sent.method, sent.reply_markup = method, markup
        if key is not None:
            sent.text, sent.parse_mode = text, p.get("parse_mode")
            sent.raw.pop(key, None)
            sent.raw.update(body)
        sent.raw.pop("reply_markup", None)
        if isinstance(markup, dict) and "inline_keyboard" in markup:
            sent.raw["reply_markup"] = markup
        sent.raw["edit_date"] = int(self.now())
        return sent.raw

    def new_message(self, chat_id: int, sender: JSON) -> JSON:
        """Message skeleton with the chat's next message id."""
        message_id = self._next_message_id.get(chat_id, 1)
        self._next_message_id[chat_id] = message_id + 1
        chat = self._chats.get(chat_id) or unknown_chat(chat_id)
        return {"message_id": message_id, "date": int(self.now()), "chat": chat, "from": sender}


def unknown_chat(chat_id: int) -> JSON:
    """A plausible Chat object for a chat id nobody introduced."""
    if chat_id > 0:
        return {"id": chat_id, "type": "private", "first_name": f"User {chat_id}"}
    return {"id": chat_id, "type": "group", "title": f"Chat {chat_id}"}
