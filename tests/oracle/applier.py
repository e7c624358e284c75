"""Play a generated history through the product's storage functions, as handlers and jobs do.

One session (one transaction) per step, the clock pinned to the event's moment: what a handler
calls for an answer, a sign-off or an extension, what the dispatch beat and the outbox sender
write, what an import writes. Telegram itself is left out (tests/oracle/test_bot_cases.py plays
a few histories through the real bot).
"""

from __future__ import annotations

import itertools
from collections.abc import Awaitable, Callable
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.closing import Verdict
from core.domain.ledger import LedgerRow
from core.domain.model import Beat, Health, Status
from core.domain.periods import Rhythm, period_of, slot_for
from oracle.events import (
    SH,
    Answer,
    AskExtension,
    Decide,
    Dispatch,
    Event,
    History,
    Import,
    LookBack,
    Retire,
    Row,
    Schedule,
)
from storage import (
    answers,
    beats,
    decisions,
    ledger_edit,
    ledger_store,
    lookbacks,
    outbox,
    programmes,
)
from storage.db import Database
from storage.models import Measure, Person, Programme, SignoffRequest
from storage.programmes import rhythm_of
from usecases import dispatch as dispatch_job

ACTOR = "oracle"
LEADER = "分管领导"
_names = itertools.count(1)
_telegram_ids = itertools.count(7_000_000)


def _ledger_row(n: int, r: Row) -> LedgerRow:
    return LedgerRow(
        row=n + 2,
        code=r.code,
        area=r.area,
        problem=f"{r.area}的问题",
        measure=f"整改措施{r.code}",
        leader=LEADER,
        lead_unit=r.unit,
        co_units=(),
        owner=r.owner,
        deadline=r.deadline,
        status=Status(r.status),
        immediate=r.kind == "immediate",
    )


