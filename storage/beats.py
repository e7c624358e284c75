"""The sent-beat log: which beat was sent for which period, claimed before sending."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Beat
from storage.models import SentBeat


async def sent_periods(session: AsyncSession, *, programme_id: int) -> set[tuple[Beat, str]]:
    """Every (beat, period) already sent for the programme."""
    rows = await session.exec(select(SentBeat).where(SentBeat.programme_id == programme_id))
    return {(Beat(r.beat), r.period) for r in rows.all()}


async def sent_times(
    session: AsyncSession, *, programme_id: int
) -> dict[tuple[Beat, str], datetime]:
    """When each (beat, period) of the programme was claimed."""
    rows = await session.exec(select(SentBeat).where(SentBeat.programme_id == programme_id))
    return {(Beat(r.beat), r.period): r.sent_at for r in rows.all()}


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
    """Record the beat as sent before sending, so a crash can never send it twice; None if taken.

    Call it before any other write of the transaction: losing the race rolls the session back.
    """
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
    # the claim is the transaction's first write, and no savepoint: on SQLite a savepoint opened
    # outside a transaction commits when released, which would split the claim from its plan
    session.add(record)
    try:
        await session.flush()
    except IntegrityError:
        await session.rollback()  # nothing but reads came before: nothing else is lost
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
