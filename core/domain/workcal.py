"""Working days: Chinese public holidays with make-up days (调休), or a plain Mon–Fri week."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

import chinese_calendar

# No calendar has a run of non-working days anywhere near this long; it only stops a
# corrupted calendar from looping forever.
_MAX_GAP = 60


class CalendarKind(StrEnum):
    """Which days count as working days for a programme."""

    CN = "cn"  # Chinese public holidays and make-up working days, via chinese_calendar
    PLAIN = "plain"  # Monday to Friday


# kept: chinese_calendar scans its whole table of holidays on every call to check the year
@lru_cache(maxsize=4096)
def is_workday(day: date, kind: CalendarKind) -> bool:
    """True if day is a working day (CN outside the library's years: Mon–Fri)."""
    if kind is CalendarKind.CN:
        try:
            return bool(chinese_calendar.is_workday(day))
        except NotImplementedError:
            # the library only knows the years the State Council has published; beyond
            # them a plain week is a better guess than refusing to plan at all
            pass
    return day.weekday() < 5


def next_workday(day: date, kind: CalendarKind, *, inclusive: bool = True) -> date:
    """The first working day on or after day (strictly after if not inclusive)."""
    current = day if inclusive else day + timedelta(days=1)
    for _ in range(_MAX_GAP):
        if is_workday(current, kind):
            return current
        current += timedelta(days=1)
    raise ValueError(f"no working day within {_MAX_GAP} days of {day}")


def add_workdays(day: date, n: int, kind: CalendarKind) -> date:
    """The date n working days after day (day itself for n == 0)."""
    if n < 0:
        raise ValueError("n must not be negative")
    current = day
    for _ in range(n):
        current = next_workday(current, kind, inclusive=False)
    return current


def first_workday_of_month(year: int, month: int, kind: CalendarKind) -> date:
    """The first working day of a month."""
    return next_workday(date(year, month, 1), kind)


def workdays_between(first: date, last: date, kind: CalendarKind) -> int:
    """Working days after first up to and including last (negative when last comes first)."""
    if last < first:
        return -workdays_between(last, first, kind)
    return sum(
        1 for k in range(1, (last - first).days + 1) if is_workday(first + timedelta(days=k), kind)
    )


def workdays_before(day: date, n: int, kind: CalendarKind) -> date:
    """The working day n working days before day (day itself for n == 0)."""
    if n < 0:
        raise ValueError("n must not be negative")
    current = day
    for _ in range(n):
        for _ in range(_MAX_GAP):
            current -= timedelta(days=1)
            if is_workday(current, kind):
                break
        else:
            raise ValueError(f"no working day within {_MAX_GAP} days before {current}")
    return current
