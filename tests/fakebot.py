"""The test suite's Bot API: the sandbox's embedded server plus fault injection and waiting.

The server itself (bot/sandbox/server.py) is the product's own, shared with `python -m bot
sandbox`, so there is one implementation to keep true to the Bot API; what only tests need
(faults and flood limits, waiting for the bot, inspection shortcuts) lives here.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dtm
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest_asyncio
from aiohttp import web
from fakefaults import SENDS, Fault, Faults
from telegram.ext import Application

from bot.sandbox.objects import (
    BOT_ID,
    BOT_TOKEN,
    JSON,
    Chat,
    Revision,
    SentMessage,
    StoredFile,
    User,
    inline_buttons,
    scope_key,
)
from bot.sandbox.server import BotApiServer

__all__ = ["BOT_ID", "BOT_TOKEN", "Chat", "FakeTelegram", "Revision", "SentMessage", "User"]
__all__ += ["JSON", "Fault", "Faults", "StoredFile", "fake_api", "polling"]

MessageMatch = int | Callable[[SentMessage], bool] | None


class FakeTelegram(BotApiServer):
    """The embedded Bot API server with faults, flood limits and waiting helpers for tests."""

    def __init__(self, *, token: str = BOT_TOKEN, allow_unknown_chats: bool = True) -> None:
        super().__init__(token=token, allow_unknown_chats=allow_unknown_chats)
        self.faults = Faults()  # flood limits (strict mode) and injected failures
        self.open_sends = 0  # send requests received and not answered yet

    async def _handle_api(self, request: web.Request) -> web.Response:
        """Counts the sends in flight; with a latency, the answer comes after the message is kept.

        That is Telegram's own order: a client killed while it waits has sent a message it will
        never hear of.
        """
        send = request.match_info["method"].lower() in SENDS
        self.open_sends += send
        try:
            response = await super()._handle_api(request)
            if send and self.faults.latency and response.status == 200:
                await asyncio.sleep(self.faults.latency)  # kept: a slow Telegram is the fault
            return response
        finally:
            self.open_sends -= send

    async def intercept(
        self, request: web.Request, method: str, params: JSON
    ) -> web.Response | None:
        """Injected faults and flood limits answer before the server handles a request."""
        return await self.faults.intercept(request, method, params)

    # ---- inspection ------------------------------------------------------------------------

    def _summary(self) -> list[tuple[int, str, str | None]]:
        return [(m.chat_id, m.method, m.text) for m in self.sent]

    def mark(self) -> int:
        """A position in `sent`, for since() and wait_for(since=...)."""
        return len(self.sent)

    def since(self, mark: int) -> list[SentMessage]:
        """Messages the bot sent after the mark."""
        return self.sent[mark:]

    def messages_to(self, chat_id: int) -> list[SentMessage]:
        """Every message the bot sent to the chat."""
        return [m for m in self.sent if m.chat_id == chat_id]

    def last_to(self, chat_id: int) -> SentMessage:
        """The latest message the bot sent to the chat (AssertionError if none)."""
        messages = self.messages_to(chat_id)
        assert messages, f"the bot sent nothing to {chat_id}"
        return messages[-1]

    def buttons(self, message: SentMessage) -> list[tuple[str, str]]:
        """Inline buttons of a message as (text, callback_data or url)."""
        return inline_buttons(message.reply_markup)

    def calls(self, method: str) -> list[JSON]:
        """Params of every request to a Bot API method (case-insensitive)."""
        return [p for name, p in self.requests if name.lower() == method.lower()]

    def answer_to(self, query: JSON) -> JSON | None:
        """The answerCallbackQuery params for a pressed query, or None if unanswered."""
        return self._answered.get(query["id"])

    def commands_for(self, scope: str | JSON = "default", language_code: str = "") -> list[JSON]:
        """Commands set for a scope ("all_private_chats" or a BotCommandScope dict) and language."""
        key = scope_key({"type": scope} if isinstance(scope, str) else scope, language_code)
        return self.commands.get(key, [])

    async def wait_until(
        self,
        condition: Callable[[], bool],
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
    ) -> None:
        """Wait until condition() holds; AssertionError after the timeout."""
        deadline = time.monotonic() + timeout
        while not condition():
            if time.monotonic() >= deadline:
                raise AssertionError(f"not met in {timeout}s; bot sent {self._summary()}")
            await self._wait_change(min(0.05, deadline - time.monotonic()))

    async def wait_for(
        self,
        match: MessageMatch = None,
        *,
        timeout: float = 5.0,  # noqa: ASYNC109
        count: int = 1,
        since: int | None = None,
    ) -> list[SentMessage]:
        """The first `count` bot messages to a chat id / matching a predicate after a mark.

        The default mark is the last simulated user action (send_*, upload_*, press).
        """
        start = self._mark if since is None else since

        def found() -> list[SentMessage]:
            messages = self.sent[start:]
            if isinstance(match, int):
                return [m for m in messages if m.chat_id == match]
            return [m for m in messages if match is None or match(m)]

        await self.wait_until(lambda: len(found()) >= count, timeout=timeout)
        return found()[:count]

    async def settle(self, quiet: float = 0.2, timeout: float = 5.0) -> None:  # noqa: ASYNC109
        """Wait until all updates are confirmed and nothing happened for `quiet` seconds."""
        deadline = time.monotonic() + timeout
        while True:
            idle = time.monotonic() - self._last_activity
            if not self._pending and not self._inflight and idle >= quiet:
                return
            if time.monotonic() >= deadline:
                raise AssertionError(f"not settled in {timeout}s; pending {self._pending}")
            await self._wait_change(min(max(quiet - idle, 0.01), deadline - time.monotonic()))


@contextlib.asynccontextmanager
async def polling(app: Application[Any, Any, Any, Any, Any, Any]) -> AsyncIterator[None]:
    """Run an Application with long polling (timeout 1 s) for the duration of the block."""
    assert app.updater is not None
    await app.initialize()
    await app.start()
    await app.updater.start_polling(poll_interval=0.0, timeout=dtm.timedelta(seconds=1))
    try:
        yield
    finally:
        await app.updater.stop()
        await app.stop()
        await app.shutdown()


@pytest_asyncio.fixture
async def fake_api() -> AsyncIterator[FakeTelegram]:
    """A running FakeTelegram; fails the test if the fake itself crashed."""
    async with FakeTelegram() as server:
        yield server
    assert not server.errors, f"fake Bot API crashed: {server.errors!r}"
