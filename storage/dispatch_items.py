"""Dispatch items: which measure went to whom in which weekly dispatch, and its answer."""

from __future__ import annotations

from collections.abc import Collection, Sequence

from sqlalchemy import case, func, or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import DispatchItem, Measure, Unit


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
    first: str,
    last: str,
    short: Collection[str] = (),
) -> dict[str, tuple[int, int]]:
    """Per lead unit: (answered, delivered) dispatch items in periods first..last.

    A dispatch that left too little time to answer (`short`) counts only where it was answered.
    """
    counted = (
        [or_(col(DispatchItem.answered), ~col(DispatchItem.period).in_(list(short)))]
        if short
        else []
    )
    answered = func.sum(case((col(DispatchItem.answered), 1), else_=0))
    rows = await session.exec(
        select(Unit.name, answered, func.count())
        .join(Measure, col(Measure.lead_unit_id) == Unit.id)
        .join(DispatchItem, col(DispatchItem.measure_id) == Measure.id)
        .where(
            DispatchItem.programme_id == programme_id,
            DispatchItem.delivered,
            col(DispatchItem.period) >= first,
            col(DispatchItem.period) <= last,
            *counted,
        )
        .group_by(col(Unit.name))
    )
    return {unit: (int(yes or 0), int(total)) for unit, yes, total in rows.all()}


async def mark_answered(session: AsyncSession, *, programme_id: int, measure_id: int) -> None:
    """Mark the measure's latest dispatch item as answered."""
    item = (
        await session.exec(
            select(DispatchItem)
            .where(DispatchItem.programme_id == programme_id, DispatchItem.measure_id == measure_id)
            .order_by(col(DispatchItem.period).desc())
        )
    ).first()
    if item is not None and not item.answered:
        item.answered = True
        session.add(item)
