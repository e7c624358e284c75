"""The one place that reads the wall clock; tests pin it."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo


class Clock:
    """Real time, as an aware UTC datetime."""

    def now(self) -> datetime:
        """The current moment."""
        return datetime.now(UTC)


class FixedClock(Clock):
    """A settable clock for tests and for the CLI's `--as-of`."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = start

    def now(self) -> datetime:
        """The pinned moment."""
        return self._now

    def set(self, moment: datetime) -> None:
        """Move to a moment."""
        if moment.tzinfo is None:
            raise ValueError("FixedClock needs an aware datetime")
        self._now = moment

    def advance(self, delta: timedelta) -> None:
        """Move forward."""
        self._now += delta


def today_in(now: datetime, tz: str) -> date:
    """The calendar day of `now` in a programme's time zone."""
    return now.astimezone(ZoneInfo(tz)).date()
