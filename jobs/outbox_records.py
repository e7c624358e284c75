"""The sender's database side: leases taken and given back, deliveries and failures recorded."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.exc import OperationalError
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bot.context import Services
from jobs.outbox_requests import unreachable
from jobs.timeouts import may_have_arrived
from storage import outbox, timeouts
from storage.models import OutboxMessage, Person

log = logging.getLogger(__name__)
RECORD_TRIES = 6  # about 12 s of retries on top of the database's own busy timeout
# database sessions the workers hold at once: below the pool's 5, so a burst of freed pacing slots
# opens no overflow connections (on SQLite each is a thread with its own page cache and heap,
# kept by the process after the fan-out) and leaves one for people's updates
SESSIONS = 4


@dataclass
class Delivery:
    """What one delivery run did."""

    sent: int = 0
    held: int = 0  # recipient unreachable (blocked, chat not found)
    failed: int = 0  # given up: rejected by Telegram or the period ended
    pending: int = 0  # transient failures, still queued for the next run
    errors: list[str] = field(default_factory=list)


class Records:
    """What the sender writes, each in its own short transaction."""

    def __init__(self, svc: Services, *, lease: float) -> None:
        self.svc, self.lease = svc, lease
        self._sessions = asyncio.Semaphore(SESSIONS)
        # deliveries waiting for the record being written, and that write
        self._sent: list[tuple[OutboxMessage, int, asyncio.Future[None]]] = []
        self._writing: asyncio.Future[None] | None = None

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A database session, at most SESSIONS of the sender's at a time."""
        async with self._sessions, self.svc.database.session() as s:
            yield s

    async def queued(self, *, programme_id: int | None, beat: str | None) -> list[tuple[int, int]]:
        """(id, chat) of the messages to send now, in planning order."""
        async with self.session() as s:
            now = self.svc.clock.now()
            return await outbox.queued(s, now=now, programme_id=programme_id, beat=beat)

    async def get(self, row_id: int) -> OutboxMessage | None:
        """One message, as it is now."""
        async with self.session() as s:
            return await outbox.get(s, row_id=row_id)

    async def take(self, row_id: int) -> OutboxMessage | None:
        """Lease the message (one try: the caller retries a busy database without its slot)."""
        wall = datetime.now(UTC)
        async with self.session() as s:
            lease = wall + timedelta(seconds=self.lease)
            return await outbox.take(s, row_id=row_id, lease_until=lease, wall=wall)

    async def take_with_slot(
        self, row_id: int, slot: Callable[[], Awaitable[Callable[[], None]]]
    ) -> tuple[OutboxMessage, Callable[[], None]] | None:
        """A pacing slot (`slot()` gives its release) and the message's lease, taken with it.

        A busy database gives the slot back before each retry: a slot held while the write lock
        is awaited would keep a reply to the same chat waiting for all the retries, while the
        reply's update may be what holds that lock. None: another sender has it, or it is done.
        """
        for attempt in range(RECORD_TRIES):
            release = await slot()
            try:
                taken = await self.take(row_id)
            except OperationalError:
                release()
                if attempt == RECORD_TRIES - 1:
                    raise
                log.warning("taking message %s: database busy, retrying", row_id)
                await asyncio.sleep(0.2 * 2**attempt)
                continue
            except BaseException:
                release()
                raise
            if taken is None:
                release()
                return None
            return taken, release
        raise AssertionError("unreachable")  # pragma: no cover

    async def record(self, row: OutboxMessage, message_id: int) -> None:
        """Record a delivery with the others that come while a record is being written: one
        transaction for them all, so a fan-out's records do not queue for the database."""
        done = asyncio.get_running_loop().create_future()
        self._sent.append((row, message_id, done))
        if self._writing is None or self._writing.done():
            self._writing = asyncio.ensure_future(self._write_sent())
        await done

    async def _write_sent(self) -> None:
        while self._sent:
            batch, self._sent = self._sent, []
            try:
                await self._record_all([(row, message_id) for row, message_id, _ in batch])
            except BaseException as exc:  # each waiter sees it: the message stays queued
                for _, _, done in batch:
                    if not done.done():
                        done.set_exception(exc)
                if not isinstance(exc, Exception):
                    raise
                continue
            for _, _, done in batch:
                if not done.done():
                    done.set_result(None)

    async def _record_all(self, sent: list[tuple[OutboxMessage, int]]) -> None:
        """Record deliveries, retrying a busy database: an unrecorded message would go twice."""
        for attempt in range(RECORD_TRIES):
            try:
                async with self.session() as s:
                    if attempt:  # read afresh: after a failed attempt the objects are expired
                        found = [(await outbox.get(s, row_id=r.id or 0), m) for r, m in sent]
                        sent = [(row, m) for row, m in found if row is not None]
                    await outbox.mark_all_sent(s, sent=sent, at=self.svc.clock.now())
                return
            except OperationalError:
                if attempt == RECORD_TRIES - 1:
                    raise
                log.warning("recording %s messages: database busy, retrying", len(sent))
                await asyncio.sleep(0.2 * 2**attempt)

    async def unlease(self, row_id: int) -> None:
        """Give a message not sent back to the queue at once (after a stop)."""
        async with self.session() as s:
            fresh = await outbox.get(s, row_id=row_id)
            if fresh is not None and fresh.state == outbox.QUEUED:
                await outbox.release(s, row=fresh)

    async def failed(self, row: OutboxMessage, exc: TelegramError, wait: float, left: float) -> str:
        """Record a failed attempt; say whether to retry now, later, or not at all."""
        now = self.svc.clock.now()
        transient = isinstance(exc, RetryAfter | NetworkError) and not isinstance(exc, BadRequest)
        async with self.session() as s:
            if may_have_arrived(exc):  # counted where /status of every process sees it
                timeouts.note(s, row=row, at=now)
            if unreachable(exc):
                log.warning("chat %s unreachable (%s): held", row.chat_id, exc.message)
                await outbox.finish(s, row=row, state=outbox.HELD, error=exc.message)
                await _mark_unreachable(s, row.person_id, now)
                return "held"
            if not transient:
                log.error("message %s to %s rejected: %s", row.id, row.chat_id, exc.message)
                await outbox.finish(s, row=row, state=outbox.FAILED, error=exc.message)
                return "failed"
            if now >= row.expires_at:
                await outbox.finish(s, row=row, state=outbox.FAILED, error=exc.message)
                return "failed"
            log.info("message %s to %s: %s; retry in %.1fs", row.id, row.chat_id, exc, wait)
            await outbox.release(s, row=row, error=exc.message)
            return "retry" if wait <= left else "pending"


async def _mark_unreachable(session: AsyncSession, person_id: int | None, now: datetime) -> None:
    person = await session.get(Person, person_id) if person_id else None
    if person is not None and person.unreachable_since is None:
        person.unreachable_since = now
        session.add(person)
