"""随机抽查: the draws recorded in the audit chain, the checks they give out, and their answers."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.closing import REBOUND_HEALTH
from core.domain.lifecycle import Event, next_status
from core.domain.model import Status
from core.domain.spotcheck import DRAW, TRUE_ACTION, UNTRUE, UNTRUE_ACTION, Candidate
from storage import audit, lookbacks
from storage.models import AuditEvent, Measure, SignoffRequest, Unit
from storage.models_closing import SpotCheck


async def candidates(session: AsyncSession, *, programme_id: int) -> list[tuple[Measure, str]]:
    """(measure, lead unit) signed off since the last draw (after its event in the chain) and
    still closed and in the ledger, by code."""
    last = (
        await session.exec(
            select(AuditEvent.seq)
            .where(AuditEvent.programme_id == programme_id, AuditEvent.action == DRAW)
            .order_by(col(AuditEvent.seq).desc())
            .limit(1)
        )
    ).first()
    signed = select(AuditEvent.entity_id).where(
        AuditEvent.programme_id == programme_id,
        AuditEvent.action == "measure.signoff_approve",
        col(AuditEvent.seq) > (last or 0),
    )
    rows = await session.exec(
        select(Measure, Unit.name)
        .join(Unit, col(Unit.id) == Measure.lead_unit_id)
        .where(
            Measure.programme_id == programme_id,
            col(Measure.id).in_(signed),
            Measure.status == Status.CLOSED.value,
            col(Measure.removed_at).is_(None),
        )
        .order_by(col(Measure.code))
    )
    return [(m, name) for m, name in rows.all()]


async def head(session: AsyncSession, *, programme_id: int) -> str:
    """The chain's head hash as this transaction has it (locked on PostgreSQL until commit):
    the next event recorded follows it."""
    await session.flush()
    _, found = await session.run_sync(audit.chain_head, programme_id)
    return found


def record_draw(
    session: AsyncSession,
    *,
    programme_id: int,
    period: str,
    after: dict[str, object],
    actor: str,
    now: datetime,
) -> AuditEvent:
    """The draw as an audit event: its head, day, seed, candidates and the codes drawn."""
    return audit.record(
        session,
        programme_id=programme_id,
        actor=actor,
        action=DRAW,
        entity="programme",
        entity_id=programme_id,
        after={"period": period, **after},
        now=now,
    )


def add(
    session: AsyncSession,
    *,
    programme_id: int,
    measure_id: int,
    period: str,
    checker_id: int | None,
    now: datetime,
) -> SpotCheck:
    """One drawn measure's check."""
    row = SpotCheck(
        programme_id=programme_id,
        measure_id=measure_id,
        period=period,
        drawn_at=now,
        checker_id=checker_id,
    )
    session.add(row)
    return row


async def latest_signoff(session: AsyncSession, *, measure_id: int) -> int | None:
    """The approved sign-off request that closed the measure last (its report and evidence)."""
    return (
        await session.exec(
            select(SignoffRequest.id)
            .where(
                SignoffRequest.measure_id == measure_id,
                SignoffRequest.kind == "signoff",
                SignoffRequest.state == "approved",
            )
            .order_by(col(SignoffRequest.decided_at).desc(), col(SignoffRequest.id).desc())
            .limit(1)
        )
    ).first()


async def answer(
    session: AsyncSession,
    *,
    row: SpotCheck,
    verdict: str,
    note: str,
    person_id: int,
    actor: str,
    now: datetime,
) -> Measure | None:
    """The checker's answer: the first one counts; 不属实 reopens the measure as a rebound does.
    None if answered already."""
    result = await session.exec(
        update(SpotCheck)
        .where(col(SpotCheck.id) == row.id, col(SpotCheck.verdict).is_(None))
        .values(verdict=verdict, note=note, answered_by=person_id, answered_at=now)
    )
    if result.rowcount != 1:
        return None
    measure = await session.get(Measure, row.measure_id)
    assert measure is not None and measure.id is not None
    before = {"status": measure.status, "closed_on": measure.closed_on, "health": measure.health}
    after: dict[str, object] = {"spotcheck": row.id, "note": note}
    if verdict == UNTRUE and measure.status == Status.CLOSED.value:
        # the look-back's rebound, to the letter: reopened, no closing date, at risk
        measure.status = next_status(Status.CLOSED, Event.REBOUND).value
        measure.closed_on = None
        measure.health = REBOUND_HEALTH.value
        measure.updated_at = now
        session.add(measure)
        after |= {"status": measure.status, "closed_on": None, "health": measure.health}
    audit.record(
        session,
        programme_id=measure.programme_id,
        actor=actor,
        action=UNTRUE_ACTION if verdict == UNTRUE else TRUE_ACTION,
        entity="measure",
        entity_id=measure.id,
        before=before,
        after=after,
        now=now,
    )
    return measure


async def answered_between(
    session: AsyncSession, *, programme_id: int, start: datetime, end: datetime
) -> list[tuple[str, str]]:
    """(code, verdict) of spot checks answered in [start, end), in answering order."""
    return await lookbacks.verdicts_between(
        session, model=SpotCheck, programme_id=programme_id, start=start, end=end
    )


async def untrue_between(
    session: AsyncSession, *, programme_id: int, start: datetime, end: datetime
) -> list[tuple[str, str, str, str]]:
    """(code, text, lead unit, note) of the checks found 不属实 in [start, end), in answering order."""
    rows = await session.exec(
        select(Measure.code, Measure.text, Unit.name, SpotCheck.note)
        .join(Measure, col(Measure.id) == SpotCheck.measure_id)
        .join(Unit, col(Unit.id) == Measure.lead_unit_id)
        .where(
            SpotCheck.programme_id == programme_id,
            SpotCheck.verdict == UNTRUE,
            col(SpotCheck.answered_at) >= start,
            col(SpotCheck.answered_at) < end,
        )
        .order_by(col(SpotCheck.answered_at), col(SpotCheck.id))
    )
    return [(code, text, unit, note) for code, text, unit, note in rows.all()]


async def draws(session: AsyncSession, *, programme_id: int) -> list[AuditEvent]:
    """Every recorded draw of a programme, in chain order."""
    rows = await session.exec(
        select(AuditEvent)
        .where(AuditEvent.programme_id == programme_id, AuditEvent.action == DRAW)
        .order_by(col(AuditEvent.seq))
    )
    return list(rows.all())


def as_candidates(found: Sequence[tuple[Measure, str]]) -> list[Candidate]:
    """The draw's view of the candidates."""
    return [Candidate(m.code, unit) for m, unit in found]


async def codes_of(session: AsyncSession, *, programme_id: int, period: str) -> list[str]:
    """The codes a period's draw took, in drawing order."""
    rows = await session.exec(
        select(Measure.code)
        .join(SpotCheck, col(SpotCheck.measure_id) == Measure.id)
        .where(SpotCheck.programme_id == programme_id, SpotCheck.period == period)
        .order_by(col(SpotCheck.id))
    )
    return list(rows.all())
