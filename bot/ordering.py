"""Updates of different people run side by side; each person's (and chat's) stay in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

QUEUED = 1024  # updates PTB hands over at once: the people waiting in their own lines count too
RUNNING = 8  # updates under way at once: each may hold a pooled database connection (5 + 10)


class PerPerson(BaseUpdateProcessor):
    """One update at a time per user (per chat when there is no user), RUNNING users at once.

    With every update in one line, a reply waiting for a pacing slot behind a fan-out (two a
    second are left to replies) held up everyone else's updates too (issue 27, Monday 9:00).
    A person's own updates keep their order, so conversations and their states stay sequential.
    A person's line is waited in before a running place is taken, so one person's burst of
    updates does not keep the others out.
    """

    def __init__(self, running: int = RUNNING) -> None:
        super().__init__(QUEUED)
        self._running = asyncio.BoundedSemaphore(running)
        self._lines: dict[int, tuple[asyncio.Lock, list[int]]] = {}  # lock, updates holding it

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this person's previous update and for a running place, then run this one."""
        key = _key(update)
        line, count = self._lines.setdefault(key, (asyncio.Lock(), [0]))
        count[0] += 1
        try:
            async with line, self._running:
                await coroutine
        finally:
            count[0] -= 1
            if not count[0]:  # nobody is waiting in this line: the next update starts a new one
                del self._lines[key]

    async def initialize(self) -> None:
        """Nothing to open."""

    async def shutdown(self) -> None:
        """Nothing to close."""


def _key(update: object) -> int:
    if isinstance(update, Update):
        if update.effective_user is not None:
            return update.effective_user.id
        if update.effective_chat is not None:
            return update.effective_chat.id
    return 0  # anything else: one line of its own
