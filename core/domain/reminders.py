"""临期提醒: which measures are due a reminder of their deadline on a day.

A measure is reminded once per last day in time (its deadline, or 立行立改's week of grace), on
a working day from `workdays` working days before it up to the day itself: a reminder missed
while the bot was down still goes, and an extension, which moves the day, reminds again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from core.domain.lights import IMMEDIATE_GRACE_DAYS
from core.domain.model import Status
from core.domain.workcal import CalendarKind, is_workday, workdays_before

DEFAULT_WORKDAYS = 3
MIN_WORKDAYS, MAX_WORKDAYS = 1, 10
_DONE = frozenset({Status.CLOSED, Status.PENDING_SIGNOFF})  # nothing left for the owner to do


@dataclass(frozen=True, slots=True)
class Dated:
    """What the rule reads of a measure."""

    id: int
    status: Status
    deadline: date | None
    immediate: bool = False

    @property
    def last_day(self) -> date | None:
        """The last day in time (core.domain.lights.due), None for long-term."""
        if self.deadline is None:
            return None
        return self.deadline + timedelta(days=IMMEDIATE_GRACE_DAYS if self.immediate else 0)


def remind_on(last_day: date, workdays: int, kind: CalendarKind) -> date:
    """The day a reminder is due: `workdays` working days before the last day in time."""
    return workdays_before(last_day, workdays, kind)


def due_reminders(
    measures: Iterable[Dated],
    today: date,
    workdays: int,
    kind: CalendarKind,
    reminded: Collection[tuple[int, date]],
) -> list[tuple[int, date]]:
    """(measure id, last day in time) of each measure to remind today and not yet reminded of
    that day; open measures only (not closed, not awaiting sign-off), on working days only (a
    reminder due on a holiday, after an extension say, waits for the next working day)."""
    if not is_workday(today, kind):
        return []
    out = []
    for m in measures:
        last = m.last_day
        if last is None or m.status in _DONE or (m.id, last) in reminded:
            continue
        if remind_on(last, workdays, kind) <= today <= last:
            out.append((m.id, last))
    return out
