"""临期提醒 as stored: the measures a reminder reads, and which deadlines were reminded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta

from sqlalchemy import select as sa_select
from sqlalchemy.exc import IntegrityError
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.lights import IMMEDIATE_GRACE_DAYS
from core.domain.model import Status
from core.domain.reminders import Dated
from storage.models import Measure
from storage.models_closing import DeadlineReminder
from storage.picture import STATUS

_DONE = (Status.CLOSED.value, Status.PENDING_SIGNOFF.value)


async def dated(session: AsyncSession, *, programme_id: int, today: date) -> list[Dated]:
    """The programme's live open measures whose last day in time is today or later."""
    m = Measure
    # 立行立改 is due a week after its recorded deadline: those a week back may still be in time
    query = sa_select(col(m.id), col(m.status), col(m.deadline), col(m.immediate)).where(
        col(m.programme_id) == programme_id,
        col(m.removed_at).is_(None),
        col(m.status).not_in(_DONE),
        col(m.deadline) >= today - timedelta(days=IMMEDIATE_GRACE_DAYS),
    )
    conn = await session.connection()
    return [
        Dated(i or 0, STATUS[status], deadline, bool(immediate))
        for i, status, deadline, immediate in (await conn.execute(query)).all()
    ]


async def reminded(
    session: AsyncSession, *, programme_id: int, ids: Sequence[int]
) -> set[tuple[int, date]]:
    """(measure id, deadline) of every reminder already claimed for these measures."""
    r = DeadlineReminder
    query = sa_select(col(r.measure_id), col(r.deadline)).where(
        col(r.programme_id) == programme_id, col(r.measure_id).in_(ids)
    )
    conn = await session.connection()
    return {(mid, day) for mid, day in (await conn.execute(query)).all()}


async def claim(
    session: AsyncSession,
    *,
    programme_id: int,
    due: Sequence[tuple[int, date]],
    now: datetime,
) -> list[DeadlineReminder] | None:
    """Record the reminders as sent before planning them, so none goes twice; None when another
    process claimed one of them first (it plans them all). Call it before any other write."""
    rows = [
        DeadlineReminder(programme_id=programme_id, measure_id=mid, deadline=day, sent_at=now)
        for mid, day in due
    ]
    session.add_all(rows)
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()  # nothing but reads came before: nothing else is lost
        return None
    return rows
