"""Telegram's flood limits, kept on our side: 30 messages/s overall, 1/s per private chat, 20/min per group."""

from __future__ import annotations

import asyncio
import contextlib
import warnings
from collections import deque
from collections.abc import AsyncIterator, Callable, Coroutine
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from telegram.error import RetryAfter
from telegram.ext import BaseRateLimiter

from jobs.budget import SharedBudget

# sending methods count towards the limits; edits, callback answers and reads do not
_SENDS = frozenset(
    {"sendMessage", "sendDocument", "sendPhoto", "copyMessage", "forwardMessage"}
    | {"sendMediaGroup", "sendVideo", "sendAudio", "sendVoice", "sendAnimation"}
)


RESERVED = 2  # global slots per second kept for interactive replies while people are active
QUIET = 5.0  # seconds without an interactive send after which a fan-out may use every slot
PACED = -1  # rate_limit_args of a caller that already holds a Pacer slot and retries itself


@dataclass(frozen=True)
class Limits:
    """How many messages per window; 0 per-chat messages means no per-chat pacing."""

    per_second: int = 30
    private_per_second: int = 1
    group_per_minute: int = 20


def retry_after_seconds(exc: RetryAfter) -> float:
    """RetryAfter's wait in seconds, whatever PTB's int/timedelta migration setting."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        value = exc.retry_after
    return value.total_seconds() if isinstance(value, timedelta) else float(value)


class Pacer:
    """Slots that free one window after the request's answer, so the server never sees a burst.

    Releasing after the answer (not after the request left) makes the guarantee independent
    of network jitter: the server saw the request before we got its answer.
    """

    def __init__(self, limits: Limits | None = None) -> None:
        self.limits = limits or Limits()
        self._global: _Slots | None = None
        self._bulk_held = 0
        self._bulk_waiters: deque[asyncio.Future[None]] = deque()
        self._last_interactive = -QUIET
        self._chats: dict[int, asyncio.Semaphore] = {}
        self._paused: dict[int, float] = {}
        self.budget: SharedBudget | None = None

    def share(self, budget: SharedBudget) -> None:
        """Take every send's global slot from the budget shared through the database, too.

        The local slots still pace this process (and alone while the database cannot be asked);
        per-chat limits stay local: one chat's messages come from one process at a time.
        """
        if self.budget is None:
            self.budget = budget

    def _chat(self, chat_id: int) -> tuple[asyncio.Semaphore | None, float]:
        n, window = (
            (self.limits.private_per_second, 1.0)
            if chat_id >= 0
            else (self.limits.group_per_minute, 60.0)
        )
        if n <= 0:
            return None, window
        if chat_id not in self._chats:
            self._chats[chat_id] = asyncio.Semaphore(n)
        return self._chats[chat_id], window

    def pause(self, chat_id: int, seconds: float) -> None:
        """Telegram asked us to wait (429 retry_after): no sends to this chat until then."""
        loop = asyncio.get_running_loop()
        self._paused[chat_id] = max(self._paused.get(chat_id, 0.0), loop.time() + seconds)

    @contextlib.asynccontextmanager
    async def slot(self, chat_id: int, *, bulk: bool = False) -> AsyncIterator[None]:
        """Hold a global and a per-chat slot for one request."""
        release = await self.acquire(chat_id, bulk=bulk)
        try:
            yield
        finally:
            release()

    async def acquire(self, chat_id: int, *, bulk: bool = False) -> Callable[[], None]:
        """Wait for a global and a per-chat slot; call the result once Telegram has answered.

        Bulk sends (beats) use every slot while nobody is talking to the bot, and leave two
        free while people are (an interactive send in the last few seconds), so a reply to
        someone pressing a button does not queue behind a 1,000-message fan-out; and a reply
        waiting for a slot gets the next one to free before any bulk send already waiting.
        """
        loop = asyncio.get_running_loop()
        if bulk:
            await self._bulk_enter()
            try:
                inner = await self._acquire(chat_id, shared_limit=self._bulk_limit(), bulk=True)
            except BaseException:
                self._bulk_leave()
                raise

            def release_bulk() -> None:
                inner()  # freed with the global slot it stood for, one second after the answer
                loop.call_later(1.0, self._bulk_leave)

            return _once(release_bulk)
        self._last_interactive = loop.time()
        return await self._acquire(chat_id)

    def _bulk_limit(self) -> int:
        quiet = asyncio.get_running_loop().time() - self._last_interactive >= QUIET
        return self.limits.per_second if quiet else max(1, self.limits.per_second - RESERVED)

    async def _bulk_enter(self) -> None:
        if not self._bulk_waiters and self._bulk_held < self._bulk_limit():
            self._bulk_held += 1
            return
        waiter = asyncio.get_running_loop().create_future()
        self._bulk_waiters.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self._bulk_leave()  # the slot came as we were cancelled: hand it on
            else:
                self._bulk_waiters.remove(waiter)
            raise

    def _bulk_leave(self) -> None:
        self._bulk_held -= 1
        while self._bulk_waiters and self._bulk_held < self._bulk_limit():
            waiter = self._bulk_waiters.popleft()
            if not waiter.done():
                self._bulk_held += 1
                waiter.set_result(None)

    async def _acquire(
        self, chat_id: int, shared_limit: int | None = None, *, bulk: bool = False
    ) -> Callable[[], None]:
        """A global and a per-chat slot; the global one from the shared budget too, if any."""
        loop = asyncio.get_running_loop()
        if self._global is None:
            self._global = _Slots(self.limits.per_second)
        chat, window = self._chat(chat_id)
        wait = self._paused.get(chat_id, 0.0) - loop.time()
        if wait > 0:  # a pause only ever lengthens while we sleep by the same retry_after
            await asyncio.sleep(wait)
        if chat is not None:
            await chat.acquire()
        try:
            await self._global.acquire(bulk=bulk)
        except BaseException:
            if chat is not None:
                chat.release()
            raise
        global_slots, budget = self._global, self.budget
        try:
            grant = None if budget is None else await budget.take(shared_limit)
        except BaseException:
            global_slots.release()
            if chat is not None:
                chat.release()
            raise

        def release() -> None:
            loop.call_later(1.0, global_slots.release)
            if chat is not None:
                loop.call_later(window, chat.release)
            if budget is not None and grant is not None:
                budget.done(grant)

        return _once(release)


class _Slots:
    """The global slots of a second; a waiting reply gets the next free one before any bulk send.

    With one FIFO, a reply beyond the two reserved slots queued behind the fan-out's requests
    already waiting (issue 27, Monday 9:00): replies waited seconds while 28 bulk sends a second
    went out. The reserve keeps two slots idle for the first replies; the priority serves more.
    """

    def __init__(self, n: int) -> None:
        self._free = n
        self._replies: deque[asyncio.Future[None]] = deque()
        self._bulk: deque[asyncio.Future[None]] = deque()

    async def acquire(self, *, bulk: bool) -> None:
        """Wait for a slot: replies before bulk, each kind in arrival order."""
        ahead = self._replies if not bulk else (self._replies or self._bulk)
        if self._free > 0 and not ahead:
            self._free -= 1
            return
        line = self._bulk if bulk else self._replies
        waiter = asyncio.get_running_loop().create_future()
        line.append(waiter)
        try:
            await waiter
        except BaseException:
            if waiter.done() and not waiter.cancelled():
                self.release()  # the slot came as we were cancelled: hand it on
            else:
                line.remove(waiter)
            raise

    def release(self) -> None:
        """A slot is free again: to the first waiting reply, else to the first bulk send."""
        self._free += 1
        for line in (self._replies, self._bulk):
            while self._free > 0 and line:
                waiter = line.popleft()
                if not waiter.done():
                    self._free -= 1
                    waiter.set_result(None)


def _once(release: Callable[[], None]) -> Callable[[], None]:
    """A release that frees its slots the first time it is called and does nothing after."""
    done = False

    def call() -> None:
        nonlocal done
        if not done:
            done = True
            release()

    return call


class PacedLimiter(BaseRateLimiter[int]):
    """PTB rate limiter over a Pacer; rate_limit_args is how many 429s to retry (default 3)."""

    def __init__(self, pacer: Pacer | None = None, max_retries: int = 3) -> None:
        self.pacer = pacer or Pacer()
        self.max_retries = max_retries

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """Pace sends; on 429 pause the chat for retry_after and retry a few times."""
        chat = data.get("chat_id")
        if endpoint not in _SENDS or not isinstance(chat, int | str):
            return await callback(*args, **kwargs)
        if rate_limit_args == PACED:
            return await callback(*args, **kwargs)
        chat_id = int(chat) if str(chat).lstrip("-").isdigit() else 0
        retries = self.max_retries if rate_limit_args is None else rate_limit_args
        for attempt in range(retries + 1):
            try:
                async with self.pacer.slot(chat_id):
                    return await callback(*args, **kwargs)
            except RetryAfter as exc:
                self.pacer.pause(chat_id, retry_after_seconds(exc))
                if attempt >= retries:
                    raise
        raise AssertionError("unreachable")  # pragma: no cover
