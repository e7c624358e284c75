"""Waiting on a condition instead of sleeping a fixed time: for what the fake Bot API cannot see."""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Awaitable, Callable

Condition = Callable[[], bool | Awaitable[bool]]


async def until(condition: Condition, *, timeout: float = 5.0, what: str = "") -> None:  # noqa: ASYNC109
    """Wait until condition() (sync or async) holds; AssertionError after the timeout.

    The poll is short (a loop turn for a plain check, 20 ms for a database query): the test goes
    on as soon as the thing it waits for is true, never after a guessed delay.
    """
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while True:
        met = condition()
        if inspect.isawaitable(met):
            met = await met
            pause = 0.02
        else:
            pause = 0.005
        if met:
            return
        if loop.time() >= deadline:
            raise AssertionError(f"not met in {timeout}s: {what or condition}")
        await asyncio.sleep(pause)
