"""Record an answer to a dispatch: the update, a blocked alert, a sign-off request and its copies."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Beat, Health
from core.domain.periods import period_of
from storage import answers, decisions
from storage.answers import Evidence
from storage.models import Measure, Programme
from storage.programmes import rhythm_of
from usecases import alerts
from usecases.actor import Actor
from usecases.copies import plan_copies


@dataclass(frozen=True)
class Answer:
    """What the owner said of a measure they may answer for."""

    measure: Measure
    health: Health
    note: str = ""
    percent: int | None = None
    blockers: str = ""
    files: tuple[Evidence, ...] = ()
    signoff: bool = False  # done: the answer asks for sign-off


@dataclass(frozen=True)
class Recorded:
    """The reply to the owner: the measure, and whether it now waits for sign-off."""

    code: str
    signoff: bool


async def record(
    session: AsyncSession, *, programme: Programme, actor: Actor, answer: Answer, now: datetime
) -> Recorded:
    """Record the answer; whoever must hear of it (a blocked measure's leader and the task force,
    the coordinators of a sign-off request) is told through the outbox, in this transaction."""
    m = answer.measure
    row = await answers.record_update(
        session,
        measure=m,
        person_id=actor.person_id,
        actor=actor.audit,
        health=answer.health,
        now=now,
        note=answer.note,
        percent=answer.percent,
        blockers=answer.blockers,
        files=list(answer.files),
        period=period_of(Beat.DISPATCH, now, rhythm_of(programme)),
    )
    if answer.health is Health.BLOCKED:
        await session.flush()  # the alert quotes the answer just recorded
        await alerts.blocked(session, measure_id=m.id or 0, now=now)
    if answer.signoff:
        request = await decisions.request_signoff(
            session,
            measure=m,
            person_id=actor.person_id,
            actor=actor.audit,
            now=now,
            report=answer.note,
            update_id=row.id or 0,
        )
        await session.flush()
        assert request.id is not None
        await plan_copies(session, programme=programme, request_id=request.id, now=now)
    return Recorded(code=m.code, signoff=answer.signoff)
