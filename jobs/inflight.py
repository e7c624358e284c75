"""How many sends may be out at once, from before the request leaves until its answer is recorded."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Callable


class InFlight:
    """At most `limit` sends between leaving and being recorded; a notice goes before a fan-out.

    The Bot API has no idempotency key, so a message Telegram took whose record a crash lost is
    sent again: the limit bounds how many that can be after one kill.
    """

    def __init__(self, limit: int) -> None:
        self.limit = max(1, limit)
        self.held = 0
        self.peak = 0  # the most held at once, for tests and benchmarks
        self._notices: deque[asyncio.Future[None]] = deque()
        self._bulk: deque[asyncio.Future[None]] = deque()

    async def acquire(self, *, bulk: bool) -> Callable[[], None]:
        """Wait for a place; call the result once the answer is recorded (or the send failed)."""
        ahead = bool(self._notices) or (bulk and bool(self._bulk))
        if self.held < self.limit and not ahead:
            self._take()
        else:
            waiter = asyncio.get_running_loop().create_future()
            queue = self._bulk if bulk else self._notices
            queue.append(waiter)
            try:
                await waiter  # the place was taken for us when we were woken
            except BaseException:
                if waiter.done() and not waiter.cancelled():
                    self._leave()  # the place came as we were cancelled: hand it on
                elif waiter in queue:  # not yet passed over by a release
                    queue.remove(waiter)
                raise
        done = False

        def release() -> None:
            nonlocal done
            if not done:
                done = True
                self._leave()

        return release

    def _take(self) -> None:
        self.held += 1
        self.peak = max(self.peak, self.held)

    def _leave(self) -> None:
        self.held -= 1
        while self.held < self.limit and (self._notices or self._bulk):
            waiter = (self._notices or self._bulk).popleft()
            if not waiter.done():
                self._take()
                waiter.set_result(None)
