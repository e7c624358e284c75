"""A month as people type it: 2024-09, 2024年9月, 9月, Sep 2024, September."""

from __future__ import annotations

import re
from datetime import date

_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_FULL = re.compile(r"^(\d{4})(?:-|/|\.|年)(0?[1-9]|1[0-2])月?$")
_ALONE = re.compile(r"^(0?[1-9]|1[0-2])月(?:份)?$")
_WORD = re.compile(r"^([a-z]{3})[a-z]*\.?(?:\s*(\d{4}))?$", re.I)


def read_month(text: str, today: date) -> tuple[int, int] | None:
    """(year, month) of a typed month; without a year, its latest occurrence before this month
    (in November, 10月 is this October; in September, last year's)."""
    typed = "".join(text.split())
    if found := _FULL.match(typed):
        return int(found[1]), int(found[2])
    month, year = None, None
    if found := _ALONE.match(typed):
        month = int(found[1])
    elif (found := _WORD.match(" ".join(text.split()))) and found[1].lower() in _NAMES:
        month = _NAMES.index(found[1].lower()) + 1
        year = int(found[2]) if found[2] else None
    if month is None:
        return None
    if year is None:
        year = today.year if month < today.month else today.year - 1
    return year, month
