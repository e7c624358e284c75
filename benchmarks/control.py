"""The control requests a bot process sends to the benchmark's fake Bot API process."""

from __future__ import annotations

import asyncio
from typing import Any

from aiohttp import ClientSession, ClientTimeout

TIMEOUT = 60.0  # for one step of a scenario; a whole run may take ten times as long


async def control(
    http: ClientSession, port: int, path: str, body: dict[str, Any]
) -> dict[str, Any]:
    """One control request (from a bot process, or the benchmark to stop the server)."""
    async with http.post(f"http://127.0.0.1:{port}/ctl/{path}", json=body) as response:
        result: dict[str, Any] = await response.json()
        return result


def session() -> ClientSession:
    """A client for control requests, opened before anything is measured."""
    return ClientSession(timeout=ClientTimeout(total=TIMEOUT * 10))


async def stop(proc: asyncio.subprocess.Process) -> None:
    """End a benchmarked bot process: SIGTERM, then SIGKILL if it outlives 30 s."""
    proc.terminate()
    try:
        await asyncio.wait_for(proc.wait(), 30)
    except TimeoutError:
        proc.kill()
        await proc.wait()
