"""The schedule planner: which period each beat belongs to and when it is sent.

Period keys: DISPATCH and NUDGE use the ISO week of the nominal dispatch day ("2024-W38");
REVIEW uses the nominal review day ("2024-09-18"); REPORT uses the month reported on
("2024-09"), planned on the report_day-th working day of the following month; SPOTCHECK uses
the month it is drawn in ("2024-10"), planned on its spotcheck_day-th working day.

Rules:
- A beat whose nominal day is not a working day moves to the next working day, same time.
- Merging: if a period's shifted day reaches (or passes) the planned day of the next period,
  the earlier period is dropped and its beat is sent once, as the next period's.
  Example: dispatch on Saturdays with the CN calendar in 2024: 2024-W06 (Sat 02-10) and
  2024-W07 (Sat 02-17) both shift to Sunday 02-18 (调休), so only 2024-W07 is sent.
- NUDGE: dispatch planned day + nudge_workdays working days, at dispatch_time, with the
  dispatch's key; dropped with its dispatch, or when it would not come before the next dispatch.
- Windows: a slot stays sendable from planned until the next kept slot of the same beat is
  planned (a nudge until the next dispatch), so a beat missed while down is caught up.
- Reviews fall every 14 days from the review_weekday of review_anchor's Monday-to-Sunday
  week (the anchor itself when it is on review_weekday).
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from core.domain.model import Beat
from core.domain.workcal import CalendarKind, add_workdays, first_workday_of_month, next_workday

_WEEK_KEY = re.compile(r"^([0-9]{4})-W([0-9]{2})$")
_DAY_KEY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$")
_MONTH_KEY = re.compile(r"^([0-9]{4})-([0-9]{2})$")
_WEEKLY = (Beat.DISPATCH, Beat.NUDGE)
# Every walk below moves a handful of periods at most; the bound only turns a bug into an
# error instead of a hung scheduler.
_MAX_STEPS = 100
MAX_SPOTCHECK_DAY = 15


class MergedPeriod(ValueError):
    """The period's beat was merged into the next period's (see the module docstring)."""


@dataclass(frozen=True)
class Rhythm:
    """A programme's schedule settings (weekdays: 0 = Monday; times in tz)."""

    tz: str = "Asia/Shanghai"
    calendar: CalendarKind = CalendarKind.CN
    dispatch_weekday: int = 0
    dispatch_time: time = time(9, 0)
    review_weekday: int = 2
    review_time: time = time(16, 0)
    review_anchor: date = date(2024, 1, 3)  # any date whose fortnight cycle defines review weeks
    report_day: int = 1  # the Nth working day of the month (1 = first)
    report_time: time = time(10, 0)
    nudge_workdays: int = 2
    spotcheck_day: int = 10  # the Nth working day of the month the draw is made in
    spotcheck_time: time = time(10, 0)

    def __post_init__(self) -> None:
        if not (0 <= self.dispatch_weekday <= 6 and 0 <= self.review_weekday <= 6):
            raise ValueError("weekdays run from 0 (Monday) to 6 (Sunday)")
        if self.report_day < 1:
            raise ValueError("report_day counts from 1")
        # every month has more working days than this, the Spring Festival's February included
        if not 1 <= self.spotcheck_day <= MAX_SPOTCHECK_DAY:
            raise ValueError(f"spotcheck_day runs from 1 to {MAX_SPOTCHECK_DAY}")
        # from five working days on, a nudge lands on or after the next dispatch nearly every week
        if not 0 <= self.nudge_workdays <= 4:
            raise ValueError("nudge_workdays must be between 0 and 4")
        try:
            ZoneInfo(self.tz)  # fail on an unknown zone now, not at the first beat
        except (ZoneInfoNotFoundError, ValueError) as e:
            raise ValueError(f"unknown time zone {self.tz!r}") from e

    @property
    def zone(self) -> ZoneInfo:
        """The programme's time zone."""
        return ZoneInfo(self.tz)

    @property
    def review_base(self) -> date:
        """One nominal review day: review_weekday in the anchor's Monday-to-Sunday week."""
        anchor = self.review_anchor
        return anchor + timedelta(days=self.review_weekday - anchor.weekday())


@dataclass(frozen=True, order=True)
class Slot:
    """One beat of one period: planned (programme tz) and the end of its catch-up window."""

    planned: datetime
    beat: Beat
    period: str
    ends: datetime


# Internally a period is its "index": the nominal day for weekly beats and reviews, the first
# day of the reported month for reports. Keys are only parsed and formatted at the edges.


