"""Co-units' shares: liaisons bound, their answers stored and read; the rules in core.domain.shares."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import ANSWERABLE, Role
from core.domain.shares import Binding, shares
from storage import audit, measures
from storage.coordinators import PLACEHOLDER
from storage.models import Measure, Person, Unit
from storage.models_shares import ShareAnswer, ShareLiaison
from storage.people import grant, person_named


@dataclass(frozen=True)
class Said:
    """A co-unit's latest words on its share of a measure."""

    unit: str
    note: str
    percent: int | None
    at: datetime


async def unit_named(session: AsyncSession, *, programme_id: int, name: str) -> Unit | None:
    """The unit of that name in the programme."""
    query = select(Unit).where(Unit.programme_id == programme_id, Unit.name == name)
    return (await session.exec(query)).first()


async def liaison_of(session: AsyncSession, *, programme_id: int, unit_id: int) -> Person:
    """The unit's one person of the ledger (its 联络员), else a new one named when they accept."""
    found = (
        await session.exec(
            select(Person).where(Person.programme_id == programme_id, Person.unit_id == unit_id)
        )
    ).all()
    if len(found) == 1:
        return found[0]
    name = PLACEHOLDER + secrets.token_hex(4)
    return await person_named(session, programme_id=programme_id, name=name, unit_id=unit_id)


async def bind(
    session: AsyncSession,
    *,
    person: Person,
    unit: Unit,
    measure: Measure | None,
    actor: str,
    now: datetime,
) -> None:
    """The person answers the unit's share of the measure (of every one, without): audited."""
    assert person.id is not None and unit.id is not None
    pid = person.programme_id
    mid = measure.id if measure else None
    exists = (
        await session.exec(
            select(ShareLiaison).where(
                ShareLiaison.person_id == person.id,
                ShareLiaison.unit_id == unit.id,
                ShareLiaison.measure_id == mid,
            )
        )
    ).first()
    await grant(session, programme_id=pid, person_id=person.id, role=Role.LIAISON)
    if exists is not None:
        return
    session.add(
        ShareLiaison(
            programme_id=pid, person_id=person.id, unit_id=unit.id, measure_id=mid, created_at=now
        )
    )
    audit.record(
        session, programme_id=pid, actor=actor, action="share.bind", entity="person",
        entity_id=person.id, after={"unit": unit.name, "measure": measure.code if measure else None},
        now=now,
    )  # fmt: skip


async def open_shares(
    session: AsyncSession, *, programme_id: int, person_id: int | None = None
) -> dict[int, list[tuple[Measure, str]]]:
    """Liaison → the open measures they answer a share of, with the co-unit, in ledger order."""
    query = (
        select(ShareLiaison, Unit.name, Measure.code)
        .join(Unit, col(Unit.id) == ShareLiaison.unit_id)
        .join(Measure, col(Measure.id) == ShareLiaison.measure_id, isouter=True)
        .where(ShareLiaison.programme_id == programme_id)
    )
    if person_id is not None:
        query = query.where(ShareLiaison.person_id == person_id)
    rows = await session.exec(query)
    by_person: dict[int, list[Binding]] = {}
    for link, unit, code in rows.all():
        by_person.setdefault(link.person_id, []).append(Binding(unit, code))
    if not by_person:
        return {}
    live = [
        (m, f) for m, f in await measures.facts(session, programme_id=programme_id)
        if f.status in ANSWERABLE
    ]  # fmt: skip
    by_code = {f.code: m for m, f in live}
    co_units = {f.code: f.co_units for _, f in live}
    return {
        person: [(by_code[code], unit) for code, unit in shares(bound, co_units)]
        for person, bound in by_person.items()
    }


async def record(
    session: AsyncSession,
    *,
    measure: Measure,
    unit_id: int,
    person_id: int,
    note: str,
    percent: int | None,
    actor: str,
    now: datetime,
) -> None:
    """A co-unit's words on its share: stored apart from the measure's answers, audited."""
    assert measure.id is not None
    row = ShareAnswer(
        programme_id=measure.programme_id, measure_id=measure.id, unit_id=unit_id,
        person_id=person_id, note=note, percent=percent, created_at=now,
    )  # fmt: skip
    session.add(row)
    await session.flush()
    audit.record(
        session, programme_id=measure.programme_id, actor=actor, action="share.update",
        entity="measure", entity_id=measure.id,
        after={"unit_id": unit_id, "note": note, "percent": percent, "share": row.id}, now=now,
    )  # fmt: skip


async def latest(session: AsyncSession, *, measure_id: int) -> list[Said]:
    """Each co-unit's latest words on its share of the measure, by unit name."""
    rows = await session.exec(
        select(ShareAnswer, Unit.name)
        .join(Unit, col(Unit.id) == ShareAnswer.unit_id)
        .where(ShareAnswer.measure_id == measure_id)
        .order_by(col(ShareAnswer.created_at), col(ShareAnswer.id))
    )
    newest = {unit: Said(unit, a.note, a.percent, a.created_at) for a, unit in rows.all()}
    return [newest[u] for u in sorted(newest)]


async def answered(session: AsyncSession, *, programme_id: int) -> set[tuple[str, str]]:
    """(code, unit) of every share that has been answered at least once."""
    rows = await session.exec(
        select(Measure.code, Unit.name)
        .join(ShareAnswer, col(ShareAnswer.measure_id) == Measure.id)
        .join(Unit, col(Unit.id) == ShareAnswer.unit_id)
        .where(ShareAnswer.programme_id == programme_id)
    )
    return set(rows.all())
