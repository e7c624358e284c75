"""持续整改情况报告: the half-year report's content, on top of the monthly report; pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from bot.domain import report
from bot.domain.documents import MonthClosed, closed_by_month
from bot.domain.model import MeasureFacts, Status

MONTHS = 6


@dataclass(frozen=True)
class HalfYear:
    """Six months ending with a month: where they started, what closed when, what remains."""

    start: date
    end: report.MonthlyReport  # the last month's report: counts, areas, overdue, long-term
    opening: report.Counts  # the day before the period
    months: list[MonthClosed]
    closed: list[list[MeasureFacts]]  # per month, the measures closed in it
    remaining: list[MeasureFacts]  # open at the end, overdue first


def first_month(year: int, month: int, months: int = MONTHS) -> tuple[int, int]:
    """The first month of the `months` months ending with year-month."""
    index = year * 12 + month - 1 - (months - 1)
    return index // 12, index % 12 + 1


def _as_of(measures: Sequence[MeasureFacts], day: date) -> list[MeasureFacts]:
    """The measures as they stood on a day: later closures were still open."""
    return [
        replace(m, status=Status.IN_PROGRESS, closed_on=None)
        if m.status is Status.CLOSED and m.closed_on is not None and m.closed_on > day
        else m
        for m in measures
    ]


def halfyear(
    measures: Sequence[MeasureFacts],
    year: int,
    month: int,
    answers: Mapping[str, tuple[int, int]] | None = None,
) -> HalfYear:
    """The half-year report for the six months ending with year-month."""
    end = report.monthly(measures, year, month, answers)
    y, m = first_month(year, month)
    start = date(y, m, 1)
    before = start - timedelta(days=1)
    months = closed_by_month(end.measures, year, month, MONTHS)
    closed = [
        [
            f
            for f in end.measures
            if f.status is Status.CLOSED
            and f.closed_on is not None
            and (f.closed_on.year, f.closed_on.month) == (mc.year, mc.month)
        ]
        for mc in months
    ]
    late = {o.measure.code for o in end.overdue}
    remaining = sorted(
        (f for f in end.measures if f.status is not Status.CLOSED),
        key=lambda f: f.code not in late,  # stable: overdue first, then ledger order
    )
    return HalfYear(
        start=start,
        end=end,
        opening=report.count(_as_of(measures, before), before),
        months=months,
        closed=closed,
        remaining=remaining,
    )
