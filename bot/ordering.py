"""Updates of different people run side by side; each person's (and chat's) stay in order."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any

from telegram import Update
from telegram.ext import BaseUpdateProcessor

CONCURRENT = 64  # people served at once; more wait for a free place


class PerPerson(BaseUpdateProcessor):
    """One update at a time per user (per chat when there is no user), any number of users.

    With every update in one line, a reply waiting for a pacing slot behind a fan-out (two a
    second are left to replies) held up everyone else's updates too (issue 27, Monday 9:00).
    A person's own updates keep their order, so conversations and their states stay sequential.
    """

    def __init__(self, max_concurrent_updates: int = CONCURRENT) -> None:
        super().__init__(max_concurrent_updates)
        self._lines: dict[int, tuple[asyncio.Lock, list[int]]] = {}  # lock, updates holding it

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        """Wait for this person's previous update, then run this one."""
        key = _key(update)
        line, count = self._lines.setdefault(key, (asyncio.Lock(), [0]))
        count[0] += 1
        try:
            async with line:
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
