"""回头看: closed measures asked again once per closure; holds, or rebound (reopened)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import and_, update
from sqlalchemy import select as columns
from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.closing import REBOUND_HEALTH, LookedBack, Verdict
from core.domain.lifecycle import Event, next_status
from core.domain.model import Answer, Status
from storage import audit, db
from storage.answers import Evidence, add_evidence
from storage.models import Measure, Person, SignoffRequest
from storage.models_closing import LookBack, SpotCheck


async def unasked(session: AsyncSession, *, programme_id: int) -> list[tuple[int, date]]:
    """(measure id, closing date) of signed-off measures whose closure has not been looked back on.

    Only closures signed off in the bot count: a measure imported as closed carries its deadline
    as a stand-in closing date, and its look-back is the task force's own.
    """
    signed_off = (
        select(SignoffRequest.id)
        .where(
            col(SignoffRequest.measure_id) == Measure.id,
            SignoffRequest.kind == "signoff",
            SignoffRequest.state == "approved",
        )
        .exists()
    )
    rows = await session.exec(
        select(col(Measure.id), col(Measure.closed_on))
        .outerjoin(
            LookBack,
            and_(
                col(LookBack.measure_id) == Measure.id,
                col(LookBack.closed_on) == Measure.closed_on,
            ),
        )
        .where(
            Measure.programme_id == programme_id,
            Measure.status == Status.CLOSED.value,
            col(Measure.closed_on).is_not(None),
            col(Measure.removed_at).is_(None),
            col(LookBack.id).is_(None),
            signed_off,
        )
        .order_by(col(Measure.id))
    )
    return [(mid, closed) for mid, closed in rows.all() if mid is not None and closed is not None]


async def claim(
    session: AsyncSession, *, measure: Measure, due: date, now: datetime
) -> LookBack | None:
    """Record that the closure is being looked back on; None if it already was (once per closure)."""
    assert measure.id is not None and measure.closed_on is not None
    row = LookBack(
        programme_id=measure.programme_id,
        measure_id=measure.id,
        closed_on=measure.closed_on,
        due=due,
        asked_at=now,
    )
    try:
        async with session.begin_nested():
            session.add(row)
    except IntegrityError:
        return None
    return row


async def answer(
    session: AsyncSession,
    *,
    row: LookBack,
    verdict: Verdict,
    note: str,
    person_id: int,
    actor: str,
    now: datetime,
    files: Sequence[Evidence] = (),
) -> Measure | None:
    """The owner's answer: the first one counts; a rebound reopens the measure. None if answered."""
    result = await session.exec(
        update(LookBack)
        .where(col(LookBack.id) == row.id, col(LookBack.verdict).is_(None))
        .values(verdict=verdict.value, note=note, answered_by=person_id, answered_at=now)
    )
    if result.rowcount != 1:
        return None
    measure = await session.get(Measure, row.measure_id)
    assert measure is not None and measure.id is not None
    before = {"status": measure.status, "closed_on": measure.closed_on, "health": measure.health}
    if verdict is Verdict.REBOUND and measure.status == Status.CLOSED.value:
        measure.status = next_status(Status.CLOSED, Event.REBOUND).value
        measure.closed_on = None
        measure.health = REBOUND_HEALTH.value
        measure.updated_at = now
        session.add(measure)
    await add_evidence(
        session,
        programme_id=measure.programme_id,
        measure_id=measure.id,
        files=files,
        at=now,
        actor=actor,
    )
    audit.record(
        session,
        programme_id=measure.programme_id,
        actor=actor,
        action=f"measure.lookback_{verdict.value}",
        entity="measure",
        entity_id=measure.id,
        before=before,
        after={
            "status": measure.status,
            "closed_on": measure.closed_on,
            "health": measure.health,
            "lookback": row.id,
            "note": note,
            "files": len(files),
        },
        now=now,
    )
    return measure


