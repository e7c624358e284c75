"""Circulars (工作通报): issuing one is an audit event that carries its number and its mentions."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.circulars import Circular
from storage import audit, numbering

ACTION = "circular.issue"


async def next_number(session: AsyncSession, *, programme_id: int, year: int) -> int:
    """The circular's number in the year, by the letters' rule, held until this commit."""
    return await numbering.take(session, programme_id=programme_id, action=ACTION, year=year)


def record(
    session: AsyncSession, *, programme_id: int, circular: Circular, actor: str, now: datetime
) -> None:
    """The issue as an audit event: number, month, and what it says of whom."""
    figures = circular.picture
    audit.record(
        session,
        programme_id=programme_id,
        actor=actor,
        action=ACTION,
        entity="programme",
        entity_id=programme_id,
        after={
            "year": circular.year,
            "number": circular.number,
            "issued_on": circular.issued_on.isoformat(),
            "period": f"{figures.year}-{figures.month:02d}",
            "ranking": [[r.rank, r.unit.key] for r in figures.ranking],
            "overdue": [o.measure.code for o in figures.overdue],
            "untrue": [f.code for f in figures.untrue],
            "mentions": [
                [m.stance.value, m.unit, m.sentence] for m in (*circular.commended, *circular.named)
            ],
        },
        now=now,
    )
