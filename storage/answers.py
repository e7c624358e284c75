"""An owner's answer about a measure: stored, its evidence kept, the measure moved on, audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.forecast import project
from core.domain.lifecycle import Event, next_status
from core.domain.model import Health, Status
from core.domain.workcal import CalendarKind
from storage import audit, dispatch_items, followups
from storage.models import CoOwner, EvidenceFile, Measure, Programme, ProgressUpdate


@dataclass(frozen=True)
class Evidence:
    """A file reference received from Telegram."""

    file_id: str
    file_unique_id: str
    name: str
    kind: str
    mime_type: str | None = None
    size: int | None = None
    sha256: str | None = None  # None: not fetched at upload (over 20 MB, or Telegram failed)


async def record_update(
    session: AsyncSession,
    *,
    measure: Measure,
    person_id: int,
    actor: str,
    health: Health,
    now: datetime,
    note: str = "",
    percent: int | None = None,
    blockers: str = "",
    files: Sequence[Evidence] = (),
    period: str | None = None,
) -> ProgressUpdate:
    """Store an owner's answer, move the measure on and audit it."""
    assert measure.id is not None
    update = ProgressUpdate(
        programme_id=measure.programme_id,
        measure_id=measure.id,
        person_id=person_id,
        period=period,
        health=health.value,
        note=note,
        percent=percent,
        blockers=blockers,
        created_at=now,
    )
    session.add(update)
    await session.flush()
    await add_evidence(
        session,
        programme_id=update.programme_id,
        measure_id=measure.id,
        files=files,
        at=now,
        actor=actor,
        update_id=update.id,
    )
    before = {"status": measure.status, "health": measure.health}
    measure.status = next_status(Status(measure.status), Event.ANSWER).value
    measure.health = health.value
    measure.updated_at = now
    if percent is not None:  # without one the points, and so the projection, stay as they were
        programme = await session.get(Programme, measure.programme_id)
        assert programme is not None
        points = await percentages(
            session, programme_id=measure.programme_id, tz=programme.timezone, ids=[measure.id]
        )
        measure.forecast = project(points.get(measure.id, []), CalendarKind(programme.calendar))
    session.add(measure)
    await dispatch_items.mark_answered(
        session, programme_id=measure.programme_id, measure_id=measure.id, now=now
    )
    await followups.mark_answered(session, measure_id=measure.id, update_id=update.id, now=now)
    audit.record(
        session,
        programme_id=measure.programme_id,
        actor=actor,
        action="measure.update",
        entity="measure",
        entity_id=measure.id,
        before=before,
        after={
            "status": measure.status,
            "health": health.value,
            "note": note,
            "percent": percent,
            "blockers": blockers,
            "files": len(files),
            # the projection as this answer left it: the replay reads it rather than every answer
            "forecast": measure.forecast.isoformat() if measure.forecast else None,
        },
        now=now,
    )
    return update


async def add_evidence(
    session: AsyncSession,
    *,
    programme_id: int,
    measure_id: int,
    files: Sequence[Evidence],
    at: datetime,
    actor: str,
    update_id: int | None = None,
) -> None:
    """Evidence files (佐证资料) of a measure, as Telegram file references; each one's identity
    (file_unique_id, SHA-256) goes into the audit chain, so a file swapped later shows."""
    rows = [
        EvidenceFile(
            programme_id=programme_id,
            measure_id=measure_id,
            update_id=update_id,
            file_id=f.file_id,
            file_unique_id=f.file_unique_id,
            name=f.name,
            kind=f.kind,
            mime_type=f.mime_type,
            size=f.size,
            sha256=f.sha256,
            created_at=at,
        )
        for f in files
    ]
    session.add_all(rows)
    if rows:
        await session.flush()  # the audit events name the rows
    for row in rows:
        audit.record(
            session,
            programme_id=programme_id,
            actor=actor,
            action="evidence.add",
            entity="evidence",
            entity_id=row.id,
            after={
                "measure": measure_id,
                "name": row.name,
                "file_unique_id": row.file_unique_id,
                "sha256": row.sha256,
                "size": row.size,
            },
            now=at,
        )


async def is_co_owner(session: AsyncSession, *, measure_id: int, person_id: int) -> bool:
    """True when the person is named as a further owner of the measure."""
    query = select(CoOwner.id).where(
        CoOwner.measure_id == measure_id, CoOwner.person_id == person_id
    )
    return (await session.exec(query)).first() is not None


async def percentages(
    session: AsyncSession,
    *,
    programme_id: int,
    tz: str,
    ids: Sequence[int] | None = None,
) -> dict[int, list[tuple[date, int]]]:
    """Each measure's (or some's) answers with a percentage, as (day answered in the programme's
    zone, percent), oldest first: what a forecast reads."""
    u = ProgressUpdate
    query = sa_select(col(u.measure_id), col(u.created_at), col(u.percent)).where(
        col(u.programme_id) == programme_id, col(u.percent).is_not(None)
    )
    if ids is not None:
        query = query.where(col(u.measure_id).in_(ids))
    zone = ZoneInfo(tz)
    out: dict[int, list[tuple[date, int]]] = {}
    conn = await session.connection()
    for mid, at, percent in (await conn.execute(query.order_by(col(u.id)))).all():
        out.setdefault(mid, []).append((at.astimezone(zone).date(), percent or 0))
    return out
