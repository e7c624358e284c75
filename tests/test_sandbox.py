"""The sandbox end to end: the real bot on the embedded server, played through the page's API."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import aiohttp
import pytest_asyncio

from bot.sandbox.page import Page
from bot.sandbox.runner import Sandbox
from bot.settings import Settings

JSON = dict[str, Any]


class Browser:
    """What the page's JavaScript does, as plain HTTP calls."""

    def __init__(self, http: aiohttp.ClientSession, sandbox: Sandbox) -> None:
        self.http, self.sandbox, self.base = http, sandbox, sandbox.url.rstrip("/")

    async def get(self, path: str) -> Any:
        async with self.http.get(self.base + path) as res:
            assert res.status == 200, await res.text()
            return await res.json()

    async def post(self, path: str, body: JSON) -> Any:
        async with self.http.post(self.base + path, json=body) as res:
            assert res.status == 200, await res.text()
            return await res.json()

    async def world(self) -> JSON:
        return dict(await self.get("/api/world"))

    async def person(self, name: str) -> int:
        return next(p["id"] for p in (await self.world())["people"] if p["name"] == name)

    async def chat(self, chat_id: int, as_: int | None = None) -> list[JSON]:
        return list((await self.get(f"/api/chat/{chat_id}?as={as_ or chat_id}"))["messages"])

    async def until(
        self, chat_id: int, done: Callable[[list[JSON]], bool], timeout: float = 10.0
    ) -> list[JSON]:
        """The chat once done(messages) holds, waiting on the page's change feed."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while not done(messages := await self.chat(chat_id)):
            assert loop.time() < deadline, f"not reached in {timeout}s: {messages}"
            version = (await self.world())["version"]
            async with self.http.get(f"{self.base}/api/wait?version={version}") as res:
                await res.read()
            await asyncio.sleep(0.05)  # the bot may answer in several requests
        return messages

    async def say(self, as_: int, chat: int, text: str, **kw: Any) -> JSON:
        """Send a message and return the bot's first answer after it."""
        before = len(await self.chat(chat, as_))
        await self.post("/api/send", {"as": as_, "chat": chat, "text": text, **kw})
        after = await self.until(chat, lambda m: len(m) > before + 1 and m[-1]["bot"])
        return after[before + 1]


@pytest_asyncio.fixture
async def browser(tmp_path: Path) -> AsyncIterator[Browser]:
    sandbox = Sandbox(Settings(_env_file=None), port=0, folder=tmp_path / "data")
    await sandbox.start(Page(sandbox).routes)
    try:
        async with aiohttp.ClientSession() as http:
            yield Browser(http, sandbox)
    finally:
        await sandbox.stop()
    assert not sandbox.server.errors, sandbox.server.errors


async def test_play_an_owner_and_a_leader_then_reset(browser: Browser) -> None:
    world = await browser.world()
    print(world)
    owner = await browser.person("城市管理局联络员")
    result = await browser.post("/api/beat", {"beat": "dispatch"})
    print(result)
    [dispatch] = await browser.until(owner, lambda m: len(m) == 1)
    print(dispatch)
    answer = await browser.post(
        "/api/press",
        {"as": owner, "chat": owner, "message_id": dispatch["id"], "data": dispatch["buttons"][0][0]["data"]},
    )
    print(answer)
    messages = await browser.until(owner, lambda m: len(m) >= 2 or m[0]["edited"])
    print(messages)
    reply = await browser.say(owner, owner, "/my")
    print(reply)
