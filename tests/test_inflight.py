"""The sender's window: at most `limit` sends out and unrecorded; a notice overtakes a fan-out."""

from __future__ import annotations

import asyncio

from wait_support import until

from jobs.inflight import InFlight


async def _soon(job: asyncio.Future[object] | asyncio.Task[object], seconds: float = 0.05) -> bool:
    done, _ = await asyncio.wait({job}, timeout=seconds)
    return bool(done)


async def test_no_more_than_the_limit_are_out_and_a_notice_goes_first() -> None:
    window = InFlight(2)
    held = [await asyncio.wait_for(window.acquire(bulk=True), 0.1) for _ in range(2)]
    bulk = asyncio.ensure_future(window.acquire(bulk=True))
    assert not await _soon(bulk)  # two out: the fan-out's next waits for a record
    notice = asyncio.ensure_future(window.acquire(bulk=False))
    assert not await _soon(notice)  # a notice waits too, but ahead of the fan-out
    held[0]()
    held[0]()  # a second call frees nothing more
    assert await _soon(notice)
    assert not await _soon(bulk)
    (await notice)()
    assert await _soon(bulk)
    (await bulk)()
    held[1]()
    assert (window.held, window.peak) == (0, 2)


async def test_a_cancelled_wait_gives_its_place_on() -> None:
    window = InFlight(1)
    first = await window.acquire(bulk=True)
    waiting = [asyncio.ensure_future(window.acquire(bulk=True)) for _ in range(2)]
    await until(lambda: len(window._bulk) == 2, what="both waiting")
    waiting[0].cancel()
    first()
    assert await _soon(waiting[1])
    assert waiting[0].cancelled()
    (await waiting[1])()
    assert window.held == 0
