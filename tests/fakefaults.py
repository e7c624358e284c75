"""Faults and flood limits for the fake Bot API: Telegram's rate limits and injected failures.

Kept apart from fakebot.py on purpose: the fake's data model validates what Telegram
accepts; this module decides whether a request gets that far at all.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from aiohttp import web

JSON = dict[str, Any]
# what counts as "a message" for the flood limits (edits and callbacks answers do not)
SENDS = frozenset(
    {"sendmessage", "senddocument", "sendphoto", "copymessage", "forwardmessage"}
    | {"sendmediagroup", "sendvideo", "sendaudio", "sendvoice", "sendanimation"}
)


class Fault(StrEnum):
    """A failure the fake can answer a request with."""

    FLOOD = "429"
    SERVER = "500"
    BAD_GATEWAY = "502"
    TIMEOUT = "timeout"  # no answer until the client gives up; the message is not sent
    RESET = "reset"  # the connection is dropped; the message is not sent
    FORBIDDEN = "403"
    BAD_REQUEST = "400"
    CHAT_NOT_FOUND = "chat_not_found"
    GARBAGE = "garbage"  # 200 with a body that is not the Bot API's JSON (a captive portal)


CONFLICT = (
    "Conflict: terminated by other getUpdates request; "
    "make sure that only one bot instance is running"
)
TRANSIENT = (Fault.FLOOD, Fault.SERVER, Fault.BAD_GATEWAY, Fault.TIMEOUT, Fault.RESET)


@dataclass
class Limits:
    """Telegram's flood limits as the fake enforces them in strict mode."""

    per_second: int = 30
    per_private_chat_second: int = 1
    per_group_minute: int = 20


@dataclass
class Faults:
    """What the fake does to send requests before handling them; all counters public."""

    strict: bool = False
    limits: Limits = field(default_factory=Limits)
    random_rate: float = 0.0
    random_kinds: tuple[Fault, ...] = TRANSIENT
    seed: int = 0
    hang: float = 30.0  # how long a TIMEOUT holds the request
    latency: float = 0.0  # how long a send's answer takes after the message was taken
    conflict: bool = False  # another instance polls with this token: getUpdates answers 409
    methods: dict[str, Fault] = field(default_factory=dict)  # every call of a method fails
    injected: dict[Fault, int] = field(default_factory=lambda: defaultdict(int))
    floods: int = 0  # 429s answered because a limit was exceeded
    _per_chat: dict[int, list[Fault]] = field(default_factory=dict)
    _always: dict[int, Fault] = field(default_factory=dict)
    _global: deque[float] = field(default_factory=deque)
    _chats: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))
    _rng: random.Random | None = None

    def at_random(self, rate: float, kinds: tuple[Fault, ...] = TRANSIENT, seed: int = 0) -> None:
        """Fail this share of send requests with a kind drawn from `kinds` (seeded)."""
        self.random_rate, self.random_kinds, self._rng = rate, kinds, random.Random(seed)

    def next_for(self, chat_id: int, *faults: Fault) -> None:
        """The next send requests to this chat fail with these faults, in order."""
        self._per_chat.setdefault(chat_id, []).extend(faults)

    def always(self, chat_id: int, fault: Fault | None) -> None:
        """Every send request to this chat fails with `fault` (None: stop)."""
        if fault is None:
            self._always.pop(chat_id, None)
        else:
            self._always[chat_id] = fault

    def total_injected(self) -> int:
        """How many faults were injected (flood limits not counted)."""
        return sum(self.injected.values())

    async def intercept(
        self, request: web.Request, method: str, params: JSON
    ) -> web.Response | None:
        """A failure response for this request, or None to handle it normally."""
        if self.conflict and method.lower() == "getupdates":
            return _error(409, CONFLICT)
        if (broken := self.methods.get(method.lower())) is not None:
            return await _answer(broken, request, self.hang)
        if method.lower() not in SENDS:
            return None
        chat_id = params.get("chat_id")
        chat = chat_id if isinstance(chat_id, int) else 0
        fault = self._choose(chat)
        if fault is not None:
            self.injected[fault] += 1
            return await _answer(fault, request, self.hang)
        if self.strict and (wait := self._over_limit(chat, time.monotonic())) is not None:
            self.floods += 1
            return _flood(wait)
        return None

    def _choose(self, chat: int) -> Fault | None:
        if chat in self._always:
            return self._always[chat]
        queued = self._per_chat.get(chat)
        if queued:
            return queued.pop(0)
        if self._rng is not None and self._rng.random() < self.random_rate:
            return self._rng.choice(self.random_kinds)
        return None

    def _over_limit(self, chat: int, now: float) -> int | None:
        """Seconds to wait when a limit is exceeded; else record the send and return None."""
        per_chat, window = (
            (self.limits.per_private_chat_second, 1.0)
            if chat >= 0
            else (self.limits.per_group_minute, 60.0)
        )
        sent, mine = self._global, self._chats[chat]
        for q, span in ((sent, 1.0), (mine, window)):
            while q and q[0] <= now - span:
                q.popleft()
        waits = []
        if len(sent) >= self.limits.per_second:
            waits.append(sent[0] + 1.0 - now)
        if len(mine) >= per_chat:
            waits.append(mine[0] + window - now)
        if waits:
            return max(1, math.ceil(max(waits)))
        sent.append(now)
        mine.append(now)
        return None


def _error(code: int, description: str, parameters: JSON | None = None) -> web.Response:
    body: JSON = {"ok": False, "error_code": code, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=code)


def _flood(retry_after: int) -> web.Response:
    return _error(
        429, f"Too Many Requests: retry after {retry_after}", {"retry_after": retry_after}
    )


async def _answer(fault: Fault, request: web.Request, hang: float) -> web.Response:
    if fault is Fault.TIMEOUT:
        await asyncio.sleep(hang)  # kept: a hung Telegram; the client times out first (cancelled)
        return _error(504, "Gateway Timeout")
    if fault is Fault.GARBAGE:
        return web.Response(text="<html><body>Service unavailable</body></html>")
    if fault is Fault.RESET:
        assert request.transport is not None
        request.transport.abort()
        raise ConnectionResetError("fault injected: connection reset")
    answers = {
        Fault.FLOOD: _flood(1),
        Fault.SERVER: _error(500, "Internal Server Error"),
        Fault.BAD_GATEWAY: _error(502, "Bad Gateway"),
        Fault.FORBIDDEN: _error(403, "Forbidden: bot was blocked by the user"),
        Fault.BAD_REQUEST: _error(400, "Bad Request: message text is empty"),
        Fault.CHAT_NOT_FOUND: _error(400, "Bad Request: chat not found"),
    }
    return answers[fault]
