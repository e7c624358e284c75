"""Documents numbered per programme and year (〔2024〕3号): the next number, taken under a lock."""

from __future__ import annotations

import json

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.letters import next_number
from storage.models import AuditEvent, Programme


async def issued(
    session: AsyncSession, *, programme_id: int, action: str
) -> list[dict[str, object]]:
    """What every document of this kind recorded when issued, oldest first."""
    rows = await session.exec(
        select(AuditEvent)
        .where(AuditEvent.programme_id == programme_id, AuditEvent.action == action)
        .order_by(col(AuditEvent.id))
    )
    return [{**json.loads(e.after), "entity_id": e.entity_id} for e in rows.all() if e.after]


async def take(session: AsyncSession, *, programme_id: int, action: str, year: int) -> int:
    """The next number of the year for documents recorded as `action`, held until commit."""
    # two coordinators issuing at once must not share a number: writing the programme row
    # first takes its lock (a row lock on PostgreSQL, the write lock on SQLite) until commit
    await session.exec(
        update(Programme).where(col(Programme.id) == programme_id).values(id=Programme.id)
    )
    past = await issued(session, programme_id=programme_id, action=action)
    return next_number([(int(str(x["year"])), int(str(x["number"]))) for x in past], year)
