"""督办: leaders' follow-ups on red measures, and whether the owner answered by the reply date."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession
from sqlmodel.sql.expression import Select

from core.domain.closing import FollowUpLine, follow_up_state
from storage import audit
from storage.models import Measure, Person
from storage.models_closing import FollowUp

ACTION = "measure.followup"


async def record(
    session: AsyncSession,
    *,
    measure: Measure,
    by: Person,
    actor: str,
    now: datetime,
    reply_by: date,
) -> FollowUp:
    """A follow-up of one measure by a leader or coordinator, in the measure's history."""
    assert measure.id is not None and by.id is not None
    row = FollowUp(
        programme_id=measure.programme_id,
        measure_id=measure.id,
        by_id=by.id,
        owner_id=measure.owner_id,
        created_at=now,
        reply_by=reply_by,
    )
    return await audit.added(
        session, row, programme_id=measure.programme_id, measure_id=measure.id, actor=actor,
        action=ACTION, key="followup", after={"by": by.name, "reply_by": reply_by}, now=now,
    )  # fmt: skip


async def mark_answered(
    session: AsyncSession, *, measure_id: int, update_id: int | None, now: datetime
) -> None:
    """The owner's answer answers every open follow-up of the measure."""
    await session.exec(
        update(FollowUp)
        .where(col(FollowUp.measure_id) == measure_id, col(FollowUp.answered_at).is_(None))
        .values(answered_at=now, update_id=update_id)
    )


async def made_on(
    session: AsyncSession, *, measure_id: int, by_id: int, day: date, tz: str
) -> FollowUp | None:
    """The follow-up of a measure by one person on a day (programme time), if there is one."""
    zone = ZoneInfo(tz)
    start = datetime.combine(day, time(0, 0), tzinfo=zone)
    rows = await session.exec(
        select(FollowUp)
        .where(
            FollowUp.measure_id == measure_id,
            FollowUp.by_id == by_id,
            col(FollowUp.created_at) >= start,
            col(FollowUp.created_at) < start + timedelta(days=1),
        )
        .order_by(col(FollowUp.id))
    )
    return rows.first()


async def since(
    session: AsyncSession, *, programme_id: int, start: datetime | None, today: date, tz: str
) -> list[FollowUpLine]:
    """Follow-ups made after start (every one if None), oldest first, with where each stands."""
    query = _lines().where(FollowUp.programme_id == programme_id)
    if start is not None:
        query = query.where(col(FollowUp.created_at) > start)
    return await _read(session, query, today, tz)


async def carried(
    session: AsyncSession, *, programme_id: int, start: datetime | None, today: date, tz: str
) -> list[FollowUpLine]:
    """Follow-ups made up to start that were still unanswered then: waiting, or answered since."""
    if start is None:
        return []
    query = _lines().where(
        FollowUp.programme_id == programme_id,
        col(FollowUp.created_at) <= start,
        or_(col(FollowUp.answered_at).is_(None), col(FollowUp.answered_at) > start),
    )
    return await _read(session, query, today, tz)


def _lines() -> Select[FollowUp, str, str]:
    return (
        select(FollowUp, Measure.code, Person.name)
        .join(Measure, col(Measure.id) == FollowUp.measure_id)
        .join(Person, col(Person.id) == FollowUp.by_id)
    )


async def _read(
    session: AsyncSession, query: Select[FollowUp, str, str], today: date, tz: str
) -> list[FollowUpLine]:
    rows = await session.exec(query.order_by(col(FollowUp.created_at), col(FollowUp.id)))
    zone = ZoneInfo(tz)
    out = []
    for f, code, name in rows.all():
        answered = f.answered_at.astimezone(zone).date() if f.answered_at else None
        out.append(
            FollowUpLine(
                code=code,
                by=name,
                asked=f.created_at.astimezone(zone).date(),
                reply_by=f.reply_by,
                answered=answered,
                state=follow_up_state(f.reply_by, answered, today),
            )
        )
    return out
