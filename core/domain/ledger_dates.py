"""Deadlines as offices write them: dates, month ends, quarters, half-years, long-term words."""

from __future__ import annotations

import calendar
import functools
import re
import unicodedata
from datetime import date, datetime, timedelta

from core.domain.ledger_words import CACHED, LONG_TERM_KEYS, clean, key

DATE_RES = (
    re.compile(r"(\d{4})([-/.])(\d{1,2})\2(\d{1,2})"),
    re.compile(r"(\d{4})(年)(\d{1,2})月(\d{1,2})日?"),
)
# a time after a date: removed before the spaces are, or 2024/1/1 10:00 reads as 11 January
TIME_RE = re.compile(r"(?<=[\d日号])(?:\s+|t)\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?$")
BEFORE_RE = re.compile(r"(?:之前|以前|前)$")  # 2024.10.31前: the date is the deadline
NO_YEAR_RE = re.compile(r"(\d{1,2})月(?:(\d{1,2})日|([底末]))?")
MONTH_END_RE = re.compile(r"(\d{4})年(?:(\d{1,2})月)?(?:年?[底末])?")
QUARTER_RE = re.compile(r"(\d{4})年?第?([1-4一二三四])季度?(?:[底末])?|(\d{4})q([1-4])")
HALF_RE = re.compile(r"(\d{4})年?([上下])半年(?:[底末])?")
QUARTER_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}
EXCEL_EPOCH = date(1899, 12, 30)  # right for every serial after Excel's phantom 1900-02-29
SERIAL_YEARS = range(1990, 2200)  # a number outside these years is a typo, not a deadline
YEAR_RE = re.compile(r"(?<!\d)(20\d{2})(?:年|[-/.]\d{1,2}[-/.]\d{1,2})")


class NoYearError(ValueError):
    """A date without a year (12月31号) in a ledger whose year is unknown."""


def _serial(value: float) -> date:
    if not 0 < value < 2958466:  # Excel's own range of dates
        raise ValueError(f"not an Excel date serial: {value!r}")
    day = EXCEL_EPOCH + timedelta(days=int(value))
    if day.year not in SERIAL_YEARS:
        raise ValueError(f"implausible Excel date serial: {value!r}")
    return day


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@functools.lru_cache(maxsize=CACHED)
def plain(value: str) -> str:
    """A deadline's text folded for matching: width, case, 号 as 日, time and spaces removed."""
    text = unicodedata.normalize("NFKC", clean(value)).casefold().strip()
    text = TIME_RE.sub("", text)
    return BEFORE_RE.sub("", re.sub(r"\s+", "", text).replace("号", "日"))


def lacks_year(value: object) -> bool:
    """True for a date written without its year: 12月31号, 12月底前."""
    return isinstance(value, str) and bool(NO_YEAR_RE.fullmatch(plain(value)))


FIRST_DEADLINE, LAST_DEADLINE = date(2000, 1, 1), date(2099, 12, 31)  # a typo's year, not a plan's


def parse_deadline(value: object, *, year: int | None = None) -> date | None:
    """A deadline cell as a date from 2000 to 2099, or None for long-term; ValueError otherwise.

    `year` is the ledger's year, for dates written without one; without it they raise NoYearError.
    """
    found = _deadline(value, year)
    if found is not None and not FIRST_DEADLINE <= found <= LAST_DEADLINE:
        raise ValueError(f"deadline out of range: {found.isoformat()}")
    return found


def _deadline(value: object, year: int | None) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _serial(value)
    if not isinstance(value, str):
        raise ValueError(f"not a date: {value!r}")
    text = plain(value)
    if key(text) in LONG_TERM_KEYS:
        return None
    for pattern in DATE_RES:
        if m := pattern.fullmatch(text):
            return date(int(m[1]), int(m[3]), int(m[4]))
    if m := QUARTER_RE.fullmatch(text):
        y, q = (m[1], m[2]) if m[1] else (m[3], m[4])
        return _month_end(int(y), 3 * (int(q) if q in "1234" else QUARTER_DIGITS[q]))
    if m := HALF_RE.fullmatch(text):
        return _month_end(int(m[1]), 6 if m[2] == "上" else 12)
    if (m := MONTH_END_RE.fullmatch(text)) and text != m[1] + "年":
        # 2024年9月底 (end of September) and 2024年底前 (end of year) are how ledgers set deadlines
        return _month_end(int(m[1]), int(m[2] or 12))
    if m := NO_YEAR_RE.fullmatch(text):
        if year is None:
            raise NoYearError(f"no year: {value!r}")
        if m[2]:
            return date(year, int(m[1]), int(m[2]))
        return _month_end(year, int(m[1]))
    raise ValueError(f"not a date: {value!r}")


def years_in(texts: list[str]) -> set[int]:
    """The years written in some texts (a title, a 填报时间 line): 2024年, 2024-10-08."""
    return {int(y) for text in texts for y in YEAR_RE.findall(unicodedata.normalize("NFKC", text))}
