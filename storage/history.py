"""A measure's audit events with the names of who acted."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import audit
from storage.models import AuditEvent, Measure, Person


async def measure_by_code(session: AsyncSession, *, programme_id: int, code: str) -> Measure | None:
    """A measure of the programme by its code (removed ones too: their history stays)."""
    rows = await session.exec(
        select(Measure).where(Measure.programme_id == programme_id, Measure.code == code)
    )
    return rows.first()


async def actor_names(session: AsyncSession, *, programme_id: int) -> dict[str, str]:
    """How audit actors ("tg:123") read as ledger names in this programme."""
    rows = await session.exec(
        select(Person.telegram_user_id, Person.name).where(
            Person.programme_id == programme_id,
            Person.telegram_user_id != None,  # noqa: E711
        )
    )
    return {f"tg:{uid}": name for uid, name in rows.all()}


async def of_measure(session: AsyncSession, *, measure: Measure) -> list[AuditEvent]:
    """Every event about the measure, oldest first."""
    assert measure.id is not None
    return await audit.of_entity(
        session, programme_id=measure.programme_id, entity="measure", entity_ids=[measure.id]
    )


async def ledger_since(session: AsyncSession, *, programme_id: int) -> datetime | None:
    """When the ledger first came into the programme (its first import), or None."""
    rows = await session.exec(
        select(AuditEvent.at)
        .where(AuditEvent.programme_id == programme_id, AuditEvent.action == "measure.import")
        .order_by(col(AuditEvent.seq))
    )
    return rows.first()