async def unanswered(
    session: AsyncSession, *, programme_id: int, tz: str
) -> list[tuple[str, date, date]]:
    """(code, look-back date, day asked) of look-backs nobody has answered, on measures still
    closed; asked late (after an outage), the owner's time to answer runs from the day asked."""
    zone = ZoneInfo(tz)
    rows = await session.exec(
        select(Measure.code, col(LookBack.due), col(LookBack.asked_at))
        .join(Measure, col(Measure.id) == LookBack.measure_id)
        .where(
            LookBack.programme_id == programme_id,
            col(LookBack.verdict).is_(None),
            Measure.status == Status.CLOSED.value,
        )
        .order_by(col(LookBack.due), col(Measure.code))
    )
    return [(code, due, asked.astimezone(zone).date()) for code, due, asked in rows.all()]


async def answered_between(
    session: AsyncSession, *, programme_id: int, start: datetime, end: datetime
) -> list[tuple[str, str]]:
    """(code, verdict) of look-backs answered in [start, end)."""
    return await verdicts_between(
        session, model=LookBack, programme_id=programme_id, start=start, end=end
    )


async def verdicts_between(
    session: AsyncSession,
    *,
    model: type[LookBack] | type[SpotCheck],
    programme_id: int,
    start: datetime,
    end: datetime,
) -> list[tuple[str, str]]:
    """(code, verdict) of the look-backs or spot checks answered in [start, end), in order."""
    rows = await session.exec(
        select(Measure.code, model.verdict)
        .join(Measure, col(Measure.id) == model.measure_id)
        .where(
            model.programme_id == programme_id,
            col(model.answered_at) >= start,
            col(model.answered_at) < end,
        )
        .order_by(col(model.answered_at), col(model.id))
    )
    return [(code, verdict) for code, verdict in rows.all() if verdict]


async def latest_answers(
    session: AsyncSession,
    *,
    programme_id: int,
    before: datetime | None = None,
    measure_ids: Sequence[int] | None = None,
) -> dict[int, Answer]:
    """Per measure id, its latest answered look-back (before a moment, if given) as an answer."""
    lb = LookBack
    query = (
        columns(*(col(c) for c in (lb.measure_id, lb.verdict, lb.note, lb.answered_at)))
        .add_columns(col(Person.name))
        .join(Person, col(Person.id) == lb.answered_by, isouter=True)
        .where(col(lb.programme_id) == programme_id, col(lb.verdict).is_not(None))
        .order_by(col(lb.answered_at), col(lb.id))
    )
    if before is not None:
        query = query.where(col(lb.answered_at) < before)
    if measure_ids is not None:
        query = query.where(col(lb.measure_id).in_(measure_ids))
    out: dict[int, Answer] = {}
    for mid, verdict, note, at, by in (await db.rows(session, query)).all():
        if at is None or verdict is None:
            continue
        rebound = verdict == Verdict.REBOUND.value
        health = REBOUND_HEALTH if rebound else None
        out[mid] = Answer(health=health, at=at, by=by or "", note=note, lookback=verdict)
    return out


async def looked_back(
    session: AsyncSession, *, programme_id: int, start: datetime, end: datetime, tz: str
) -> list[LookedBack]:
    """The look-backs answered in [start, end), oldest first, with their notes and local days."""
    zone = ZoneInfo(tz)
    lb = LookBack
    query = (
        columns(col(Measure.code), col(lb.verdict), col(lb.note), col(lb.answered_at))
        .join(Measure, col(Measure.id) == lb.measure_id)
        .where(
            col(lb.programme_id) == programme_id,
            col(lb.answered_at) >= start,
            col(lb.answered_at) < end,
        )
        .order_by(col(lb.answered_at), col(lb.id))
    )
    return [
        LookedBack(code, verdict, note, at.astimezone(zone).date())
        for code, verdict, note, at in (await db.rows(session, query)).all()
        if verdict and at is not None
    ]
