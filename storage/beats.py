"""The sent-beat log, dispatch items and absences: what was sent, to whom, for which period."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.model import Beat
from storage.models import DispatchItem, Measure, Person, SentBeat, Unit


async def sent_periods(session: AsyncSession, *, programme_id: int) -> set[tuple[Beat, str]]:
    """Every (beat, period) already sent for the programme."""
    rows = await session.exec(select(SentBeat).where(SentBeat.programme_id == programme_id))
    return {(Beat(r.beat), r.period) for r in rows.all()}


async def find(
    session: AsyncSession, *, programme_id: int, beat: Beat, period: str
) -> SentBeat | None:
    """The record of a beat sent for a period, if any."""
    rows = await session.exec(
        select(SentBeat).where(
            SentBeat.programme_id == programme_id,
            SentBeat.beat == beat.value,
            SentBeat.period == period,
        )
    )
    return rows.first()


async def claim(
    session: AsyncSession,
    *,
    programme_id: int,
    beat: Beat,
    period: str,
    now: datetime,
    manual: bool,
    force: bool = False,
) -> SentBeat | None:
    """Record the beat as sent before sending, so a crash can never send it twice; None if taken."""
    found = await find(session, programme_id=programme_id, beat=beat, period=period)
    if found is not None:
        if not force:
            return None
        found.sent_at, found.manual = now, manual
        session.add(found)
        return found
    record = SentBeat(
        programme_id=programme_id, beat=beat.value, period=period, sent_at=now, manual=manual
    )
    try:
        async with session.begin_nested():
            session.add(record)
    except IntegrityError:
        return None  # another process claimed it between our read and write
    return record


async def latest(
    session: AsyncSession, *, programme_id: int, beat: Beat, before: str | None = None
) -> SentBeat | None:
    """The most recent record of a beat (optionally before a period)."""
    query = select(SentBeat).where(
        SentBeat.programme_id == programme_id, SentBeat.beat == beat.value
    )
    if before is not None:
        query = query.where(col(SentBeat.period) < before)
    rows = await session.exec(query.order_by(col(SentBeat.period).desc()))
    return rows.first()


def load_snapshot(record: SentBeat | None) -> dict[str, tuple[str | None, str, str | None]] | None:
    """A review's stored snapshot."""
    if record is None or not record.snapshot:
        return None
    raw: dict[str, Any] = json.loads(record.snapshot)
    return {k: (v[0], v[1], v[2]) for k, v in raw.items()}


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


async def persons(session: AsyncSession, *, programme_id: int) -> dict[int, Person]:
    """Every person of a programme by id."""
    rows = await session.exec(select(Person).where(Person.programme_id == programme_id))
    return {p.id: p for p in rows.all() if p.id is not None}
