"""Dispatch items: which measure went to whom in which weekly dispatch, and its answer."""

from __future__ import annotations

from collections.abc import Sequence

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
    session: AsyncSession, *, programme_id: int, first: str, last: str
) -> dict[str, tuple[int, int]]:
    """Per lead unit: (answered, delivered) dispatch items in periods first..last."""
    rows = await session.exec(
        select(DispatchItem, Unit.name)
        .join(Measure, col(Measure.id) == DispatchItem.measure_id)
        .join(Unit, col(Unit.id) == Measure.lead_unit_id)
        .where(
            DispatchItem.programme_id == programme_id,
            DispatchItem.delivered,
            col(DispatchItem.period) >= first,
            col(DispatchItem.period) <= last,
        )
    )
    out: dict[str, tuple[int, int]] = {}
    for item, unit in rows.all():
        answered, delivered = out.get(unit, (0, 0))
        out[unit] = (answered + item.answered, delivered + 1)
    return out


async def silent_counts(
    session: AsyncSession, *, programme_id: int, last_period: str | None = None
) -> dict[int, int]:
    """Per measure: the most recent dispatches in a row (up to a period, if given) unanswered."""
    query = select(DispatchItem).where(
        DispatchItem.programme_id == programme_id, DispatchItem.delivered
    )
    if last_period is not None:
        query = query.where(col(DispatchItem.period) <= last_period)
    rows = await session.exec(query.order_by(col(DispatchItem.period).desc()))
    counts: dict[int, int] = {}
    done: set[int] = set()
    for item in rows.all():
        if item.measure_id in done:
            continue
        if item.answered:
            done.add(item.measure_id)
        else:
            counts[item.measure_id] = counts.get(item.measure_id, 0) + 1
    return counts


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
