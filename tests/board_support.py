"""Helpers for the board's tests: its listener beside the bot, and initData as Telegram signs it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

import aiohttp
from conftest import Bot
from fakebot import BOT_TOKEN, User

from bot import web
from core.domain.initdata import sign


def init_data(user: User, at: datetime, token: str = BOT_TOKEN) -> str:
    """initData for the user, signed at a moment with a bot's token (ours by default)."""
    person = {"id": user.id, "first_name": user.first_name, "language_code": user.language_code}
    return sign(person, bot_token=token, now=at)


@dataclass
class Board:
    """The board's listener of a running bot, and an HTTP client for it."""

    base: str
    http: aiohttp.ClientSession

    async def get(self, path: str, auth: str | None) -> tuple[int, Any]:
        """GET /app/api/<path> with `Authorization: tma <auth>` (none when None)."""
        headers = {} if auth is None else {"Authorization": f"tma {auth}"}
        async with self.http.get(f"{self.base}/app/api/{path}", headers=headers) as r:
            return r.status, await r.json(content_type=None)

    async def post(self, path: str, auth: str, body: Any) -> tuple[int, Any]:
        """POST JSON to /app/api/<path>."""
        headers = {"Authorization": f"tma {auth}"}
        async with self.http.post(f"{self.base}/app/api/{path}", json=body, headers=headers) as r:
            return r.status, await r.json(content_type=None)

    async def as_user(self, bot: Bot, user: User, path: str) -> Any:
        """What the user's board shows at path (asserting 200)."""
        status, body = await self.get(path, init_data(user, bot.clock.now()))
        assert status == 200, (status, body)
        return body


async def open_board(bot: Bot, http: aiohttp.ClientSession) -> Board:
    """Serve the board beside the running bot, on a free port (closed when the bot stops)."""
    runner = await web.serve(bot.app, listen="127.0.0.1", port=0)
    host, port = runner.addresses[0][:2]
    return Board(f"http://{host}:{port}", http)
