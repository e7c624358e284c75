"""The one sender for the bot and the CLI: delivers queued outbox messages, paced and retried."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import weakref
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from telegram import Bot
from telegram.error import RetryAfter, TelegramError

from bot.context import Services
from core.render.limits import split_text
from jobs.budget import SharedBudget
from jobs.inflight import InFlight
from jobs.outbox_feed import Feed, Work
from jobs.outbox_records import Delivery, Records
from jobs.outbox_requests import send_part
from jobs.pacing import PacedLimiter, Pacer, retry_after_seconds
from storage.models import OutboxMessage
from usecases.notices import NOTICE

__all__ = ["Delivery", "Sender", "deliver_notices", "sender_of"]

log = logging.getLogger(__name__)
WORKERS = 40  # more than the 30/s global slots, so pacing, not workers, sets the speed


@dataclass
class _Job:
    """One message being delivered: its row, parts already sent, failed attempts."""

    row: OutboxMessage
    done: int = 0
    attempt: int = 0
    part: asyncio.Future[None] | None = None  # the request in flight, if any
    leased: bool = False  # this run asked for the lease (it may hold it even if cancelled then)


class Sender:
    """Takes queued messages by lease, sends them within Telegram's limits, records each at once."""

    def __init__(
        self,
        svc: Services,
        *,
        retry_base: float = 1.0,
        retry_max: float = 60.0,
        timeout: float = 10.0,
        lease: float = 60.0,
        in_flight: int = 10,
    ) -> None:
        self.svc = svc
        self.retry_base, self.retry_max = retry_base, retry_max
        self.timeout = timeout
        self.records = Records(svc, lease=lease)
        self._runs: set[asyncio.Task[Any]] = set()
        # messages a run of this process is working on: the lease guards other processes, but a
        # record that comes late (a busy database) must not let this process's next run resend
        self._inflight: set[int] = set()
        self._aborted: weakref.WeakSet[asyncio.Task[Any]] = weakref.WeakSet()
        self._parts: set[asyncio.Future[None]] = set()  # requests in flight, recorded on return
        self._own_pacer = Pacer()  # for a plain Bot without our rate limiter
        # sends out and not yet recorded: all a kill can make go twice (no idempotency key)
        self.window = InFlight(in_flight)
        self._budget = SharedBudget(lambda: svc.database)  # for a pacer not yet sharing one
        self._idle = asyncio.Event()  # set while no delivery run is in progress
        self._idle.set()

    @property
    def busy(self) -> bool:
        """Whether a delivery run is in progress."""
        return bool(self._runs)

    def abort(self) -> None:
        """Stop every delivery run at once (at shutdown); what is queued resumes at the next start."""
        for run in self._runs:
            self._aborted.add(run)
            run.cancel()

    async def stop(self) -> None:
        """Abort, then wait for the requests already sent to be answered and recorded."""
        self.abort()
        # a request's own timeout bounds this; a stuck one is left to its lease
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self.timeout + 1
        # the runs first: a cancelled message frees its lease on the way out, and that clean-up
        # joins _parts only then (a lease left behind would hold the message back for a minute)
        if self._runs:
            # a run's task may go on after the run: wait for the run to leave, not the task
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), timeout=self.timeout + 1)
        if self._parts:
            await asyncio.wait(set(self._parts), timeout=max(0.0, deadline - loop.time()))

    async def deliver(
        self,
        bot: Bot,
        *,
        programme_id: int | None = None,
        budget: float = 120.0,
        beat: str | None = None,
        feed: Feed | None = None,
    ) -> Delivery:
        """Send what is queued; transient failures are retried with backoff for `budget` seconds.

        `feed`: a fan-out still being planned; its batches are taken as they are committed.
        """
        ids = await self.records.queued(programme_id=programme_id, beat=beat)
        result = Delivery()
        if not ids and feed is None:
            return result
        log.info("delivering %s queued messages", len(ids))
        loop = asyncio.get_running_loop()
        deadline = loop.time() + budget

        async def fetch() -> list[tuple[int, int]]:
            return await self.records.queued(programme_id=programme_id, beat=beat)

        work = Work(fetch, feed)
        work.add(ids)

        async def worker() -> None:
            while (chat_id := await work.next_chat()) is not None:
                while (row_id := work.next_row(chat_id)) is not None:
                    try:
                        await self._one(bot, row_id, deadline, result)
                    except Exception:  # the database, most likely: the next run takes it again
                        log.exception("delivering message %s failed; left queued", row_id)
                        result.pending += 1

        me = asyncio.current_task()
        assert me is not None
        self._runs.add(me)
        self._idle.clear()
        try:
            n = WORKERS if feed is not None else min(WORKERS, work.chats)
            await asyncio.gather(*(worker() for _ in range(n)))
        except asyncio.CancelledError:
            if me not in self._aborted:
                raise
            log.info("delivery stopped: %s; the rest stays queued", result)
        finally:
            self._runs.discard(me)
            if not self._runs:
                self._idle.set()
        return result

    async def _one(self, bot: Bot, row_id: int, deadline: float, result: Delivery) -> None:
        if row_id in self._inflight:
            return
        self._inflight.add(row_id)
        try:
            await self._one_of_mine(bot, row_id, deadline, result)
        finally:
            self._inflight.discard(row_id)

    async def _one_of_mine(self, bot: Bot, row_id: int, deadline: float, result: Delivery) -> None:
        loop = asyncio.get_running_loop()
        row = await self.records.get(row_id)
        if row is None:
            return
        job = _Job(row)
        while True:
            try:
                mine = await self._send(bot, job)
            except asyncio.CancelledError:
                # stopped: free the message for the next run at once, but only after a request
                # in flight has had its answer (a delivery recorded is never put back); one never
                # leased (still waiting for a pacing slot) has nothing to give back, so a stop
                # does not wait for a write per waiting worker
                if job.leased:
                    await asyncio.shield(self._track(self._settle(row_id, job.part)))
                raise
            except TelegramError as exc:
                job.attempt += 1
                wait = self._backoff(bot, job.row, exc, job.attempt)
                outcome = await self.records.failed(job.row, exc, wait, deadline - loop.time())
                if outcome == "retry":
                    await asyncio.sleep(wait)
                    continue
                setattr(result, outcome, getattr(result, outcome) + 1)
                if outcome != "pending":
                    result.errors.append(f"{job.row.key}: {exc.message}")
                return
            result.sent += mine
            return

    async def _send(self, bot: Bot, job: _Job) -> bool:
        """Send the parts not sent yet (buttons on the last); a retry never repeats a part.

        The lease is taken once a pacing slot is held, so it only has to cover one request;
        the slot is freed at Telegram's answer, before our commit, so recording deliveries
        does not slow the pacing; a place in the sender's window is held until the commit, so
        at most `in_flight` messages are ever out and unrecorded. False when another sender has
        the message or it is done.
        """
        chunks = split_text(job.row.text) if job.row.kind == "text" else [job.row.text]
        first = job.done
        for i in range(first, len(chunks)):
            # a notice answers someone's action: it goes before a fan-out's next message
            bulk = job.row.beat != NOTICE
            if i == first:
                held = await self._slot_and_lease(bot, job, bulk)
                if held is None:
                    return False
                release = held
            else:
                release = await self._pacer(bot).acquire(job.row.chat_id, bulk=bulk)
            try:  # after the lease: its write is not part of what a kill can repeat
                recorded = await self.window.acquire(bulk=bulk)
            except BaseException:
                release()
                raise
            # shielded: once a part leaves, it is recorded even if the run is stopped now
            # the window's place is held until the record: only then may another send leave
            sent = self._part(bot, job, chunks, i, release)
            part = job.part = self._track(_then(sent, recorded))
            await asyncio.shield(part)
        return True

    def _track(self, work: Any) -> asyncio.Future[None]:
        """Run work that must finish even if its run is stopped; stop() waits for it."""
        future: asyncio.Future[None] = asyncio.ensure_future(work)
        self._parts.add(future)
        future.add_done_callback(self._parts.discard)
        return future

    async def _settle(self, row_id: int, part: asyncio.Future[None] | None) -> None:
        """After a stop: wait for the request in flight, then give back a message not sent."""
        if part is not None:
            await asyncio.wait({part})
            if not part.cancelled():
                part.exception()  # seen here: its failure leaves the message queued
        # by id: after a failed record the row object is expired and cannot be read
        await self.records.unlease(row_id)

    async def _slot_and_lease(self, bot: Bot, job: _Job, bulk: bool) -> Callable[[], None] | None:
        """A pacing slot and the message's lease (None: another sender has it, or it is done)."""

        async def slot() -> Callable[[], None]:
            release = await self._pacer(bot).acquire(job.row.chat_id, bulk=bulk)
            job.leased = True
            return release

        held = await self.records.take_with_slot(job.row.id or 0, slot)
        if held is None:
            return None
        job.row, release = held
        return release

    async def _part(
        self, bot: Bot, job: _Job, chunks: list[str], i: int, release: Callable[[], None]
    ) -> None:
        last = i == len(chunks) - 1
        try:
            message_id = await send_part(bot, job.row, chunks[i], last=last, waiting=self.timeout)
        finally:
            release()  # the window starts at Telegram's answer, not after our commit
        job.done = i + 1
        if last:
            await self.records.record(job.row, message_id)

    def _pacer(self, bot: Bot) -> Pacer:
        limiter = getattr(bot, "rate_limiter", None)
        pacer = limiter.pacer if isinstance(limiter, PacedLimiter) else self._own_pacer
        pacer.share(self._budget)  # every process on the database paces within one budget
        return pacer

    def _backoff(self, bot: Bot, row: OutboxMessage, exc: TelegramError, attempt: int) -> float:
        if isinstance(exc, RetryAfter):
            self._pacer(bot).pause(row.chat_id, retry_after_seconds(exc))
            return retry_after_seconds(exc)
        return float(min(self.retry_max, self.retry_base * 2 ** (attempt - 1)))


async def _then(work: Awaitable[None], done: Callable[[], None]) -> None:
    """Run work, then call done whatever happened."""
    try:
        await work
    finally:
        done()


def deliver_notices(svc: Services, bot: Bot, app: Any) -> None:
    """Deliver the notices a committed transaction planned, beside the update loop."""
    task = app.create_task(sender_of(svc).deliver(bot, beat=NOTICE, budget=30.0))
    svc.track(task)


def sender_of(svc: Services) -> Sender:
    """The process's one sender (created on first use from the settings)."""
    found = svc.sender
    if not isinstance(found, Sender):
        cfg = svc.settings
        found = Sender(
            svc,
            retry_base=cfg.cadence_retry_seconds,
            timeout=cfg.cadence_send_timeout,
            lease=cfg.cadence_lease_seconds,
            in_flight=cfg.cadence_send_in_flight,
        )
        svc.sender = found
    return found
