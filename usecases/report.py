"""每月一汇报: the monthly report's text and files, one computation for the beat and /export."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.closing import tally
from core.domain.report import MonthlyReport, month_end
from core.domain.spotcheck import tally as spot_tally
from core.i18n import Tr, tr
from core.render import closing
from core.render import public as public_words
from core.render.anchor import anchor_line
from core.render.digest import report_text
from core.render.keyboards import red_buttons, with_board
from core.render.spotcheck import tally_lines
from storage import audit, lookbacks, public, reports, spotchecks
from storage.models import Programme
from usecases import documents
from usecases.digest import Digest, Part, measure_ids


async def _package(
    session: AsyncSession, *, programme: Programme, period: str, now: datetime, t: Tr
) -> tuple[str, list[documents.Document], MonthlyReport]:
    content = await reports.report_content(session, programme=programme, period=period, now=now)
    assert programme.id is not None
    # the chain's head leaves the database in every report: cutting the trail shows against it
    anchor = await audit.anchor(session, programme_id=programme.id)
    zone = ZoneInfo(programme.timezone)
    start = datetime.combine(date(content.year, content.month, 1), time(), zone)
    end = datetime.combine(month_end(content.year, content.month) + timedelta(days=1), time(), zone)
    done = await lookbacks.looked_back(
        session, programme_id=programme.id, start=start, end=end, tz=programme.timezone
    )
    checked = spot_tally(
        await spotchecks.answered_between(session, programme_id=programme.id, start=start, end=end)
    )
    # 群众监督: counted once, for the message and the Word report alike
    comments = await public.tally(session, programme_id=programme.id, start=start, end=end)
    files = await documents.monthly_files(
        session, programme=programme, content=content, t=t, looked_back=done, anchor=anchor,
        comments=comments,
        spot=checked,
    )  # fmt: skip
    verdicts = tally([(d.code, d.verdict) for d in done])
    spot_lines = tally_lines(t, checked)
    lines = [
        report_text(t, content, programme.name),
        *closing.report_lines(t, verdicts),
        *public_words.report_lines(t, comments),
        *(["", *spot_lines] if spot_lines else []),
        anchor_line(t, anchor),
    ]
    return "\n".join(lines), files, content


async def monthly_package(
    session: AsyncSession, *, programme: Programme, period: str, now: datetime, t: Tr
) -> tuple[str, list[documents.Document]]:
    """The monthly report's text and its files, from one computation of the report."""
    text, files, _ = await _package(session, programme=programme, period=period, now=now, t=t)
    return text, files


async def monthly(
    session: AsyncSession,
    *,
    programme: Programme,
    period: str,
    now: datetime,
    board: str | None = None,
) -> Digest | None:
    """The monthly report, its chart and files for the leadership group (`board`: its link)."""
    if programme.leadership_chat_id is None:
        return None
    assert programme.id is not None
    t = tr(programme.locale)
    text, files, content = await _package(session, programme=programme, period=period, now=now, t=t)
    # a leader follows up (督办) on an overdue item from the report
    overdue = await measure_ids(session, programme.id, [o.measure.code for o in content.overdue])
    parts = [Part(text, with_board(t, red_buttons(t, overdue, letters=False), board))] + [
        Part(caption, file=(kind, f.filename, f.data))
        for kind, f, caption in documents.sendable(files)
    ]
    return Digest(programme.leadership_chat_id, parts)
