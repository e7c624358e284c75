"""A measure in each dispatch: its answer window, silence, answered in time, 反馈率 (DOMAIN.md)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar
from zoneinfo import ZoneInfo

from core.domain.catchup import nudge_after
from core.domain.model import Beat
from core.domain.periods import MergedPeriod, Rhythm, slot_for


class Asked(Protocol):
    """What the rules read of one measure's place in one dispatch (a stored item or a fact)."""

    @property
    def period(self) -> str: ...
    @property
    def delivered(self) -> bool: ...
    @property
    def answered(self) -> bool: ...
    @property
    def short(self) -> bool: ...
    @property
    def delivered_at(self) -> datetime | None: ...
    @property
    def answered_at(self) -> datetime | None: ...
    @property
    def answer_by(self) -> datetime | None: ...


A = TypeVar("A", bound=Asked)


@dataclass(frozen=True)
class DispatchFact:
    """One measure's place in one dispatch, as recorded (times are aware)."""

    period: str  # the dispatch's period key: keys sort in time
    delivered: bool = True  # Telegram accepted the message: it reached the recipient
    answered: bool = False  # an answer was credited to it
    short: bool = False  # sent with too little time to answer, judged when it was sent
    delivered_at: datetime | None = None
    answered_at: datetime | None = None
    answer_by: datetime | None = None  # the end of its period when sent: later is too late


def answer_window(rhythm: Rhythm, period: str, sent: datetime) -> tuple[datetime | None, bool]:
    """(answer_by, short) of a dispatch sent at `sent`, frozen then: later schedules don't judge it.

    Short: the nudge delay would end after the period does, so silence proves nothing.
    """
    try:
        ends = slot_for(Beat.DISPATCH, period, rhythm).ends
    except (MergedPeriod, ValueError):
        return None, False
    return ends, nudge_after(rhythm, sent) >= ends


def delivered_by(item: Asked, at: datetime | None = None) -> bool:
    """Whether it reached the recipient before `at` (ever, without one; undated rows: as
    recorded). Before, not at: as of midnight, what happened at midnight is the next day's."""
    if not item.delivered:
        return False
    return at is None or item.delivered_at is None or item.delivered_at < at


def answered_by(item: Asked, at: datetime | None = None) -> bool:
    """Whether an answer was credited to it before `at` (ever, without one)."""
    if not item.answered:
        return False
    return at is None or item.answered_at is None or item.answered_at < at


def silent_streak(items: Sequence[A], at: datetime | None = None) -> list[A]:
    """A measure's latest dispatches in a row without an answer, latest first.

    An answer ends the run. A dispatch that never reached the owner, or left too little time to
    answer and was not answered, neither counts nor ends it: it says nothing about the owner.
    """
    return _streak(latest_first(items), at)


def latest_first(items: Iterable[A]) -> list[A]:
    """A measure's dispatches, the latest first: what a silent run is read from."""
    return sorted(items, key=lambda i: i.period, reverse=True)


def _streak(latest: Iterable[A], at: datetime | None) -> list[A]:
    run: list[A] = []
    for item in latest:
        if answered_by(item, at):
            break
        if delivered_by(item, at) and not item.short:
            run.append(item)
    return run


def silent_run(items: Sequence[Asked], at: datetime | None = None) -> int:
    """How many of a measure's latest dispatches in a row went unanswered (see silent_streak)."""
    return len(silent_streak(items, at))


def silent_run_sorted(latest: Sequence[Asked], at: datetime | None = None) -> int:
    """silent_run of dispatches already sorted by latest_first (a trend asks it week by week)."""
    return len(_streak(latest, at))


def answered_in_period(item: Asked, at: datetime | None = None) -> bool | None:
    """True when answered in time, False when silent, None when it does not count (as of `at`).

    It counts once it reached the owner with time to answer: delivered and not short (a short
    one counts only when answered). Answered: an answer was credited to it by `at`, late or not
    (an answer goes to the owner's latest dispatch, so a later dispatch takes the answers after
    it: a week without one leaves the owner's answer to the last). Still open at `at` (before
    its answer_by) and not answered yet: None.
    """
    if not delivered_by(item, at):
        return None
    if answered_by(item, at):
        return True
    if item.short:
        return None
    if at is not None and item.answer_by is not None and at < item.answer_by:
        return None
    return False


def sent_in_month(item: Asked, year: int, month: int, tz: str) -> bool:
    """Whether it was delivered in the month, in the programme's time zone."""
    if item.delivered_at is None:
        return False
    day = item.delivered_at.astimezone(ZoneInfo(tz)).date()
    return (day.year, day.month) == (year, month)


def feedback_rate(
    items: Iterable[Asked], *, year: int, month: int, tz: str, at: datetime | None = None
) -> tuple[int, int]:
    """反馈率 of a month as (answered, counted): the dispatches sent in it that count."""
    answered = counted = 0
    for item in items:
        if not sent_in_month(item, year, month, tz):
            continue
        verdict = answered_in_period(item, at)
        if verdict is None:
            continue
        counted += 1
        answered += verdict
    return answered, counted


def feedback_by_unit(
    items: Iterable[tuple[str, Asked]],
    *,
    year: int,
    month: int,
    tz: str,
    at: datetime | None = None,
) -> dict[str, tuple[int, int]]:
    """反馈率 of a month per lead unit; a unit with no counted dispatch has none (shown "—")."""
    grouped: dict[str, list[Asked]] = {}
    for unit, item in items:
        grouped.setdefault(unit, []).append(item)
    rates = {
        unit: feedback_rate(mine, year=year, month=month, tz=tz, at=at)
        for unit, mine in grouped.items()
    }
    return {unit: rate for unit, rate in rates.items() if rate[1]}
