"""Telegram's 30 messages a second, shared by every process on one database (the bot, a CLI beat,
webhook replicas): each claims slots in small batches, so together they never exceed it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

from storage import budget
from storage.db import Database

log = logging.getLogger(__name__)

BATCH = 10  # slots one claim may take: a fan-out makes about one claim per ten messages
START_WITHIN = 0.25  # a claimed slot not handed to a request by then is given back
# how long the database counts a grant before its answers are in: covers a request that
# leaves within START_WITHIN and is answered within HOLD - 1 - START_WITHIN (1.75 s); once
# they are, the next claim writes its real end (one second after the last answer)
HOLD = 3.0
POLL = 0.25  # longest wait before asking again while every slot is held
OUTAGE = 5.0  # after a failed claim, pace locally this long before asking the database again


@dataclass(eq=False)
class Grant:
    """Slots this process claimed: handed to requests, answered, and when the last one frees."""

    id: int
    slots: int
    at: float  # wall time of the claim
    handed: int = 0
    answered: int = 0
    free_at: float = 0.0  # one second after the latest answer

    def open(self, now: float) -> bool:
        """Whether a slot may still be handed out."""
        return self.handed < self.slots and now <= self.at + START_WITHIN

    def ended(self, now: float) -> float | None:
        """When its slots free (wall time), once no request of it can still leave; else None."""
        if self.open(now) or self.answered < self.handed:
            return None
        return max(self.free_at, self.at) if self.handed else self.at


LOCAL = Grant(0, 0, 0.0)  # the database could not be asked: paced by this process alone


class SharedBudget:
    """The slots this process holds of the budget shared through the database."""

    def __init__(
        self,
        database: Callable[[], Database],
        *,
        per_second: int = 30,
        wall: Callable[[], float] = time.time,
    ) -> None:
        self._database = database
        self.per_second = per_second
        self._wall = wall
        self._grants: list[Grant] = []  # claimed and not yet settled in the database
        self._lock = asyncio.Lock()
        self._wanting = 0
        self._recent: deque[float] = deque()  # when slots were handed out, lately
        self._next_try = 0.0  # wall time before which no claim is tried (all slots held)
        self._down_until = 0.0
        self._ready: Database | None = None  # the budget's database whose table is known to exist
        self.claims = 0  # round trips made (the benchmark reports them)

    async def take(self, limit: int | None = None) -> Grant:
        """A slot for one request, waiting for one; `limit` caps what all holders may hold."""
        self._wanting += 1
        try:
            while True:
                if (grant := self._hand()) is not None:
                    return grant
                async with self._lock:
                    await asyncio.sleep(0)  # requests arriving together share this claim
                    if (grant := self._hand()) is not None:
                        return grant
                    wait = await self._claim(limit or self.per_second)
                    if wait is None:
                        return LOCAL
                if wait > 0:
                    await asyncio.sleep(wait)
        finally:
            self._wanting -= 1

    def done(self, grant: Grant) -> None:
        """Telegram answered (or the request failed): the slot frees one second from now."""
        if grant is LOCAL:
            return
        grant.answered += 1
        grant.free_at = max(grant.free_at, self._wall() + 1.0)

    def _hand(self) -> Grant | None:
        now = self._wall()
        for grant in self._grants:
            if grant.open(now):
                grant.handed += 1
                self._recent.append(now)
                return grant
        return None

    def _want(self, now: float) -> int:
        """Slots to claim: those waiting, plus as many as were handed out in the last claim's
        window (a fan-out's next arrivals), so a fan-out claims in batches and a reply alone."""
        while self._recent and self._recent[0] < now - START_WITHIN:
            self._recent.popleft()
        return min(BATCH, max(1, self._wanting + len(self._recent)))

    def _settlements(self, now: float) -> list[tuple[Grant, int, int | None]]:
        """What the database must learn: slots never handed out, and the real end once known."""
        out: list[tuple[Grant, int, int | None]] = []
        for g in self._grants:
            if g.open(now):
                continue
            ends = g.ended(now)
            if ends is not None:
                out.append((g, g.handed, int(ends * 1000)))
            elif g.handed < g.slots:
                out.append((g, g.handed, None))
        return out

    async def _claim(self, limit: int) -> float | None:
        """Claim slots; seconds to wait if none is free, None if the database cannot be asked."""
        now = self._wall()
        if now < self._down_until:
            return None
        if now < self._next_try:
            return self._next_try - now
        settle = self._settlements(now)
        try:
            db = self._database().pacing()
            if db is not self._ready:
                await budget.ready(db)
                self._ready = db
            async with db.session() as s:
                got = await budget.claim(
                    s,
                    want=self._want(now),
                    limit=limit,
                    now_ms=int(now * 1000),
                    hold_ms=int(HOLD * 1000),
                    settle=[(g.id, slots, ends) for g, slots, ends in settle],
                )
        except Exception as exc:  # the database is down or busy: Telegram's limits still hold
            log.warning("pacing budget unavailable (%s): pacing this process alone", exc)
            self._down_until = self._wall() + OUTAGE
            return None
        finally:
            self.claims += 1
        for g, slots, _ in settle:
            g.slots = slots  # a closed grant hands out no more, so this is the end of it
        done = {g for g, _, ends in settle if ends is not None}
        self._grants = [g for g in self._grants if g not in done]
        if got.grant is not None:
            # handed out from now: a claim that waited for a busy database still gets used
            self._grants.append(Grant(got.grant, got.slots, self._wall()))
            return 0.0
        soonest = got.soonest_ms / 1000 if got.soonest_ms is not None else now + POLL
        # our own grants whose answers come in may free slots before the database knows
        mine = [g.free_at for g in self._grants if g.handed and g.free_at > now]
        self._next_try = min([soonest, now + POLL, *mine])
        return max(0.005, self._next_try - now)