class Player:
    """One programme of a database, moved along a history event by event."""

    def __init__(self, db: Database) -> None:
        self.db = db
        self.programme_id = 0
        self.coordinator_id = 0
        self.played = 0  # events of the history played so far
        self.clock = datetime.min.replace(tzinfo=SH)  # the moment played up to
        # what the product reads itself is read again per step; what only the harness needs
        # (the programme as it stands, who is who) is kept between steps: only these steps change it
        self.settings: Programme | None = None  # a detached copy, refreshed by each schedule
        self.names: dict[int, str] = {}  # person id -> name, refreshed by each import

    async def create(self, history: History) -> None:
        """The programme (a fresh one per history: no database reset) and its coordinator."""
        async with self.db.session() as s:
            p = await programmes.create(
                s, name=f"oracle-{next(_names)}", actor=ACTOR, now=history.start
            )
            assert p.id is not None
            self.programme_id = p.id
            coordinator = Person(
                programme_id=p.id, name="专班", telegram_user_id=next(_telegram_ids)
            )
            s.add(coordinator)
            await s.flush()
            self.coordinator_id = coordinator.id or 0
            self.settings = p

    @property
    def rhythm(self) -> Rhythm:
        assert self.settings is not None
        return rhythm_of(self.settings)

    async def programme(self, s: AsyncSession) -> Programme:
        p = await programmes.by_id(s, programme_id=self.programme_id)
        assert p is not None
        return p

    async def measure(self, s: AsyncSession, code: str) -> Measure:
        m = (
            await s.exec(
                select(Measure).where(
                    Measure.programme_id == self.programme_id, Measure.code == code
                )
            )
        ).one()
        return m

    async def play(
        self,
        history: History,
        until: datetime | None = None,
        at_check: Callable[[datetime], Awaitable[None]] | None = None,
    ) -> None:
        """The events not played yet, up to `until`; at_check is called at the history's checks."""
        checks = [c for c in history.checks if c > self.clock and (until is None or c < until)]
        for e in history.events[self.played :]:
            if until is not None and e.at >= until:
                break
            while checks and checks[0] <= e.at:
                moment = checks.pop(0)  # popped whether checked or not: else this never ends
                if at_check is not None:
                    await at_check(moment)
            await self.step(e)
            self.played += 1
            self.clock = e.at
        for moment in checks:
            if at_check is not None:
                await at_check(moment)
        self.clock = max(self.clock, until or history.end)

    async def step(self, e: Event) -> None:
        """One event, in its own transaction."""
        if isinstance(e, Dispatch):
            await self.dispatch(e)
            return
        async with self.db.session() as s:
            if isinstance(e, Import):
                await self.ledger(s, e)
            elif isinstance(e, Answer):
                await self.answer(s, e)
            elif isinstance(e, Decide):
                await self.decide(s, e)
            elif isinstance(e, AskExtension):
                m = await self.measure(s, e.code)
                await decisions.request_extension(
                    s, measure=m, person_id=m.owner_id, actor=ACTOR, now=e.at,
                    new_deadline=e.new_deadline, reason="需要更多时间",
                )  # fmt: skip
            elif isinstance(e, LookBack):
                await self.look_back(s, e)
            elif isinstance(e, Retire):
                # what /edit's Retire writes (usecases.ledger_edit.retire), its notice aside
                m = await self.measure(s, e.code)
                await ledger_edit.retire(s, measure=m, reason="并入其他措施", actor=ACTOR, now=e.at)
            elif isinstance(e, Schedule):
                p = await self.programme(s)
                await programmes.update_rhythm(
                    s, programme=p, changes={"dispatch_weekday": e.weekday}, actor=ACTOR, now=e.at
                )
                self.settings = p

    async def ledger(self, s: AsyncSession, e: Import) -> None:
        """The import handler's write (handlers/ledger.py), then owners bound as invites do."""
        await ledger_store.apply(
            s,
            programme_id=self.programme_id,
            rows=[_ledger_row(n, r) for n, r in enumerate(e.rows)],
            actor=ACTOR,
            now=e.at,
            today=e.at.astimezone(SH).date(),
            remove_missing=not e.first,
        )
        everyone = await s.exec(select(Person).where(Person.programme_id == self.programme_id))
        self.names = {}
        for person in everyone.all():
            self.names[person.id or 0] = person.name
            if person.telegram_user_id is None:
                person.telegram_user_id = next(_telegram_ids)
                s.add(person)

    async def answer(self, s: AsyncSession, e: Answer) -> None:
        """What handlers/answer_steps.confirm writes."""
        m = await self.measure(s, e.code)
        saved = await answers.record_update(
            s, measure=m, person_id=m.owner_id, actor=ACTOR, health=Health(e.health), now=e.at,
            note=e.note, percent=e.percent, period=period_of(Beat.DISPATCH, e.at, self.rhythm),
        )  # fmt: skip
        if e.signoff:
            await decisions.request_signoff(
                s, measure=m, person_id=m.owner_id, actor=ACTOR, now=e.at, report=e.note,
                update_id=saved.id or 0,
            )  # fmt: skip

    async def decide(self, s: AsyncSession, e: Decide) -> None:
        """What handlers/signoff.py writes when a coordinator presses approve or send back."""
        m = await self.measure(s, e.code)
        request = (
            await s.exec(
                select(SignoffRequest).where(
                    SignoffRequest.measure_id == m.id, SignoffRequest.state == decisions.PENDING
                )
            )
        ).one()
        verdict = decisions.APPROVED if e.approve else decisions.REJECTED
        won = await decisions.claim(
            s, request_id=request.id or 0, person_id=self.coordinator_id, verdict=verdict,
            reason="" if e.approve else "佐证不足", now=e.at,
        )  # fmt: skip
        assert won
        await decisions.settle_measure(
            s, request=request, actor=ACTOR, decider="专班", today=e.at.astimezone(SH).date(),
            now=e.at,
        )  # fmt: skip

    async def look_back(self, s: AsyncSession, e: LookBack) -> None:
        """The look-back job's claim, then the owner's answer (handlers/lookback.py)."""
        m = await self.measure(s, e.code)
        assert m.closed_on is not None
        row = await lookbacks.claim(s, measure=m, due=e.at.astimezone(SH).date(), now=e.at)
        assert row is not None, f"{e.code}'s closure was looked back on already"
        verdict = Verdict.REBOUND if e.rebound else Verdict.HOLDS
        await lookbacks.answer(
            s, row=row, verdict=verdict, note="整改成效巩固。" if not e.rebound else "问题反弹。",
            person_id=m.owner_id, actor=ACTOR, now=e.at,
        )  # fmt: skip

    async def dispatch(self, e: Dispatch) -> None:
        """jobs/run.run_beat for a dispatch, then the sender: delivered, or failed for the lost."""
        async with self.db.session() as s:
            p = await self.programme(s)
            rhythm = rhythm_of(p)
            period = period_of(Beat.DISPATCH, e.at, rhythm)
            reach = await dispatch_job.reach(s, programme=p, now=e.at)
            if reach.messages == 0:
                return  # run_beat: nobody to send it to, the period stays unclaimed
            claimed = await beats.claim(
                s, programme_id=self.programme_id, beat=Beat.DISPATCH, period=period, now=e.at,
                manual=False,
            )  # fmt: skip
            assert claimed is not None, f"dispatch {period} at {e.at} was sent already"
            expires = max(slot_for(Beat.DISPATCH, period, rhythm).ends, e.at)
            await dispatch_job.dispatch(
                s, programme=p, period=period, now=e.at, expires=expires, seen=reach.seen
            )
        async with self.db.session() as s:
            rows = await outbox.of_period(
                s, programme_id=self.programme_id, beats=[Beat.DISPATCH.value], period=period
            )
            for n, row in enumerate(rows, start=1):
                if self.names.get(row.person_id or 0) in e.unreachable:
                    await outbox.finish(s, row=row, state=outbox.FAILED, error="Forbidden")
                else:
                    await outbox.mark_sent(s, row=row, message_id=n, at=e.at)
