"""Closing the loop: when a look-back (回头看) is due, when a follow-up (督办) must be answered."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from core.domain.model import Answer, Health
from core.domain.workcal import CalendarKind, add_workdays, next_workday

LOOKBACK_GRACE = 5  # working days an owner has to answer a look-back before the review lists it
MIN_LOOKBACK_DAYS, MAX_LOOKBACK_DAYS = 1, 730


class Verdict(StrEnum):
    """What a look-back found."""

    HOLDS = "holds"  # the result holds (成效巩固)
    REBOUND = "rebound"  # the problem is back (反弹): the measure reopens


# a rebound reopens the measure at least at risk: yellow, red once past its deadline as any
# other; not blocked, which asks a leader for a decision the owner has not asked for
REBOUND_HEALTH = Health.AT_RISK


def latest_word(update: Answer | None, lookback: Answer | None) -> Answer | None:
    """A measure's latest word: a look-back answer stands until the owner answers after it."""
    if lookback is None or (update is not None and update.at > lookback.at):
        return update
    return lookback


def lookback_day(closed_on: date, days: int, kind: CalendarKind) -> date:
    """The look-back date: the closing date plus the programme's days, moved to a working day."""
    return next_workday(closed_on + timedelta(days=days), kind)


def lookback_moment(closed_on: date, days: int, kind: CalendarKind, at: time, tz: str) -> datetime:
    """When the owner is asked: the look-back date at the dispatch time, in the programme's zone."""
    return datetime.combine(lookback_day(closed_on, days, kind), at, tzinfo=ZoneInfo(tz))


def answer_by(due: date, kind: CalendarKind) -> date:
    """The last day to answer a look-back before it is listed as unanswered."""
    return add_workdays(due, LOOKBACK_GRACE, kind)


def reply_by(today: date, kind: CalendarKind) -> date:
    """A follow-up is answered by the next working day."""
    return next_workday(today, kind, inclusive=False)


class Answered(StrEnum):
    """Where a follow-up stands."""

    IN_TIME = "in_time"
    LATE = "late"
    WAITING = "waiting"  # not answered, reply date not passed
    MISSED = "missed"  # not answered, reply date passed


@dataclass(frozen=True)
class FollowUpLine:
    """One follow-up as the review lists it."""

    code: str
    by: str
    asked: date
    reply_by: date
    answered: date | None
    state: Answered


def follow_up_state(reply: date, answered: date | None, today: date) -> Answered:
    """Whether a follow-up was answered by its reply date."""
    if answered is not None:
        return Answered.IN_TIME if answered <= reply else Answered.LATE
    return Answered.WAITING if today <= reply else Answered.MISSED


@dataclass(frozen=True)
class LookBackTally:
    """The monthly report's look-backs: answered this month, holding, rebounded (by code)."""

    done: int
    holding: int
    rebounded: Sequence[str]
    held: Sequence[str] = ()  # the codes whose result holds


@dataclass(frozen=True)
class LookedBack:
    """One look-back answered: the measure's code, the verdict, the owner's note, the day."""

    code: str
    verdict: str
    note: str
    on: date


def tally(verdicts: Sequence[tuple[str, str]]) -> LookBackTally:
    """From (code, verdict) answered in a month."""
    rebounded = [code for code, v in verdicts if v == Verdict.REBOUND.value]
    held = [code for code, v in verdicts if v != Verdict.REBOUND.value]
    return LookBackTally(len(verdicts), len(held), rebounded, held)
