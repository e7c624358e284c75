"""Apply a parsed ledger to a programme: plan (preview) and write, all or nothing."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.ledger import LedgerRow, area_number
from bot.domain.ledger_plan import ImportPlan, closed_on, diff, plan_import, row_values
from bot.domain.model import Role, Status
from storage import audit
from storage.models import Area, Measure, Person, Problem, Unit
from storage.people import grant, person_named, unit_named


async def _current(session: AsyncSession, programme_id: int) -> dict[str, dict[str, Any]]:
    """Existing measures by code, as the same plain values a row gives."""
    names: dict[tuple[str, int], str] = {}
    for label, query in (
        ("area", select(Area.id, Area.name).where(Area.programme_id == programme_id)),
        ("problem", select(Problem.id, Problem.name).where(Problem.programme_id == programme_id)),
        ("unit", select(Unit.id, Unit.name).where(Unit.programme_id == programme_id)),
        ("person", select(Person.id, Person.name).where(Person.programme_id == programme_id)),
    ):
        for item_id, name in (await session.exec(query)).all():
            names[(label, item_id or 0)] = name
    result = await session.exec(select(Measure).where(Measure.programme_id == programme_id))
    out: dict[str, dict[str, Any]] = {}
    for m in result.all():
        out[m.code] = {
            "text": m.text,
            "area": names[("area", m.area_id)],
            "problem": names[("problem", m.problem_id)],
            "leader": names.get(("person", m.leader_id or -1), ""),
            "lead_unit": names[("unit", m.lead_unit_id)],
            "co_units": m.co_units,
            "owner": names[("person", m.owner_id)],
            "deadline": m.deadline.isoformat() if m.deadline else None,
            "status": m.status,
            "removed": m.removed_at is not None,
        }
    return out


async def plan(
    session: AsyncSession,
    *,
    programme_id: int,
    rows: Sequence[LedgerRow],
    current: dict[str, dict[str, Any]] | None = None,
) -> ImportPlan:
    """Compare the file with the ledger as stored (pass `current` when already loaded)."""
    if current is None:
        current = await _current(session, programme_id)
    return plan_import(rows, current)


async def apply(
    session: AsyncSession,
    *,
    programme_id: int,
    rows: Sequence[LedgerRow],
    actor: str,
    now: datetime,
    today: date,
    remove_missing: bool = False,
) -> ImportPlan:
    """Write the rows (the caller's transaction makes it all or nothing)."""
    current = await _current(session, programme_id)
    result = await plan(session, programme_id=programme_id, rows=rows, current=current)
    measures = {
        m.code: m
        for m in (
            await session.exec(select(Measure).where(Measure.programme_id == programme_id))
        ).all()
    }
    areas: dict[str, Area] = {
        a.name: a
        for a in (await session.exec(select(Area).where(Area.programme_id == programme_id))).all()
    }
    for row in rows:
        values = row_values(row)
        old = current.get(row.code)
        changes = diff(old, values) if old else values
        if old is not None and not changes:
            continue
        area_id, problem_id = await _place(session, programme_id, row, areas)
        lead_id, owner_id, leader_id = await _people(session, programme_id, row)
        measure = measures.get(row.code) or Measure(
            programme_id=programme_id,
            code=row.code,
            text=row.measure,
            area_id=area_id,
            problem_id=problem_id,
            lead_unit_id=lead_id,
            owner_id=owner_id,
            updated_at=now,
        )
        _fill(measure, row, (area_id, problem_id, lead_id, owner_id, leader_id), today, now)
        session.add(measure)
        await session.flush()
        audit.record(
            session,
            programme_id=programme_id,
            actor=actor,
            action="measure.import",
            entity="measure",
            entity_id=measure.id,
            before={k: old[k] for k in changes if k in old} if old else None,
            after=changes,
            now=now,
        )
    if remove_missing:
        _remove(session, programme_id, [measures[c] for c in result.missing], actor, now)
    return result


def _fill(
    measure: Measure,
    row: LedgerRow,
    ids: tuple[int, int, int, int, int | None],
    today: date,
    now: datetime,
) -> None:
    """Set a measure from its row; (area, problem, lead unit, owner, leader) ids already known."""
    measure.area_id, measure.problem_id, measure.lead_unit_id, measure.owner_id = ids[:4]
    measure.leader_id = ids[4]
    measure.text = row.measure
    measure.co_units = "、".join(row.co_units)
    measure.deadline = row.deadline
    if measure.status != row.status.value:
        measure.closed_on = closed_on(row, today) if row.status is Status.CLOSED else None
    measure.status = row.status.value
    measure.removed_at = None
    measure.updated_at = now


async def _place(
    session: AsyncSession, programme_id: int, row: LedgerRow, areas: dict[str, Area]
) -> tuple[int, int]:
    """The row's area and problem ids, created on first use (areas numbered as they appear)."""
    area = areas.get(row.area)
    if area is None:
        area = Area(programme_id=programme_id, number=area_number(row.code), name=row.area)
        session.add(area)
        await session.flush()
        areas[row.area] = area
    assert area.id is not None
    problem = (
        await session.exec(
            select(Problem).where(
                Problem.programme_id == programme_id,
                Problem.area_id == area.id,
                Problem.name == row.problem,
            )
        )
    ).first()
    if problem is None:
        problem = Problem(programme_id=programme_id, area_id=area.id, name=row.problem)
        session.add(problem)
        await session.flush()
    assert problem.id is not None
    return area.id, problem.id


async def _people(
    session: AsyncSession, programme_id: int, row: LedgerRow
) -> tuple[int, int, int | None]:
    """(lead unit, owner, leader) ids; units and people created, roles granted on first use."""
    lead = await unit_named(session, programme_id=programme_id, name=row.lead_unit)
    for co in row.co_units:
        await unit_named(session, programme_id=programme_id, name=co)
    owner = await person_named(session, programme_id=programme_id, name=row.owner, unit_id=lead.id)
    assert owner.id is not None and lead.id is not None
    await grant(session, programme_id=programme_id, person_id=owner.id, role=Role.OWNER)
    if not row.leader:
        return lead.id, owner.id, None
    leader = await person_named(session, programme_id=programme_id, name=row.leader)
    assert leader.id is not None
    await grant(session, programme_id=programme_id, person_id=leader.id, role=Role.LEADER)
    return lead.id, owner.id, leader.id


def _remove(
    session: AsyncSession, programme_id: int, gone: Sequence[Measure], actor: str, now: datetime
) -> None:
    """Mark measures removed (kept with their history) and audit each."""
    for measure in gone:
        measure.removed_at = now
        session.add(measure)
        audit.record(
            session,
            programme_id=programme_id,
            actor=actor,
            action="measure.remove",
            entity="measure",
            entity_id=measure.id,
            before={"code": measure.code, "removed": False},
            after={"code": measure.code, "removed": True},
            now=now,
        )
