"""Measures as domain facts, and the owner's answers that change them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.lifecycle import Event, next_status
from bot.domain.model import Answer, Health, MeasureFacts, Status, code_key
from storage import audit, dispatch_items
from storage.models import (
    Area,
    EvidenceFile,
    Measure,
    Person,
    Problem,
    ProgressUpdate,
    Unit,
)


@dataclass(frozen=True)
class Evidence:
    """A file reference received from Telegram."""

    file_id: str
    file_unique_id: str
    name: str
    kind: str
    mime_type: str | None = None
    size: int | None = None


async def latest_answers(
    session: AsyncSession,
    *,
    programme_id: int,
    measure_id: int | None = None,
    before: datetime | None = None,
) -> dict[int, Answer]:
    """Each measure's (or one measure's) latest answer (before a moment, if given), in one query."""
    which = select(func.max(ProgressUpdate.id).label("id")).where(
        ProgressUpdate.programme_id == programme_id
    )
    if before is not None:
        which = which.where(col(ProgressUpdate.created_at) < before)
    if measure_id is not None:
        which = which.where(ProgressUpdate.measure_id == measure_id)
    last = which.group_by(col(ProgressUpdate.measure_id)).subquery()
    rows = (
        await session.exec(
            select(ProgressUpdate, Person.name)
            .join(last, col(ProgressUpdate.id) == last.c.id)
            .join(Person, col(Person.id) == ProgressUpdate.person_id)
        )
    ).all()
    return {
        u.measure_id: Answer(
            health=Health(u.health),
            at=u.created_at,
            by=name,
            percent=u.percent,
            note=u.note,
            blockers=u.blockers,
        )
        for u, name in rows
    }


async def facts(
    session: AsyncSession,
    *,
    programme_id: int,
    owner_ids: Sequence[int] | None = None,
    as_of: tuple[datetime, str] | None = None,
) -> list[tuple[Measure, MeasureFacts]]:
    """Every live measure of the programme (or of some owners) with its facts, by code.

    With as_of (a moment and the last dispatch period by then) answers and silences come from
    before that moment; statuses and deadlines are undone by the caller (bot.domain.as_of).
    """
    query = (
        select(Measure, Area, Problem, Unit)
        .join(Area, col(Area.id) == Measure.area_id)
        .join(Problem, col(Problem.id) == Measure.problem_id)
        .join(Unit, col(Unit.id) == Measure.lead_unit_id)
        .where(Measure.programme_id == programme_id, col(Measure.removed_at).is_(None))
    )
    if owner_ids is not None:
        query = query.where(col(Measure.owner_id).in_(owner_ids))
    rows = (await session.exec(query)).all()
    people = {
        p.id: p.name
        for p in (
            await session.exec(select(Person).where(Person.programme_id == programme_id))
        ).all()
    }
    silent = await dispatch_items.silent_counts(
        session, programme_id=programme_id, last_period=as_of[1] if as_of else None
    )
    latest = await latest_answers(
        session, programme_id=programme_id, before=as_of[0] if as_of else None
    )
    out = [
        (
            m,
            MeasureFacts(
                code=m.code,
                text=m.text,
                area_number=area.number,
                area=area.name,
                problem=problem.name,
                leader=people.get(m.leader_id, "") if m.leader_id else "",
                lead_unit=unit.name,
                owner=people.get(m.owner_id, ""),
                deadline=m.deadline,
                original_deadline=m.original_deadline,
                status=Status(m.status),
                health=Health(m.health) if m.health else None,
                silent_dispatches=silent.get(m.id or 0, 0),
                closed_on=m.closed_on,
                co_units=tuple(u for u in m.co_units.split("、") if u),
                last_update=m.updated_at,
                latest=latest.get(m.id or 0),
            ),
        )
        for m, area, problem, unit in rows
    ]
    out.sort(key=lambda pair: code_key(pair[0].code))
    return out


async def by_id(session: AsyncSession, *, programme_id: int, measure_id: int) -> Measure | None:
    """A live measure of the programme by id (None for another programme's)."""
    m = await session.get(Measure, measure_id)
    if m is None or m.programme_id != programme_id or m.removed_at is not None:
        return None
    return m


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
    _add_evidence(session, update, files)
    before = {"status": measure.status, "health": measure.health}
    measure.status = next_status(Status(measure.status), Event.ANSWER).value
    measure.health = health.value
    measure.updated_at = now
    session.add(measure)
    await dispatch_items.mark_answered(
        session, programme_id=measure.programme_id, measure_id=measure.id
    )
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
        },
        now=now,
    )
    return update


def _add_evidence(session: AsyncSession, update: ProgressUpdate, files: Sequence[Evidence]) -> None:
    """The answer's evidence files (佐证资料), as Telegram file references."""
    for f in files:
        session.add(
            EvidenceFile(
                programme_id=update.programme_id,
                measure_id=update.measure_id,
                update_id=update.id,
                file_id=f.file_id,
                file_unique_id=f.file_unique_id,
                name=f.name,
                kind=f.kind,
                mime_type=f.mime_type,
                size=f.size,
                created_at=update.created_at,
            )
        )
