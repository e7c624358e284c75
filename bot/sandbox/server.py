"""The embedded Bot API server on 127.0.0.1: the real Bot API over HTTP, plus simulated users.

The sandbox (`python -m bot sandbox`) runs the unmodified bot against it, and the test suite
drives the bot through it (tests/fakebot.py adds fault injection and waiting helpers).
"""

from __future__ import annotations

import asyncio
import contextlib
import inspect
import json
import mimetypes
import socket
import time
from collections.abc import Callable
from typing import Self

from aiohttp import web

from bot.sandbox.limits import ApiError
from bot.sandbox.objects import (
    BOT_ID,
    BOT_TOKEN,
    JSON,
    Chat,
    SentMessage,
    Upload,
    User,
    caption_json,
    command_entities,
    decode_params,
)
from bot.sandbox.state import BotApiState

Routes = Callable[[web.Application], None]
_ALWAYS_TRUE = (
    *("close", "logOut", "sendChatAction"),
    *("setMyName", "setMyDescription", "setMyShortDescription"),
)


class BotApiServer(BotApiState):
    """Bot API HTTP server plus simulated users; all state is public for inspection."""

    def __init__(self, *, token: str = BOT_TOKEN, allow_unknown_chats: bool = True) -> None:
        super().__init__(token=token, allow_unknown_chats=allow_unknown_chats)
        self.requests: list[tuple[str, JSON]] = []
        self.updates: list[JSON] = []
        self.errors: list[BaseException] = []
        self.port = 0
        self._pending: list[JSON] = []
        self._changed = asyncio.Event()
        self._inflight = 0
        self._last_activity = time.monotonic()
        self._mark = 0
        self._closing = False
        self._runner: web.AppRunner | None = None
        self._methods = self.api_methods()
        self._methods.update({n.lower(): (n, lambda p: True) for n in _ALWAYS_TRUE})

    # ---- lifecycle -------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        """For ApplicationBuilder().base_url(...)."""
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        """For ApplicationBuilder().base_file_url(...)."""
        return f"http://127.0.0.1:{self.port}/file/bot"

    async def start(self, port: int = 0, routes: Routes | None = None) -> None:
        """Listen on a loopback port (0: a free one), with more routes if given (the page)."""
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._handle_api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._handle_file)
        if routes is not None:
            routes(app)
        self._runner = web.AppRunner(
            app, access_log=None, shutdown_timeout=1.0, handler_cancellation=True
        )
        await self._runner.setup()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind(("127.0.0.1", port))
        self.port = sock.getsockname()[1]
        await web.SockSite(self._runner, sock).start()

    async def stop(self) -> None:
        """Release pending long polls and shut the server down."""
        self._closing = True
        self._notify()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    # ---- HTTP ------------------------------------------------------------------------------

    async def _handle_api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        entry = self._methods.get(request.match_info["method"].lower())
        if entry is None:
            return _error(404, "Not Found")
        name, handler = entry
        params = decode_params(await _read_fields(request))
        self.requests.append((name, params))
        if (refused := await self.intercept(request, name, params)) is not None:
            self._touch(True)
            return refused
        tracked = name != "getUpdates"
        self._inflight += tracked
        self._touch(tracked)
        try:
            result = handler(params)
            if inspect.isawaitable(result):
                result = await result
        except ApiError as err:
            return _error(err.code, err.description)
        except Exception as err:
            self.errors.append(err)
            return _error(500, f"Internal Server Error: fake {name} failed: {err!r}")
        finally:
            self._inflight -= tracked
            self._touch(tracked)
        return web.json_response({"ok": True, "result": result})

    async def intercept(
        self, request: web.Request, method: str, params: JSON
    ) -> web.Response | None:
        """A response that replaces handling the request (tests inject faults); None: handle it."""
        return None

    async def _handle_file(self, request: web.Request) -> web.Response:
        path = request.match_info["path"]
        found = next((f for f in self.files.values() if f.file_path == path), None)
        if request.match_info["token"] != self.token or found is None:
            return _error(404, "Not Found")
        return web.Response(body=found.content, content_type="application/octet-stream")

    def _touch(self, tracked: bool) -> None:
        if tracked:
            self._last_activity = time.monotonic()
        self._notify()

    def _notify(self) -> None:
        self._changed.set()
        self._changed = asyncio.Event()

    async def _wait_change(self, seconds: float) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._changed.wait(), max(seconds, 0.0))

    # ---- updates ---------------------------------------------------------------------------

    async def _api_getUpdates(self, p: JSON) -> list[JSON]:
        offset, before = int(p.get("offset", 0)), len(self._pending)
        if offset > 0:
            self._pending = [u for u in self._pending if u["update_id"] >= offset]
        elif offset < 0:
            self._pending = self._pending[offset:]
        self._touch(len(self._pending) < before)  # a confirmation restarts settle()'s quiet
        deadline = time.monotonic() + float(p.get("timeout", 0))
        while not self._pending and not self._closing and time.monotonic() < deadline:
            await self._wait_change(deadline - time.monotonic())
        return self._pending[: max(1, min(100, int(p.get("limit", 100))))]

    def _api_deleteWebhook(self, p: JSON) -> bool:
        if p.get("drop_pending_updates"):
            self._pending.clear()
        return True

    def _enqueue(self, update: JSON) -> None:
        update = {"update_id": 100000 + len(self.updates), **update}
        self.updates.append(update)
        self._pending.append(update)
        self._touch(True)

    # ---- simulated users -------------------------------------------------------------------

    def send_private(
        self, user: User, text: str, *, reply_to: SentMessage | int | None = None
    ) -> JSON:
        """The user writes to the bot in private; returns the Message JSON."""
        return self._user_message(user, None, {"text": text}, reply_to)

    def send_start(self, user: User, payload: str | None = None) -> JSON:
        """The user opens t.me/<bot>?start=<payload> (or just sends /start)."""
        return self.send_private(user, f"/start {payload}" if payload else "/start")

    def send_group(
        self, chat: Chat, user: User, text: str, *, reply_to: SentMessage | int | None = None
    ) -> JSON:
        """The user writes in a group; returns the Message JSON."""
        return self._user_message(user, chat, {"text": text}, reply_to)

    def upload_document(
        self,
        user: User,
        filename: str,
        content: bytes,
        *,
        mime_type: str | None = None,
        caption: str | None = None,
        chat: Chat | None = None,
        reply_to: SentMessage | int | None = None,
    ) -> JSON:
        """The user sends a file; getFile and the file URL then serve `content`."""
        mime = mime_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
        stored = self.store_file(content, "documents", filename, mime)
        body = {"document": stored.document_json(), **caption_json(caption)}
        return self._user_message(user, chat, body, reply_to)

    def resend_document(
        self,
        user: User,
        file_id: str,
        *,
        caption: str | None = None,
        reply_to: SentMessage | int | None = None,
    ) -> JSON:
        """The user sends a file already on Telegram again (forwarded, or picked from a chat):
        as on Telegram, a new file_id may come, the file_unique_id is the same."""
        found = self.files[file_id]
        stored = self.alias_file(found)
        body = {"document": stored.document_json(), **caption_json(caption)}
        return self._user_message(user, None, body, reply_to)

    def upload_photo(
        self,
        user: User,
        content: bytes,
        caption: str | None = None,
        reply_to: SentMessage | int | None = None,
        *,
        chat: Chat | None = None,
    ) -> JSON:
        """The user sends a photo (two PhotoSizes, both serving `content`)."""
        stored = self.store_file(content, "photos", None, "image/jpeg")
        body = {"photo": self.photo_sizes(stored), **caption_json(caption)}
        return self._user_message(user, chat, body, reply_to)

    def press(self, user: User, message: SentMessage, data: str) -> JSON:
        """The user taps an inline button of a bot message; any data may be forged."""
        self.introduce(user)
        query_id = f"{next(self._ids) * 7919}"
        self._answered[query_id] = None
        query = {
            "id": query_id,
            "from": user.to_json(),
            "message": dict(message.raw),
            "chat_instance": str(message.chat_id),
            "data": data,
        }
        self._enqueue({"callback_query": query})
        self._mark = len(self.sent)
        return query

    def click(self, user: User, message: SentMessage, label: str) -> JSON:
        """Press the inline button whose text is `label`."""
        for text, data in message.buttons:
            if text == label:
                return self.press(user, message, data)
        raise AssertionError(f"no button {label!r} in {message.buttons}")

    def _user_message(
        self, user: User, chat: Chat | None, body: JSON, reply_to: SentMessage | int | None
    ) -> JSON:
        self.introduce(user, *([chat] if chat else []))
        chat_id = chat.id if chat else user.id
        message = {**self.new_message(chat_id, user.to_json()), **body}
        if entities := command_entities(body.get("text", "")):
            message["entities"] = entities
        reply_id = reply_to.message_id if isinstance(reply_to, SentMessage) else reply_to
        if reply_id is not None:
            assert (chat_id, reply_id) in self._messages, f"no message {reply_id} in {chat_id}"
            message["reply_to_message"] = self._messages[(chat_id, reply_id)]
        self._messages[(chat_id, message["message_id"])] = message
        to_bot = message.get("reply_to_message", {}).get("from", {}).get("id") == BOT_ID
        if chat is None or not self.privacy_mode or entities or to_bot:
            self._enqueue({"message": message})
        self._mark = len(self.sent)
        return message


def _error(code: int, description: str) -> web.Response:
    body = {"ok": False, "error_code": code, "description": description}
    return web.json_response(body, status=code)


async def _read_fields(request: web.Request) -> dict[str, str | Upload]:
    fields: dict[str, str | Upload] = dict(request.query)
    if not request.body_exists:
        return fields
    if request.content_type == "application/json":
        data = await request.json()
        fields.update({k: v if isinstance(v, str) else json.dumps(v) for k, v in data.items()})
        return fields
    for key, value in (await request.post()).items():
        if isinstance(value, web.FileField):
            fields[key] = Upload(value.filename, value.file.read(), value.content_type)
        else:
            fields[key] = value if isinstance(value, str) else value.decode()
    return fields
