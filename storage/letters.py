"""Work prompt letters: issuing one is an audit event that also carries its number."""

from __future__ import annotations

import json
from datetime import date, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.letters import Letter, LetterState, letter
from core.domain.model import MeasureFacts
from core.domain.workcal import CalendarKind
from storage import audit, numbering
from storage.documents import moment
from storage.models import AuditEvent, Measure, Programme, ProgressUpdate

ACTION = "letter.issue"


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
    number = await numbering.take(
        session, programme_id=programme.id, action=ACTION, year=today.year
    )
    content = letter(programme.name, facts, today, number, CalendarKind(programme.calendar))
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


async def states(session: AsyncSession, *, programme_id: int, tz: str) -> list[LetterState]:
    """Every letter issued, oldest first, with the day its unit first answered after it."""
    rows = (
        await session.exec(
            select(AuditEvent, Measure.code)
            .join(Measure, col(Measure.id) == col(AuditEvent.entity_id))
            .where(AuditEvent.programme_id == programme_id, AuditEvent.action == ACTION)
            .order_by(col(AuditEvent.id))
        )
    ).all()
    ids = {event.entity_id for event, _ in rows}
    answers: dict[int, list[datetime]] = {}
    if ids:
        found = await session.exec(
            select(ProgressUpdate.measure_id, ProgressUpdate.created_at).where(
                col(ProgressUpdate.measure_id).in_(ids)
            )
        )
        for measure_id, at in found.all():
            answers.setdefault(measure_id, []).append(at)
    out: list[LetterState] = []
    for event, code in rows:
        after = json.loads(event.after)
        issued = moment(event.at, tz)
        later = [moment(at, tz) for at in answers.get(event.entity_id or 0, [])]
        first = min((at for at in later if at > issued), default=None)
        out.append(
            LetterState(
                code=code,
                lead_unit=str(after.get("lead_unit", "")),
                year=int(after["year"]),
                number=int(after["number"]),
                issued_on=date.fromisoformat(after["issued_on"]),
                reply_by=date.fromisoformat(after["reply_by"]),
                answered_on=first.date() if first is not None else None,
            )
        )
    return out
