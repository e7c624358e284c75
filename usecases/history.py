"""A measure's recorded steps: one list of events for /history, the CLI and the board."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.i18n import Tr
from core.render.history import Entry, history_text
from storage import audit, history
from storage.models import Measure, Programme


async def entries(session: AsyncSession, programme: Programme, measure: Measure) -> list[Entry]:
    """Every event of the measure, oldest first, dated in the programme's zone, actors named."""
    assert programme.id is not None
    tz = ZoneInfo(programme.timezone)
    names = await history.actor_names(session, programme_id=programme.id)
    return [
        Entry(
            at=e.at.astimezone(tz),
            who=names.get(e.actor, e.actor),
            action=e.action,
            before=audit.load(e.before),
            after=audit.load(e.after),
        )
        for e in await history.of_measure(session, measure=measure)
    ]


async def measure_history(
    session: AsyncSession, t: Tr, programme: Programme, measure: Measure
) -> str:
    """The history text of one measure in the reader's language (also used by the CLI)."""
    return history_text(t, measure.code, measure.text, await entries(session, programme, measure))
