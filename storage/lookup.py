"""Which programme a measure or person belongs to: buttons carry ids, not programmes."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Measure, Person, Unit


async def programme_of_person(session: AsyncSession, *, person_id: int) -> int | None:
    """The programme of a ledger person, or None."""
    p = await session.get(Person, person_id)
    return p.programme_id if p is not None else None


async def leader_and_unit(session: AsyncSession, *, measure: Measure) -> tuple[Person | None, str]:
    """A measure's responsible leader (if any) and its lead unit's name."""
    leader = await session.get(Person, measure.leader_id) if measure.leader_id else None
    unit = await session.get(Unit, measure.lead_unit_id)
    return leader, unit.name if unit is not None else ""


async def live_measures(session: AsyncSession, *, programme_id: int) -> int:
    """How many measures the programme's ledger holds now."""
    rows = await session.exec(
        select(func.count())
        .select_from(Measure)
        .where(Measure.programme_id == programme_id, col(Measure.removed_at).is_(None))
    )
    return int(rows.one())


async def ids_of_codes(
    session: AsyncSession, *, programme_id: int, codes: Sequence[str]
) -> dict[str, int]:
    """Live measures' ids by code: what buttons under a digest's items carry."""
    if not codes:
        return {}
    rows = await session.exec(
        select(Measure.code, Measure.id).where(
            Measure.programme_id == programme_id,
            col(Measure.removed_at).is_(None),
            col(Measure.code).in_(codes),
        )
    )
    return {code: measure_id for code, measure_id in rows.all() if measure_id is not None}
