"""Absences (/away): stored and ended; what is allowed is decided in core.domain.absence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.absence import cut_short
from storage import audit
from storage.models_people import Absence


async def on(session: AsyncSession, *, programme_id: int, day: date) -> list[Absence]:
    """Absences covering a day."""
    rows = await session.exec(
        select(Absence).where(
            Absence.programme_id == programme_id, col(Absence.start) <= day, col(Absence.end) >= day
        )
    )
    return list(rows.all())


async def add(
    session: AsyncSession,
    *,
    programme_id: int,
    person_id: int,
    start: date,
    end: date,
    delegate: tuple[int, str] | None,
    actor: str,
    now: datetime,
) -> Absence:
    """Record an absence, with its delegate (id, name) if any, and audit it."""
    absence = Absence(
        programme_id=programme_id,
        person_id=person_id,
        start=start,
        end=end,
        delegate_id=delegate[0] if delegate else None,
    )
    session.add(absence)
    await session.flush()
    audit.record(
        session,
        programme_id=programme_id,
        actor=actor,
        action="person.away",
        entity="absence",
        entity_id=absence.id,
        after={"start": start, "end": end, "delegate": delegate[1] if delegate else None},
        now=now,
    )
    return absence


@dataclass(frozen=True)
class Ended:
    """An absence /back ended, as it was before: its dates, whether it had begun, its stand-in."""

    absence_id: int
    start: date
    end: date
    begun: bool
    delegate_id: int | None


async def end(
    session: AsyncSession,
    *,
    programme_id: int,
    person_id: int,
    today: date,
    actor: str,
    now: datetime,
) -> list[Ended]:
    """End a person's current and future absences yesterday: each as it was."""
    rows = await session.exec(
        select(Absence).where(
            Absence.programme_id == programme_id,
            Absence.person_id == person_id,
            col(Absence.end) >= today,
        )
    )
    ended = []
    for absence in rows.all():
        before = {"start": absence.start, "end": absence.end}
        begun = absence.start < today
        ended.append(Ended(absence.id or 0, absence.start, absence.end, begun, absence.delegate_id))
        absence.start, absence.end = cut_short(absence.start, absence.end, today)
        session.add(absence)
        audit.record(
            session,
            programme_id=programme_id,
            actor=actor,
            action="person.back",
            entity="absence",
            entity_id=absence.id,
            before=before,
            after={"start": absence.start, "end": absence.end},
            now=now,
        )
    return ended
