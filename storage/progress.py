"""The progress report's own data: inspection facts, the task force's narratives, the activity."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.inspection import InspectionFacts
from core.domain.model import Beat
from core.domain.progress_report import Activity
from storage import audit
from storage.letters import ACTION as LETTER
from storage.models import AuditEvent, Measure, SentBeat
from storage.models_closing import FollowUp, LookBack
from storage.models_report import Narrative, ProgrammeFacts

FACT_COLUMNS = ("inspector", "organisation", "window_start", "window_end", "feedback_on", "contact")


def _plain(value: Any) -> Any:
    """A fact as the audit trail writes it: dates as ISO text."""
    return value.isoformat() if hasattr(value, "isoformat") else value


async def _row(session: AsyncSession, programme_id: int) -> ProgrammeFacts | None:
    found = await session.exec(
        select(ProgrammeFacts).where(ProgrammeFacts.programme_id == programme_id)
    )
    return found.first()


async def facts(session: AsyncSession, *, programme_id: int) -> InspectionFacts:
    """The programme's inspection facts (all empty until a coordinator sets them)."""
    row = await _row(session, programme_id)
    if row is None:
        return InspectionFacts()
    return InspectionFacts(**{k: getattr(row, k) for k in FACT_COLUMNS})


async def set_facts(
    session: AsyncSession,
    *,
    programme_id: int,
    changes: Mapping[str, object],
    actor: str,
    now: datetime,
) -> InspectionFacts:
    """Change some inspection facts and record the change in the audit trail."""
    unknown = set(changes) - set(FACT_COLUMNS)
    if unknown:
        raise ValueError(f"not inspection facts: {sorted(unknown)}")
    row = await _row(session, programme_id) or ProgrammeFacts(
        programme_id=programme_id, updated_at=now
    )
    before = {k: _plain(getattr(row, k)) for k in changes}
    for key, value in changes.items():
        setattr(row, key, value)
    row.updated_at = now
    session.add(row)
    audit.record(
        session,
        programme_id=programme_id,
        actor=actor,
        action="programme.facts",
        entity="programme",
        entity_id=programme_id,
        before=before,
        after={k: _plain(v) for k, v in changes.items()},
        now=now,
    )
    return InspectionFacts(**{k: getattr(row, k) for k in FACT_COLUMNS})


async def narratives(session: AsyncSession, *, programme_id: int, period: str) -> dict[int, str]:
    """The task force's text per section for a period (YYYY-MM)."""
    rows = await session.exec(
        select(Narrative).where(Narrative.programme_id == programme_id, Narrative.period == period)
    )
    return {n.section: n.text for n in rows.all()}


async def set_narrative(
    session: AsyncSession,
    *,
    programme_id: int,
    period: str,
    section: int,
    text: str,
    actor: str,
    now: datetime,
) -> None:
    """Keep (or, with empty text, remove) a section's text for a period; audit the change."""
    found = await session.exec(
        select(Narrative).where(
            Narrative.programme_id == programme_id,
            Narrative.period == period,
            Narrative.section == section,
        )
    )
    row = found.first()
    before = row.text if row is not None else ""
    if row is not None and not text:
        await session.delete(row)
    elif text:
        row = row or Narrative(
            programme_id=programme_id, period=period, section=section, text=text, updated_at=now
        )
        row.text, row.updated_at = text, now
        session.add(row)
    audit.record(
        session,
        programme_id=programme_id,
        actor=actor,
        action="report.narrative",
        entity="programme",
        entity_id=programme_id,
        before={"period": period, "section": section, "text": before},
        after={"period": period, "section": section, "text": text},
        now=now,
    )


async def _count(session: AsyncSession, query: Any) -> int:
    return int((await session.exec(query)).one())


async def activity(session: AsyncSession, *, programme_id: int, before: datetime) -> Activity:
    """What the rhythm did for the programme before a moment (the period's end)."""
    sent: dict[str, int] = {}
    rows = await session.exec(
        select(SentBeat.beat, func.count())
        .where(SentBeat.programme_id == programme_id, col(SentBeat.sent_at) < before)
        .group_by(col(SentBeat.beat))
    )
    for beat, n in rows.all():
        sent[beat] = int(n)
    follow_ups = select(func.count()).where(
        FollowUp.programme_id == programme_id, col(FollowUp.created_at) < before
    )
    lookbacks = select(func.count()).where(
        LookBack.programme_id == programme_id, col(LookBack.asked_at) < before
    )
    letters = await letters_by_code(session, programme_id=programme_id, before=before)
    return Activity(
        dispatches=sent.get(Beat.DISPATCH.value, 0),
        reviews=sent.get(Beat.REVIEW.value, 0),
        reports=sent.get(Beat.REPORT.value, 0),
        follow_ups=await _count(session, follow_ups),
        letters=sum(letters.values()),
        lookbacks=await _count(session, lookbacks),
    )


async def letters_by_code(
    session: AsyncSession, *, programme_id: int, before: datetime
) -> dict[str, int]:
    """Work prompt letters issued before a moment, per measure code."""
    rows = await session.exec(
        select(Measure.code, func.count())
        .select_from(AuditEvent)
        .join(Measure, col(Measure.id) == col(AuditEvent.entity_id))
        .where(
            AuditEvent.programme_id == programme_id,
            AuditEvent.action == LETTER,
            col(AuditEvent.at) < before,
        )
        .group_by(col(Measure.code))
    )
    return {code: int(n) for code, n in rows.all()}
