"""Search the live ledger: codes, measure texts, units and people's names, by substring."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import or_
from sqlalchemy import select as columns
from sqlalchemy.orm import aliased
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Area, CoOwner, Measure, Person, Unit


def _like(text: str) -> str:
    """A LIKE pattern finding the text anywhere, its own % and _ taken literally."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


async def matching(
    session: AsyncSession, *, programme_id: int, text: str, person_id: int | None
) -> list[tuple[int, str, str, int]]:
    """(id, code, text, area number) of each live measure the text is found in; only the
    measures a person owns or co-owns when `person_id` is given. Chinese has no word
    boundaries, so a substring is the match: 水厂 finds 建成虎峰山乡镇水厂."""
    owner, leader = aliased(Person), aliased(Person)
    pattern = _like(text)
    m = Measure
    query: Any = (
        columns(col(m.id), col(m.code), col(m.text), col(Area.number))
        .join(Area, col(Area.id) == m.area_id)
        .join(Unit, col(Unit.id) == m.lead_unit_id)
        .join(owner, col(owner.id) == m.owner_id)
        .join(leader, col(leader.id) == m.leader_id, isouter=True)
        .where(
            col(m.programme_id) == programme_id,
            col(m.removed_at).is_(None),
            or_(
                *(
                    c.ilike(pattern, escape="\\")
                    for c in (
                        col(m.code),
                        col(m.text),
                        col(m.co_units),
                        col(Unit.name),
                        col(owner.name),
                        col(leader.name),
                    )
                )
            ),
        )
    )
    if person_id is not None:
        co = columns(col(CoOwner.measure_id)).where(col(CoOwner.person_id) == person_id)
        query = query.where(or_(col(m.owner_id) == person_id, col(m.id).in_(co)))
    rows: Sequence[Any] = (await (await session.connection()).execute(query)).all()
    return [(mid, code, words, number) for mid, code, words, number in rows]


async def co_owns(session: AsyncSession, *, measure_id: int, person_id: int) -> bool:
    """Whether the person is a further owner of the measure."""
    query = columns(col(CoOwner.id)).where(
        col(CoOwner.measure_id) == measure_id, col(CoOwner.person_id) == person_id
    )
    return (await (await session.connection()).execute(query.limit(1))).first() is not None
