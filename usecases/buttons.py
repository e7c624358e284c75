"""What a page of measure buttons lists, in the dispatch's order: red and yellow first."""

from __future__ import annotations

from datetime import date

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.lights import by_urgency
from core.domain.model import ANSWERABLE, Beat, MeasureFacts
from storage import beats, dispatch_items, measures
from storage.models import Measure


def ordered(
    rows: list[tuple[Measure, MeasureFacts]], today: date
) -> list[tuple[int, MeasureFacts]]:
    """(measure id, facts), red and yellow first."""
    ids = {f.code: m.id or 0 for m, f in rows}
    return [(ids[f.code], f) for f in by_urgency([f for _, f in rows], today)]


async def button_list(
    session: AsyncSession, *, programme_id: int, person_id: int, scope: str, today: date
) -> list[tuple[int, MeasureFacts]]:
    """What a page of measure buttons lists: an owner's open measures ("open"), or the
    measures a recipient has not answered in the latest dispatch ("unanswered")."""
    rows = [
        (m, f)
        for m, f in await measures.facts(session, programme_id=programme_id)
        if f.status in ANSWERABLE
    ]
    if scope == "open":
        return ordered([(m, f) for m, f in rows if m.owner_id == person_id], today)
    last = await beats.latest(session, programme_id=programme_id, beat=Beat.DISPATCH)
    items = (
        await dispatch_items.items(session, programme_id=programme_id, period=last.period)
        if last
        else []
    )
    waiting = {i.measure_id for i in items if i.recipient_id == person_id and not i.answered}
    return ordered([(m, f) for m, f in rows if m.id in waiting], today)
