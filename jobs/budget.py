"""Telegram's 30 messages a second, shared by every process on one database (the bot, a CLI beat,
webhook replicas): each claims slots in small batches, so together they never exceed it."""

from __future__ import annotations

import asyncio
import logging
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

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
    """Slots this process claimed, as the database counts them, and what became of them."""

    id: int
    slots: int
    at: float  # wall time of the claim
    handed: int = 0
    frees: list[float] = field(default_factory=list)  # one second after each answer
    until: float | None = None  # the end written; None: still the claim's provisional one

    def open(self, now: float) -> bool:
        """Whether a slot may still be handed out."""
        return self.handed < self.slots and now <= self.at + START_WITHIN

    def held(self, now: float) -> tuple[int, float | None]:
        """Slots it still holds at `now`, and when the last frees (None while one is unanswered)."""
        pending = self.handed - len(self.frees)
        later = [f for f in self.frees if f > now]
        return pending + len(later), None if pending else max(later, default=now)


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
        grant.frees.append(self._wall() + 1.0)

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

    def _settlements(self, now: float) -> list[tuple[Grant, int, float | None]]:
        """What the database must learn of grants closed since: the slots they still hold now
        (a slot frees one second after its answer) and, once every answer is in, their end."""
        out: list[tuple[Grant, int, float | None]] = []
        for g in self._grants:
            if g.open(now):
                continue
            slots, ends = g.held(now)
            if (slots, ends) != (g.slots, g.until):
                out.append((g, slots, ends))
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
                    settle=[(g.id, n, None if e is None else int(e * 1000)) for g, n, e in settle],
                )
        except Exception as exc:  # the database is down or busy: Telegram's limits still hold
            log.warning("pacing budget unavailable (%s): pacing this process alone", exc)
            self._down_until = self._wall() + OUTAGE
            return None
        finally:
            self.claims += 1
        for g, slots, ends in settle:
            g.slots, g.until = slots, ends
        self._grants = [g for g in self._grants if g.slots > 0]
        if got.grant is not None:
            # handed out from now: a claim that waited for a busy database still gets used
            self._grants.append(Grant(got.grant, got.slots, self._wall()))
            return 0.0
        soonest = got.soonest_ms / 1000 if got.soonest_ms is not None else now + POLL
        # our own grants whose answers come in may free slots before the database knows
        mine = [f for g in self._grants for f in g.frees if f > now]
        self._next_try = min([soonest, now + POLL, *mine])
        return max(0.005, self._next_try - now)
