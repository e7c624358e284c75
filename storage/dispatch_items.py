"""Dispatch items: which measure went to whom in which weekly dispatch, and its answer."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, literal
from sqlalchemy import select as sa_select
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.dispatches import DispatchFact, feedback_by_unit
from storage import current_state, db
from storage.models import DispatchItem, Measure, Unit

# made once: an alias builds a proxy of each of its columns on first use, per dispatch if made per call
_ANSWERED = aliased(DispatchItem, name="answered_item")


async def items(
    session: AsyncSession,
    *,
    programme_id: int,
    period: str | None = None,
    periods: Sequence[str] | None = None,
) -> list[DispatchItem]:
    """Dispatch items of one or several periods."""
    query = select(DispatchItem).where(DispatchItem.programme_id == programme_id)
    if period is not None:
        query = query.where(DispatchItem.period == period)
    if periods is not None:
        query = query.where(col(DispatchItem.period).in_(periods))
    return list((await session.exec(query.order_by(col(DispatchItem.id)))).all())


async def item_for_message(
    session: AsyncSession, *, chat_id: int, message_id: int
) -> list[DispatchItem]:
    """The dispatch items a bot message listed (for replies to it)."""
    rows = await session.exec(
        select(DispatchItem).where(
            DispatchItem.chat_id == chat_id, DispatchItem.message_id == message_id
        )
    )
    return list(rows.all())


async def answers_by_unit(
    session: AsyncSession,
    *,
    programme_id: int,
    year: int,
    month: int,
    tz: str,
    at: datetime | None = None,
    units: Mapping[str, str] | None = None,
) -> dict[str, tuple[int, int]]:
    """Per lead unit: (answered, counted) of the dispatches sent in a month (its 反馈率).

    The rule is core.domain.dispatches.feedback_by_unit; this loads only the month's items.
    `units` (code -> lead unit, as of the report's moment) names each measure's unit then and
    leaves out measures not in it (off the ledger by then); without it, today's units.
    """
    zone = ZoneInfo(tz)
    # a day either side: the month's edges in the programme's zone, whatever the stored zone
    start = datetime(year, month, 1, tzinfo=zone) - timedelta(days=1)
    end = datetime(year + month // 12, month % 12 + 1, 1, tzinfo=zone) + timedelta(days=1)
    i = DispatchItem
    fields = (i.period, i.delivered, i.answered, i.short, i.delivered_at, i.answered_at)
    query = (
        sa_select(col(Measure.code), col(Unit.name), *(col(f) for f in fields), col(i.answer_by))
        .join(Measure, col(Measure.lead_unit_id) == Unit.id)
        .join(i, col(i.measure_id) == Measure.id)
        .where(
            col(i.programme_id) == programme_id,
            col(i.delivered_at) >= start,
            col(i.delivered_at) < end,
        )
    )
    # plain rows, not objects: a month of a large programme is tens of thousands of items
    rows = (await db.rows(session, query)).all()
    facts = [
        (unit if units is None else units[code], DispatchFact(*rest))
        for code, unit, *rest in rows
        if units is None or code in units
    ]
    return feedback_by_unit(facts, year=year, month=month, tz=tz, at=at)


async def since_last_answer(
    session: AsyncSession, *, programme_id: int, before: str
) -> dict[int, list[DispatchItem]]:
    """Each measure's dispatch items before a period and after its latest answered one: all a
    silent run (core.domain.dispatches.silent_streak) can be made of, however long ago it began."""
    answered = _ANSWERED
    last_answer = (
        sa_select(func.coalesce(func.max(answered.period), literal("")))
        .where(
            col(answered.programme_id) == programme_id,
            col(answered.measure_id) == col(DispatchItem.measure_id),
            col(answered.period) < before,
            col(answered.answered),
        )
        .scalar_subquery()
    )
    rows = await session.exec(
        select(DispatchItem).where(
            DispatchItem.programme_id == programme_id,
            col(DispatchItem.period) < before,
            col(DispatchItem.period) > last_answer,
        )
    )
    by_measure: dict[int, list[DispatchItem]] = {}
    for item in rows.all():
        by_measure.setdefault(item.measure_id, []).append(item)
    return by_measure


async def mark_answered(
    session: AsyncSession, *, programme_id: int, measure_id: int, now: datetime
) -> None:
    """Mark the measure's latest dispatch item as answered, and when."""
    item = (
        await session.exec(
            select(DispatchItem)
            .where(DispatchItem.programme_id == programme_id, DispatchItem.measure_id == measure_id)
            .order_by(col(DispatchItem.period).desc())
        )
    ).first()
    if item is not None and not item.answered:
        item.answered, item.answered_at = True, now
        session.add(item)
        await current_state.refresh(session, programme_id=programme_id, measure_ids=[measure_id])
