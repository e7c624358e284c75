"""The documents (ledger workbook, monthly report files) built from stored data, and posting them."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain import documents, report
from core.domain.chain import Anchor
from core.domain.closing import LookedBack, tally
from core.domain.halfyear import MONTHS, first_month
from core.domain.halfyear import halfyear as halfyear_content
from core.domain.model import MeasureFacts
from core.domain.public import PublicTally
from core.domain.spotcheck import SpotTally
from core.domain.spotcheck import tally as spot_tally
from core.i18n import Tr
from core.render.anchor import with_anchor_footer
from core.render.chart import monthly_chart
from core.render.docx import monthly_docx
from core.render.docx_halfyear import halfyear_docx
from core.render.limits import CAPTION, PHOTO_UPLOAD_BYTES, UPLOAD_BYTES, fit
from core.render.xlsx import ledger_workbook
from storage import as_of as as_of_store
from storage import documents as stored
from storage import lookbacks, measures, outcomes, public, reports, spotchecks
from storage.models import Programme

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Document:
    """A file to post: a document, or a photo shown inline."""

    filename: str
    data: bytes
    photo: bool = False
    caption: str = ""


async def records(
    session: AsyncSession,
    *,
    programme: Programme,
    as_of: date,
    facts: Sequence[MeasureFacts] | None = None,
) -> list[documents.Record]:
    """The measures (live ones, unless `facts` says how they stood) with their extras."""
    assert programme.id is not None
    if facts is None:
        # plain rows, not ORM objects: the export reads every measure and update of the programme
        facts = await measures.facts_only(session, programme_id=programme.id)
    extras = await stored.extras(
        session, programme_id=programme.id, as_of=as_of, tz=programme.timezone
    )
    return documents.records(facts, extras)


def ledger_file(t: Tr, content: documents.LedgerContent) -> Document:
    """The ledger workbook as a file named for the programme and the day."""
    name = t._(
        "{programme} ledger {date}", programme=t.stem(content.programme), date=t.date(content.as_of)
    )
    return Document(f"{name}.xlsx", ledger_workbook(t, content))


async def ledger(
    session: AsyncSession, *, programme: Programme, as_of: date, t: Tr, past: bool = False
) -> Document:
    """The ledger workbook today, or as it stood at a past day's end (`past`)."""
    facts = None
    if past:
        at = stored.day_after(as_of, programme.timezone)
        facts = await as_of_store.facts_at(session, programme=programme, at=at)
    rows = await records(session, programme=programme, as_of=as_of, facts=facts)
    at = stored.day_after(as_of, programme.timezone)
    rules = await outcomes.as_of(session, programme=programme, at=at, facts=[r.facts for r in rows])
    content = replace(documents.ledger(programme.name, rows, as_of), outcomes=rules)
    return ledger_file(t, content)


async def monthly_files(
    session: AsyncSession,
    *,
    programme: Programme,
    content: report.MonthlyReport,
    t: Tr,
    looked_back: Sequence[LookedBack] = (),
    anchor: Anchor | None = None,
    comments: PublicTally | None = None,
    spot: SpotTally | None = None,
) -> list[Document]:
    """The monthly report's chart, Word report and ledger as the report saw the month's end;
    `comments` the public's (群众监督) tally of the month, as the report's message counts it."""
    rows = await records(session, programme=programme, as_of=content.as_of, facts=content.measures)
    ledger_content = documents.monthly_ledger(programme.name, rows, content)
    sign_offs, ends = await as_of_store.month_history(
        session, programme=programme, year=content.year, month=content.month
    )
    history = documents.closed_by_month(sign_offs, ends, content.year, content.month)
    # drawing the chart and python-docx are CPU work: keep the event loop answering meanwhile
    png = await asyncio.to_thread(monthly_chart, t, content, history)
    doc = await asyncio.to_thread(
        monthly_docx, t, content, rows, programme.name, png, looked_back, comments, spot
    )
    if anchor is not None:
        doc = await asyncio.to_thread(with_anchor_footer, doc, t, anchor)
    month = t.month(content.year, content.month)
    name = t._("{programme} monthly report {month}", programme=t.stem(programme.name), month=month)
    return [
        Document(f"{name}.png", png, photo=True, caption=name),
        Document(f"{name}.docx", doc),
        ledger_file(t, ledger_content),
    ]


def sendable(files: list[Document]) -> list[tuple[str, Document, str]]:
    """(kind, file, caption) per file Telegram will take: photos inline, large ones as documents."""
    out = []
    for f in files:
        caption = fit(f.caption, CAPTION[1])
        if f.photo and len(f.data) <= PHOTO_UPLOAD_BYTES:
            out.append(("photo", f, caption))
        elif len(f.data) <= UPLOAD_BYTES:
            out.append(("document", f, caption))
        else:
            # Telegram refuses it with 413; saying so in the log beats failing the whole beat
            log.warning("%s is %s bytes, over Telegram's upload limit", f.filename, len(f.data))
    return out


async def halfyear(
    session: AsyncSession, *, programme: Programme, year: int, month: int, now: datetime, t: Tr
) -> Document:
    """The continuing-rectification report for the six months ending with year-month."""
    end = await reports.month_facts(session, programme=programme, year=year, month=month, now=now)
    y, m = first_month(year, month)
    before = (y, m - 1) if m > 1 else (y - 1, 12)
    opening = await reports.month_facts(
        session, programme=programme, year=before[0], month=before[1], now=now
    )
    sign_offs, ends = await as_of_store.month_history(
        session, programme=programme, year=year, month=month, months=MONTHS
    )
    content = halfyear_content(end, opening, sign_offs, ends, year, month)
    cutoff = stored.day_after(report.month_end(year, month), programme.timezone)
    rules = await outcomes.as_of(session, programme=programme, at=cutoff, facts=end)
    content = replace(content, end=replace(content.end, outcomes=rules))
    rows = await records(session, programme=programme, as_of=content.end.as_of, facts=end)
    png = await asyncio.to_thread(monthly_chart, t, content.end, content.months)
    assert programme.id is not None
    zone = ZoneInfo(programme.timezone)
    done = await lookbacks.answered_between(
        session,
        programme_id=programme.id,
        start=datetime.combine(content.start, time(), zone),
        end=datetime.combine(report.month_end(year, month) + timedelta(days=1), time(), zone),
    )
    comments = await public.tally(
        session,
        programme_id=programme.id,
        start=datetime.combine(content.start, time(), zone),
        end=datetime.combine(report.month_end(year, month) + timedelta(days=1), time(), zone),
    )
    spot = spot_tally(
        await spotchecks.answered_between(
            session,
            programme_id=programme.id,
            start=datetime.combine(content.start, time(), zone),
            end=datetime.combine(report.month_end(year, month) + timedelta(days=1), time(), zone),
        )
    )
    data = await asyncio.to_thread(
        halfyear_docx, t, content, rows, programme.name, png, tally(done), comments, spot
    )
    name = t._(
        "{programme} continuing rectification report {start} to {end}",
        programme=programme.name,
        start=t.month(content.start.year, content.start.month),
        end=t.month(year, month),
    )
    return Document(f"{name}.docx", data)
