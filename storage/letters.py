"""Work prompt letters: issuing one is an audit event that also carries its number."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.letters import Letter, letter, next_number
from bot.domain.model import MeasureFacts
from bot.domain.workcal import CalendarKind
from storage import audit
from storage.models import AuditEvent, Measure, Programme

ACTION = "letter.issue"


async def issued(session: AsyncSession, *, programme_id: int) -> list[dict[str, object]]:
    """Every letter of the programme, oldest first, as recorded."""
    rows = await session.exec(
        select(AuditEvent)
        .where(AuditEvent.programme_id == programme_id, AuditEvent.action == ACTION)
        .order_by(col(AuditEvent.id))
    )
    return [{**json.loads(e.after), "measure_id": e.entity_id} for e in rows.all() if e.after]


async def issue(
    session: AsyncSession,
    *,
    programme: Programme,
    measure: Measure,
    facts: MeasureFacts,
    today: date,
    actor: str,
    now: datetime,
) -> Letter:
    """Number the letter (per programme and year) and record it in the measure's history."""
    assert programme.id is not None
    past = await issued(session, programme_id=programme.id)
    numbers = [(int(str(x["year"])), int(str(x["number"]))) for x in past]
    content = letter(
        programme.name,
        facts,
        today,
        next_number(numbers, today.year),
        CalendarKind(programme.calendar),
    )
    audit.record(
        session,
        programme_id=programme.id,
        actor=actor,
        action=ACTION,
        entity="measure",
        entity_id=measure.id,
        after={
            "year": content.year,
            "number": content.number,
            "issued_on": content.issued_on.isoformat(),
            "reply_by": content.reply_by.isoformat(),
            "lead_unit": facts.lead_unit,
        },
        now=now,
    )
    await session.flush()
    return content
