"""The fake Bot API in a process of its own, driven over a small control endpoint.

The benchmark's bots run in other processes, so their CPU time is theirs alone. A bot process
asks `POST /ctl/run` with a scenario; this process plays the users, waits for every reply and
answers when the scenario is over, so the bot measures its own CPU around one request.
"""

from __future__ import annotations

import asyncio
import sys
import time
from collections.abc import Awaitable, Callable
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from aiohttp import web
from fakebot import FakeTelegram, SentMessage, User

from benchmarks.control import TIMEOUT

Scenario = Callable[[FakeTelegram, dict[str, Any]], Awaitable[None]]


def _user(params: dict[str, Any]) -> User:
    return User(int(params["user"]), "Bench", language_code=params.get("lang", "zh-hans"))


def _reply_to(user: User) -> Callable[[SentMessage], bool]:
    """A message to the user that is not a dispatch: the start's due beat may arrive late."""
    return lambda m: m.chat_id == user.id and not any(d.startswith("md:") for _, d in m.buttons)


async def _next(api: FakeTelegram, user: User, mark: int) -> SentMessage:
    """The bot's next reply to the user after the mark."""
    return (await api.wait_for(_reply_to(user), since=mark, timeout=TIMEOUT))[0]


async def _say(api: FakeTelegram, user: User, text: str) -> SentMessage:
    mark = api.mark()
    api.send_private(user, text)
    return await _next(api, user, mark)


def _edited(message: SentMessage, edits: int) -> bool:
    return len(message.history) > edits


def _data(message: SentMessage, prefix: str, suffix: str = "") -> str:
    found = [d for _, d in message.buttons if d.startswith(prefix) and d.endswith(suffix)]
    assert len(found) == 1, f"no {prefix}…{suffix} button under {message.text!r}"
    return found[0]


async def _texts(api: FakeTelegram, params: dict[str, Any]) -> None:
    """n texts (a command or free text), each waiting for its reply."""
    user = _user(params)
    for k in range(int(params["n"])):
        await _say(api, user, str(params["text"]).replace("{k}", str(k)))


async def _answers(api: FakeTelegram, params: dict[str, Any]) -> None:
    """n owner's answers, 5 updates each: on track, note, percent, no files, save."""
    user, measure = _user(params), int(params["measure"])
    card = await _say(api, user, "/help") if not api.messages_to(user.id) else None
    for k in range(int(params["n"])):
        card = card or api.last_to(user.id)
        mark = api.mark()
        api.press(user, card, f"ans:{measure}:ok")
        await _next(api, user, mark)  # the note, please
        await _say(api, user, f"按计划推进，第{k}次")  # the percentage, please
        files = await _say(api, user, "50")
        mark = api.mark()
        api.press(user, files, _data(files, "f:"))
        confirm = await _next(api, user, mark)
        edits = len(confirm.history)
        api.press(user, confirm, _data(confirm, "c:", ":save"))
        await api.wait_until(partial(_edited, confirm, edits), timeout=TIMEOUT)
        card = None


async def _idle(_api: FakeTelegram, params: dict[str, Any]) -> None:
    """No update for n tenths of a second: what the bot costs when nobody writes."""
    await asyncio.sleep(int(params["n"]) / 10)


SCENARIOS: dict[str, Scenario] = {"texts": _texts, "answers": _answers, "idle": _idle}


async def _run(api: FakeTelegram, request: web.Request) -> web.Response:
    params = await request.json()
    if params.get("first"):  # a warm-up: what the bot does at start (a due beat) ends first
        await api.settle(quiet=0.5, timeout=TIMEOUT)
    updates = len(api.updates)
    started = time.perf_counter()
    await SCENARIOS[params["scenario"]](api, params)
    await api.settle(quiet=0.05, timeout=TIMEOUT)  # the last update's work is done too
    wall = time.perf_counter() - started
    return web.json_response({"updates": len(api.updates) - updates, "wall": wall})


async def _serve() -> None:
    api, done = FakeTelegram(), asyncio.Event()

    async def run(request: web.Request) -> web.Response:
        return await _run(api, request)

    async def stop(_request: web.Request) -> web.Response:
        done.set()
        return web.json_response({"errors": [repr(e) for e in api.errors]})

    def routes(app: web.Application) -> None:
        app.add_routes([web.post("/ctl/run", run), web.post("/ctl/stop", stop)])

    await api.start(routes=routes)
    try:
        print(api.port, flush=True)
        await done.wait()
        await asyncio.sleep(0.1)  # the stop request's answer leaves first
    finally:
        await api.stop()


if __name__ == "__main__":  # the server process: print the port, serve until /ctl/stop
    asyncio.run(_serve())
