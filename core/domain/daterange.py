"""Date ranges as people type them: 10月1日 10月7日, 10.1-10.7, 2024-10-01 2024-10-07, Oct 1 - Oct 7."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_MONTH_WORD = r"(?P<mon>" + "|".join(_MONTHS) + r")[a-z]*\.?"
# one date; year optional except in ISO; each alternative names its groups
_ONE = [
    re.compile(r"(?P<y>[0-9]{4})[-/.](?P<m>[0-9]{1,2})[-/.](?P<d>[0-9]{1,2})"),
    re.compile(r"(?:(?P<y>[0-9]{4})年)?(?P<m>[0-9]{1,2})月(?P<d>[0-9]{1,2})[日号]?"),
    re.compile(_MONTH_WORD + r"\s*(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?", re.I),
    re.compile(r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?\s*" + _MONTH_WORD, re.I),
    re.compile(r"(?P<m>[0-9]{1,2})[./](?P<d>[0-9]{1,2})"),
]
_DAY_ONLY = re.compile(r"(?P<d>[0-9]{1,2})[日号]?")  # 10月1日—7日, Oct 1-7
_BETWEEN = re.compile(r"\s*(?:[-–—~～至到]|to\b)\s*|\s+", re.I)
_FULL_WIDTH = str.maketrans("０１２３４５６７８９．／－", "0123456789./-")
# a date without a year lies ahead, or at most this far back (a holiday just begun)
RECENT = timedelta(days=60)


@dataclass(frozen=True)
class _Day:
    year: int | None
    month: int
    day: int


@dataclass(frozen=True)
class Typed:
    """A range read from the start of a text, and what followed it."""

    start: date
    end: date
    rest: str


def _match(text: str, pos: int) -> tuple[_Day, int] | None:
    for pattern in _ONE:
        found = pattern.match(text, pos)
        if found is None:
            continue
        groups = found.groupdict()
        month = (
            _MONTHS.index(groups["mon"][:3].lower()) + 1 if groups.get("mon") else int(groups["m"])
        )
        year = int(groups["y"]) if groups.get("y") else None
        return _Day(year, month, int(groups["d"])), found.end()
    return None


def _date(day: _Day, year: int) -> date | None:
    try:
        return date(day.year or year, day.month, day.day)
    except ValueError:
        return None


def _first(day: _Day, today: date) -> date | None:
    """The start date: the given year, else this year unless that is long past."""
    found = _date(day, today.year)
    if day.year is None and found is not None and found < today - RECENT:
        found = _date(day, today.year + 1)
    return found


def read_range(text: str, today: date) -> Typed | None:
    """The date range at the start of text (both ends needed), or None when there is none."""
    s = text.strip().translate(_FULL_WIDTH)
    one = _match(s, 0)
    if one is None:
        return None
    first, pos = one
    between = _BETWEEN.match(s, pos)
    if between is None:
        return None
    pos = between.end()
    two = _match(s, pos)
    if two is None:
        day_only = _DAY_ONLY.match(s, pos)
        if day_only is None:
            return None
        two = _Day(None, first.month, int(day_only["d"])), day_only.end()
    second, pos = two
    if pos < len(s) and not s[pos].isspace():
        return None  # 10.1-10.7x: not a date after all
    start = _first(first, today)
    if start is None:
        return None
    end = _date(second, start.year)
    if end is not None and second.year is None and end < start:
        end = _date(second, start.year + 1)  # 12月30日至1月3日
    if end is None:
        return None
    return Typed(start, end, s[pos:].strip())
