"""What the documents need beyond measure facts: latest notes, evidence counts, first deadlines."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.documents import Extras
from bot.domain.notes import split_next_step
from storage.models import AuditEvent, EvidenceFile, Measure, ProgressUpdate


def _first_deadlines(events: Sequence[AuditEvent]) -> dict[int, date | None]:
    """Per measure id: the deadline its first recorded import gave it."""
    first: dict[int, date | None] = {}
    for event in events:
        if event.entity_id is None or event.entity_id in first or not event.after:
            continue
        after = json.loads(event.after)
        if isinstance(after, dict) and "deadline" in after:
            value = after["deadline"]
            first[event.entity_id] = date.fromisoformat(value) if value else None
    return first


def moment(value: datetime, tz: str) -> datetime:
    """A stored moment in programme-local time (naive values are stored as local already)."""
    zone = ZoneInfo(tz)
    return value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)


def day_in(value: datetime, tz: str) -> date:
    """The programme-local day of a stored moment."""
    return moment(value, tz).date()


async def extras(
    session: AsyncSession,
    *,
    programme_id: int,
    rows: Sequence[Measure],
    as_of: date,
    tz: str,
) -> dict[str, Extras]:
    """Per code: the latest note and next step up to `as_of`, evidence count, original deadline."""
    notes: dict[int, ProgressUpdate] = {}
    steps: dict[int, str] = {}
    query = select(ProgressUpdate).where(ProgressUpdate.programme_id == programme_id)
    for update in (
        await session.exec(query.order_by(col(ProgressUpdate.created_at), col(ProgressUpdate.id)))
    ).all():
        if update.note.strip() and day_in(update.created_at, tz) <= as_of:
            notes[update.measure_id] = update
            step = split_next_step(update.note)[1]
            if step:  # the latest plan stands until the owner writes another
                steps[update.measure_id] = step
    files = Counter(
        f.measure_id
        for f in (
            await session.exec(
                select(EvidenceFile).where(EvidenceFile.programme_id == programme_id)
            )
        ).all()
        if day_in(f.created_at, tz) <= as_of
    )
    events = (
        await session.exec(
            select(AuditEvent)
            .where(
                AuditEvent.programme_id == programme_id,
                AuditEvent.entity == "measure",
                AuditEvent.action == "measure.import",
            )
            .order_by(col(AuditEvent.id))
        )
    ).all()
    first = _first_deadlines(events)
    out: dict[str, Extras] = {}
    for m in rows:
        assert m.id is not None
        note = notes.get(m.id)
        original = first.get(m.id, m.deadline)
        out[m.code] = Extras(
            note=split_next_step(note.note)[0] if note else "",
            noted_on=day_in(note.created_at, tz) if note else None,
            next_step=steps.get(m.id, ""),
            evidence=files.get(m.id, 0),
            original_deadline=original if original != m.deadline else None,
        )
    return out
