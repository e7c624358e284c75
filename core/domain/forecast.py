"""Forecast lights: the day an owner's percentages, at their pace so far, reach 100%.

A projection, never a promise: a least-squares line of percent against working days through the
owner's answers, and the working day it crosses 100%. Decisions for the awkward cases:

- the last answer of a day stands for the day (a correction the same day is no extra pace);
- a fall starts the series afresh (a rebound reopens at a lower percentage, or the owner put an
  estimate right): only the answers since the latest fall count;
- fewer than three days with a percentage in that series project nothing;
- flat or falling pace projects nothing: at no pace there is no day to name, and the owner's
  own word (at risk, blocked) and silence already light such a measure;
- 100% reached projects nothing: what is left is the sign-off;
- a line already past 100% before the latest answer projects the next working day after it.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from core.domain.workcal import CalendarKind, workdays_after, workdays_between

MIN_ANSWERS = 3
# about three years of working days: a pace slower than that names no day worth reading
HORIZON = 750


def series(points: Iterable[tuple[date, int]]) -> list[tuple[date, int]]:
    """The answers a projection reads: the last of each day, since the latest fall."""
    days: dict[date, int] = {}
    for day, percent in points:
        days[day] = percent
    ordered = sorted(days.items())
    start = 0
    for i in range(1, len(ordered)):
        if ordered[i][1] < ordered[i - 1][1]:
            start = i
    return ordered[start:]


def project(points: Iterable[tuple[date, int]], kind: CalendarKind) -> date | None:
    """The working day the owner's percentages reach 100% at their pace; None when it cannot be
    said (see the module's notes). `points`: (day answered, percent), in any order."""
    run = series(points)
    if len(run) < MIN_ANSWERS or run[-1][1] >= 100:
        return None
    first = run[0][0]
    xs = [workdays_between(first, day, kind) for day, _ in run]
    ys = [p for _, p in run]
    n, sx, sy = len(run), sum(xs), sum(ys)
    sxx, sxy = sum(x * x for x in xs), sum(x * y for x, y in zip(xs, ys, strict=True))
    # whole numbers throughout (the slope is num / den): the same answers give the same day
    num, den = n * sxy - sx * sy, n * sxx - sx * sx
    if den == 0 or num <= 0:
        return None
    # the line reaches 100% at x = (100 - intercept) / slope = ((100n - Σy)·den + Σx·num) / (n·num)
    top, bottom = (100 * n - sy) * den + sx * num, n * num
    days = -(-top // bottom)  # rounded up: the first whole working day at or past it
    days = max(days, xs[-1] + 1)  # not done on the latest answer's day: it said less than 100%
    if days > HORIZON:
        return None
    return workdays_after(first, days, kind)
