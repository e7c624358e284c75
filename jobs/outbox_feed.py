"""A delivery run's work: chats in planning order, fed batch by batch while a fan-out is planned."""

from __future__ import annotations

import asyncio
from collections import deque
from collections.abc import Awaitable, Callable


class Feed:
    """Batches of a fan-out committed while its delivery run goes: the run takes each as it comes."""

    def __init__(self) -> None:
        self._more = asyncio.Event()
        self.closed = False

    def committed(self) -> None:
        """Another batch of messages is in the outbox."""
        self._more.set()

    def close(self) -> None:
        """Planning is over (done, or stopped: the rest is resumed later)."""
        self.closed = True
        self._more.set()

    async def wait(self) -> None:
        """Until the next batch is committed or planning is over."""
        await self._more.wait()
        self._more.clear()


class Work:
    """Queued messages by chat: one chat's go one after the other, in the order planned, even
    when a later batch adds to a chat whose earlier message is still going out."""

    def __init__(
        self, fetch: Callable[[], Awaitable[list[tuple[int, int]]]], feed: Feed | None
    ) -> None:
        self._fetch, self._feed = fetch, feed
        self._chats: asyncio.Queue[int] = asyncio.Queue()
        self._rows: dict[int, deque[int]] = {}  # chat -> its rows not taken yet (chat in work)
        self._seen: set[int] = set()
        self._lock = asyncio.Lock()
        self._final = False  # the last look after planning ended has been taken

    @property
    def chats(self) -> int:
        """Chats in work now."""
        return len(self._rows)

    def add(self, ids: list[tuple[int, int]]) -> int:
        """Put new (id, chat) rows in work; how many were new."""
        new = 0
        for row_id, chat_id in ids:
            if row_id in self._seen:
                continue
            self._seen.add(row_id)
            new += 1
            if chat_id in self._rows:
                self._rows[chat_id].append(row_id)
            else:
                self._rows[chat_id] = deque([row_id])
                self._chats.put_nowait(chat_id)
        return new

    def next_row(self, chat_id: int) -> int | None:
        """The chat's next row, or None: the chat is out of work (a later batch starts it anew)."""
        rows = self._rows[chat_id]
        if rows:
            return rows.popleft()
        del self._rows[chat_id]
        return None

    async def next_chat(self) -> int | None:
        """A chat to work on; None when there is nothing left and no batch is to come."""
        while self._chats.empty():
            if not await self._refill():
                return None
        return self._chats.get_nowait()

    async def _refill(self) -> bool:
        """Wait for the next batch of the feed and take its rows; False when none will come."""
        async with self._lock:
            while self._chats.empty():
                if self._feed is None or self._final:
                    return False
                await self._feed.wait()
                self._final = self._feed.closed
                self.add(await self._fetch())
            return True
