"""Button kinds of the beats (/rhythm): send a beat again for a period it was already sent for."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from core.render.callback_codec import Button, CallbackError, one_of

BEATS = ("dispatch", "review", "report")
_WEEK = re.compile(r"([0-9]{4})-W([0-9]{2})")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_MONTH = re.compile(r"([0-9]{4})-([0-9]{2})")


def valid_period(beat: str, period: str) -> bool:
    """True when period is a real period key of the beat: 2024-W40, 2024-10-16, 2024-09."""
    try:
        if beat == "dispatch":
            week = _WEEK.fullmatch(period)
            if week is None:
                return False
            date.fromisocalendar(int(week[1]), int(week[2]), 1)
            return True
        if beat == "review":
            return bool(_DAY.fullmatch(period)) and bool(date.fromisoformat(period))
        month = _MONTH.fullmatch(period)
        return month is not None and 1 <= int(month[2]) <= 12 and int(month[1]) >= 1
    except ValueError:
        return False


def _period(text: str) -> str:
    # the shape is checked here; which beat it belongs to is checked by ForceBeat
    if not (4 <= len(text) <= 10) or not re.fullmatch(r"[0-9W-]+", text):
        raise CallbackError(f"not a period: {text!r}")
    return text


@dataclass(frozen=True)
class ForceBeat(Button):
    """Send a beat again on purpose, for the period it was already sent for."""

    PREFIX = "beat"
    FIELDS = (one_of("force"), one_of(*BEATS), _period)
    verb: str
    beat: str
    period: str

    def check(self) -> None:
        """The period must be a real period of that beat."""
        if not valid_period(self.beat, self.period):
            raise CallbackError(f"not a {self.beat} period: {self.period!r}")
