"""Working days: Chinese public holidays with make-up days (调休), or a plain Mon–Fri week."""

from __future__ import annotations

from bisect import bisect_left
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


# the years the counting tables below cover; outside them, days are walked one by one
_FIRST_YEAR, _LAST_YEAR = 1990, 2200


@lru_cache(maxsize=512)
def _year(year: int, kind: CalendarKind) -> tuple[int, ...]:
    """Working days from 1 January up to and including each day of the year."""
    counts, n, day = [], 0, date(year, 1, 1)
    while day.year == year:
        n += is_workday(day, kind)
        counts.append(n)
        day += timedelta(days=1)
    return tuple(counts)


@lru_cache(maxsize=512)
def _before(year: int, kind: CalendarKind) -> int:
    """Working days from the first covered year up to the end of the year before."""
    return 0 if year <= _FIRST_YEAR else _before(year - 1, kind) + _year(year - 1, kind)[-1]


def _covered(*days: date) -> bool:
    return all(_FIRST_YEAR <= d.year <= _LAST_YEAR for d in days)


# kept: the days people answer on are few, and every answer of every measure asks for its count
@lru_cache(maxsize=8192)
def _count(day: date, kind: CalendarKind) -> int:
    """Working days from the start of the first covered year up to and including day."""
    return _before(day.year, kind) + _year(day.year, kind)[(day - date(day.year, 1, 1)).days]


def workdays_between(first: date, last: date, kind: CalendarKind) -> int:
    """Working days after first up to and including last (negative when last comes first)."""
    if last < first:
        return -workdays_between(last, first, kind)
    if _covered(first, last):  # a forecast asks this of every answer of every measure
        return _count(last, kind) - _count(first, kind)
    return sum(
        1 for k in range(1, (last - first).days + 1) if is_workday(first + timedelta(days=k), kind)
    )


def workdays_after(day: date, n: int, kind: CalendarKind) -> date:
    """add_workdays by the counting tables: the same day, in a look-up rather than n steps."""
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0 or not _covered(day):
        return add_workdays(day, n, kind)
    target = _count(day, kind) + n
    year = day.year
    while year <= _LAST_YEAR:
        table = _year(year, kind)
        if _before(year, kind) + table[-1] >= target:
            # the first day of the year whose count reaches the target is that working day
            index = bisect_left(table, target - _before(year, kind))
            return date(year, 1, 1) + timedelta(days=index)
        year += 1
    return add_workdays(day, n, kind)


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
