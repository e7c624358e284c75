"""The published progress report for a month, built from stored data as the month left it."""

from __future__ import annotations

import asyncio
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.progress_report import Said, progress_report
from core.domain.report import month_end
from core.i18n import Tr
from core.render.docx_progress import progress_docx
from storage import documents as stored
from storage import outcomes, progress, reports
from storage.models import Programme
from usecases.documents import Document


async def progress_document(
    session: AsyncSession,
    *,
    programme: Programme,
    year: int,
    month: int,
    today: date,
    now: datetime,
    t: Tr,
) -> Document:
    """The report on year-month: the measures replayed to its end, the owners' latest words then,
    the rhythm's activity, the programme's facts and the task force's narratives; signed today
    (`now`: whether the month is over)."""
    assert programme.id is not None
    pid, tz = programme.id, programme.timezone
    end = month_end(year, month)
    cutoff = stored.day_after(end, tz)
    measures = await reports.month_facts(
        session, programme=programme, year=year, month=month, now=now
    )
    extras = await stored.extras(session, programme_id=pid, as_of=end, tz=tz)
    content = progress_report(
        measures,
        {code: Said(e.note, e.next_step) for code, e in extras.items()},
        year=year,
        month=month,
        signed_on=today,
        facts=await progress.facts(session, programme_id=pid),
        activity=await progress.activity(session, programme_id=pid, before=cutoff),
        narratives=await progress.narratives(
            session, programme_id=pid, period=f"{year}-{month:02d}"
        ),
        letters=await progress.letters_by_code(session, programme_id=pid, before=cutoff),
        # 建章立制 as the monthly report of the same month counts them
        outcomes=await outcomes.as_of(session, programme=programme, at=cutoff, facts=measures),
    )
    # python-docx is CPU work: keep the event loop answering meanwhile
    data = await asyncio.to_thread(progress_docx, t, content, programme.name)
    name = t._(
        "{programme} rectification progress {month}",
        programme=t.stem(programme.name),
        month=t.month(year, month),
    )
    return Document(f"{name}.docx", data)
