"""持续整改情况报告: the half-year report's content, on top of the monthly report; pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from core.domain import report
from core.domain.documents import MonthClosed, closed_by_month, months_up_to
from core.domain.model import MeasureFacts, Status
from core.domain.replay import closed_in

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
    return months_up_to(year, month, months)[0]


def halfyear(
    end_facts: Sequence[MeasureFacts],
    opening_facts: Sequence[MeasureFacts],
    sign_offs: Sequence[tuple[str, date]],
    closed_at_end: Mapping[tuple[int, int], int],
    year: int,
    month: int,
    answers: Mapping[str, tuple[int, int]] | None = None,
) -> HalfYear:
    """The half-year report for the six months ending with year-month.

    `end_facts` and `opening_facts` are the measures at the period's end and the day before it
    began; `sign_offs` every sign-off as (code, day): a closure stays in its month.
    """
    end = report.monthly(end_facts, year, month, answers, closed_in(sign_offs, year, month))
    y, m = first_month(year, month)
    start = date(y, m, 1)
    before = start - timedelta(days=1)
    months = closed_by_month(sign_offs, closed_at_end, year, month, MONTHS)
    at_end = {f.code: f for f in end.measures}
    closed = [
        [at_end[c] for c in closed_in(sign_offs, mc.year, mc.month) if c in at_end] for mc in months
    ]
    late = {o.measure.code for o in end.overdue}
    remaining = sorted(
        (f for f in end.measures if f.status is not Status.CLOSED),
        key=lambda f: f.code not in late,  # stable: overdue first, then ledger order
    )
    return HalfYear(
        start=start,
        end=end,
        opening=report.count(opening_facts, before),
        months=months,
        closed=closed,
        remaining=remaining,
    )