def _index(beat: Beat, period: str, r: Rhythm) -> date:
    """The index of a period key; ValueError if the key is malformed."""
    if beat in _WEEKLY:
        m = _WEEK_KEY.match(period)
        if m is None:
            raise ValueError(f"not a week key: {period!r}")
        return date.fromisocalendar(int(m[1]), int(m[2]), r.dispatch_weekday + 1)
    if beat is Beat.REVIEW:
        if not _DAY_KEY.match(period):
            raise ValueError(f"not a review day key: {period!r}")
        day = date.fromisoformat(period)
        if (day - r.review_base).days % 14:
            raise ValueError(f"{period} is not a review day of this rhythm")
        return day
    m = _MONTH_KEY.match(period)
    if m is None or not 1 <= int(m[2]) <= 12:
        raise ValueError(f"not a month key: {period!r}")
    return date(int(m[1]), int(m[2]), 1)


def _key(beat: Beat, idx: date) -> str:
    if beat in _WEEKLY:
        iso = idx.isocalendar()
        return f"{iso.year}-W{iso.week:02d}"
    if beat is Beat.REVIEW:
        return idx.isoformat()
    return f"{idx.year:04d}-{idx.month:02d}"


def _step(beat: Beat, idx: date, k: int) -> date:
    """The index k periods later (earlier if k < 0)."""
    if beat in _WEEKLY:
        return idx + timedelta(weeks=k)
    if beat is Beat.REVIEW:
        return idx + timedelta(days=14 * k)
    months = idx.year * 12 + idx.month - 1 + k
    return date(months // 12, months % 12 + 1, 1)


def _index_near(beat: Beat, day: date, r: Rhythm) -> date:
    """An index planned close to day; callers walk from it to the exact period."""
    if beat in _WEEKLY:
        return day + timedelta(days=r.dispatch_weekday - day.weekday())
    if beat is Beat.REVIEW:
        return r.review_base + timedelta(days=14 * ((day - r.review_base).days // 14))
    if beat is Beat.SPOTCHECK:
        return date(day.year, day.month, 1)
    return _step(beat, date(day.year, day.month, 1), -1)


def _raw_planned(beat: Beat, idx: date, r: Rhythm) -> datetime:
    """When a period's beat is due once shifted to a working day, before any merging."""
    cal = r.calendar
    if beat is Beat.DISPATCH:
        day, at = next_workday(idx, cal), r.dispatch_time
    elif beat is Beat.NUDGE:
        day, at = add_workdays(next_workday(idx, cal), r.nudge_workdays, cal), r.dispatch_time
    elif beat is Beat.REVIEW:
        day, at = next_workday(idx, cal), r.review_time
    elif beat is Beat.SPOTCHECK:
        first = first_workday_of_month(idx.year, idx.month, cal)
        day, at = add_workdays(first, r.spotcheck_day - 1, cal), r.spotcheck_time
    else:
        month = _step(beat, idx, 1)
        first = first_workday_of_month(month.year, month.month, cal)
        day, at = add_workdays(first, r.report_day - 1, cal), r.report_time
    return datetime.combine(day, at, tzinfo=r.zone)


def _kept(beat: Beat, idx: date, r: Rhythm) -> bool:
    """False if the period is merged into the next one."""
    if beat is Beat.NUDGE:
        return _kept(Beat.DISPATCH, idx, r) and _raw_planned(beat, idx, r) < _ends(beat, idx, r)
    later = _raw_planned(beat, _step(beat, idx, 1), r)
    return _raw_planned(beat, idx, r).date() < later.date()


def _following(beat: Beat, idx: date, r: Rhythm) -> date:
    """The index of the next kept period after idx."""
    nxt = _step(beat, idx, 1)
    for _ in range(_MAX_STEPS):
        if _kept(beat, nxt, r):
            return nxt
        nxt = _step(beat, nxt, 1)
    raise RuntimeError(f"no {beat} period kept after {_key(beat, idx)}")


def _ends(beat: Beat, idx: date, r: Rhythm) -> datetime:
    """End of a period's catch-up window: the next dispatch for nudges, else the next slot."""
    if beat is Beat.NUDGE:
        beat = Beat.DISPATCH
    return _raw_planned(beat, _following(beat, idx, r), r)


def _slot(beat: Beat, idx: date, r: Rhythm) -> Slot:
    return Slot(_raw_planned(beat, idx, r), beat, _key(beat, idx), _ends(beat, idx, r))


def _local(moment: datetime, r: Rhythm) -> datetime:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("naive datetime: pass an aware one")
    return moment.astimezone(r.zone)


def _current(beat: Beat, local: datetime, r: Rhythm) -> date:
    """The index of the latest kept period planned at or before local."""
    idx = _index_near(beat, local.date(), r)
    # planned times never decrease from one period to the next, so walking is enough
    for _ in range(_MAX_STEPS):
        if _raw_planned(beat, _step(beat, idx, 1), r) > local:
            break
        idx = _step(beat, idx, 1)
    for _ in range(_MAX_STEPS):
        if _raw_planned(beat, idx, r) <= local and _kept(beat, idx, r):
            return idx
        idx = _step(beat, idx, -1)
    raise RuntimeError(f"no {beat} period planned before {local}")


def slot_for(beat: Beat, period: str, rhythm: Rhythm) -> Slot:
    """The slot of a period; MergedPeriod if it was merged into the next one."""
    idx = _index(beat, period, rhythm)
    if not _kept(beat, idx, rhythm):
        raise MergedPeriod(f"{beat} {period} is sent with the next period")
    return _slot(beat, idx, rhythm)


def week_start(period: str) -> date | None:
    """The Monday of a weekly period's week (None for a key that is not a week's)."""
    m = _WEEK_KEY.match(period)
    return date.fromisocalendar(int(m[1]), int(m[2]), 1) if m else None


def period_of(beat: Beat, moment: datetime, rhythm: Rhythm) -> str:
    """The latest period planned at or before moment (the one whose window holds it, if any)."""
    return _key(beat, _current(beat, _local(moment, rhythm), rhythm))


def manual_period(beat: Beat, moment: datetime, rhythm: Rhythm) -> str:
    """The period a beat run by hand counts for: the current one, except that a dispatch run
    before this week's slot counts for this week, the week its owners are told about (the
    slot then finds it sent and sends nothing again)."""
    current = period_of(beat, moment, rhythm)
    if beat is not Beat.DISPATCH:
        return current
    day = _local(moment, rhythm).date()
    upcoming = next_slot(beat, rhythm, moment).period
    return upcoming if week_start(upcoming) == day - timedelta(days=day.weekday()) else current


def slots_between(
    rhythm: Rhythm, start: date, end: date, beats: Iterable[Beat] = tuple(Beat)
) -> list[Slot]:
    """Every kept slot planned on a day in [start, end], sorted by planned."""
    slots: list[Slot] = []
    for beat in beats:
        idx = _index_near(beat, start, rhythm)
        # back up past any period shifted into the range from before it
        while _raw_planned(beat, idx, rhythm).date() >= start:
            idx = _step(beat, idx, -1)
        while (day := _raw_planned(beat, idx, rhythm).date()) <= end:
            if day >= start and _kept(beat, idx, rhythm):
                slots.append(_slot(beat, idx, rhythm))
            idx = _step(beat, idx, 1)
    return sorted(slots)


def due_slots(rhythm: Rhythm, now: datetime, sent: Collection[tuple[Beat, str]]) -> list[Slot]:
    """The current slot of each beat if planned <= now < ends and not yet sent."""
    local = _local(now, rhythm)
    due = []
    for beat in Beat:
        slot = _slot(beat, _current(beat, local, rhythm), rhythm)
        if slot.planned <= local < slot.ends and (beat, slot.period) not in sent:
            due.append(slot)
    return sorted(due)


def current_slot(beat: Beat, rhythm: Rhythm, now: datetime) -> Slot:
    """The latest kept slot of a beat planned at or before now."""
    return _slot(beat, _current(beat, _local(now, rhythm), rhythm), rhythm)


def next_slot(beat: Beat, rhythm: Rhythm, now: datetime) -> Slot:
    """The first kept slot of a beat planned after now."""
    current = _current(beat, _local(now, rhythm), rhythm)
    return _slot(beat, _following(beat, current, rhythm), rhythm)


def previous_periods(beat: Beat, period: str, n: int, rhythm: Rhythm) -> list[str]:
    """The n kept periods before period, oldest first (merged periods are skipped)."""
    if n < 0:
        raise ValueError("n must not be negative")
    idx = _index(beat, period, rhythm)
    found: list[str] = []
    for _ in range(n + _MAX_STEPS):
        if len(found) == n:
            break
        idx = _step(beat, idx, -1)
        if _kept(beat, idx, rhythm):
            found.append(_key(beat, idx))
    return found[::-1]


def report_period(now: datetime, created: datetime, rhythm: Rhythm) -> str | None:
    """The month /report covers now: the current report period, unless that month ended before
    the programme was created; then the latest complete month since, or None while there is none."""
    local = _local(now, rhythm)
    first = _local(created, rhythm).date().replace(day=1)
    idx = _current(Beat.REPORT, local, rhythm)
    if idx >= first:
        return _key(Beat.REPORT, idx)
    complete = _step(Beat.REPORT, local.date().replace(day=1), -1)
    return _key(Beat.REPORT, complete) if complete >= first else None


def first_report(created: datetime, rhythm: Rhythm) -> Slot:
    """The slot of a programme's first monthly report: on the month it was created in."""
    idx = _local(created, rhythm).date().replace(day=1)
    if not _kept(Beat.REPORT, idx, rhythm):
        idx = _following(Beat.REPORT, idx, rhythm)
    return _slot(Beat.REPORT, idx, rhythm)
