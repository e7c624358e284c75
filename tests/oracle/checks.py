"""The product's figures read back in the model's terms, for the properties to compare."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.report import MonthlyReport
from oracle.events import SH, History
from oracle.model import Counts
from storage import as_of, reports
from storage.db import Database
from storage.models import Programme


def counts_of(c: Any) -> Counts:
    """A product Counts as the model's."""
    return Counts(c.total, c.closed, c.overdue, c.pending, c.long_term, c.red, c.yellow, c.green)


async def programme(db: Database, programme_id: int) -> Programme:
    async with db.session() as s:
        return await programme_in(s, programme_id)


async def programme_in(s: AsyncSession, programme_id: int) -> Programme:
    """The programme as stored, read in the session of the figure asked for (one transaction)."""
    p = await s.get(Programme, programme_id)
    assert p is not None
    return p


async def summary(db: Database, programme_id: int, moment: datetime) -> Counts:
    """/summary's counts now, on the moment's day."""
    async with db.session() as s:
        p = await programme_in(s, programme_id)
        got = await reports.summary_content(s, programme=p, today=moment.astimezone(SH).date())
    return counts_of(got.counts)


async def review(db: Database, programme_id: int, moment: datetime) -> Counts:
    """The review's counts now, on the moment's day."""
    async with db.session() as s:
        p = await programme_in(s, programme_id)
        got, _ = await reports.review_content(s, programme=p, today=moment.astimezone(SH).date())
    return counts_of(got.counts)


async def monthly(
    db: Database, programme_id: int, year: int, month: int, now: datetime
) -> MonthlyReport:
    """The month's report asked at `now` (the moment played up to)."""
    async with db.session() as s:
        p = await programme_in(s, programme_id)
        return await reports.report_content(s, programme=p, period=f"{year}-{month:02d}", now=now)


def numbers(r: MonthlyReport) -> dict[str, object]:
    """Every figure of a monthly report (not the words): what must not change later."""
    return {
        "counts": counts_of(r.counts),
        "areas": [(g.key, counts_of(g.counts)) for g in r.areas],
        "units": [(g.key, counts_of(g.counts), g.answer_rate, g.on_time_rate) for g in r.units],
        "closed_this_month": sorted(m.code for m in r.closed_this_month),
        "overdue": sorted((o.measure.code, o.days) for o in r.overdue),
        "long_term": sorted(m.code for m in r.long_term),
    }


def rates(r: MonthlyReport) -> dict[str, float]:
    """反馈率 by lead unit, where the unit had dispatches."""
    return {g.key: g.answer_rate for g in r.units if g.answer_rate is not None}


def months(history: History) -> list[tuple[int, int]]:
    """The months that ended after the first import and before the history's end."""
    first = history.events[0].at.astimezone(SH).date()
    last = history.end.astimezone(SH).date()
    out = []
    y, m = first.year, first.month
    while date(y, m, 1) < date(last.year, last.month, 1):
        out.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


async def cumulative(db: Database, programme_id: int, year: int, month: int) -> int:
    """The chart's cumulative line at the month's end: measures done then."""
    async with db.session() as s:
        p = await programme_in(s, programme_id)
        _, ends = await as_of.month_history(s, programme=p, year=year, month=month, months=1)
    return ends[(year, month)]
