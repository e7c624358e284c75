"""The dispatch rules at their edges: the instant itself, a window ending at the nudge, undated rows."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core.domain.dispatches import (
    DispatchFact,
    answer_window,
    answered_by,
    answered_in_period,
    delivered_by,
    sent_in_month,
)
from core.domain.periods import Rhythm

SH = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 9) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=SH)


def test_a_nudge_due_as_the_period_ends_leaves_a_short_window() -> None:
    monday = Rhythm()  # W11 of 2024 has no holiday; it ends Monday 18 March at 09:00
    # sent Thursday: two working days later is Monday 09:00, the very end of the period
    assert answer_window(monday, "2024-W11", at(3, 14, 10)) == (at(3, 18), True)
    # sent Wednesday: the nudge is due Friday, before the end
    assert answer_window(monday, "2024-W11", at(3, 13, 10)) == (at(3, 18), False)


def test_before_means_strictly_before() -> None:
    item = DispatchFact("2024-W11", delivered_at=at(3, 11), answered=True, answered_at=at(3, 12))
    assert delivered_by(item, at(3, 11)) is False  # at the instant: not yet
    assert delivered_by(item, at(3, 11, 10)) is True
    assert answered_by(item, at(3, 12)) is False
    assert answered_by(item, at(3, 12, 10)) is True
    assert answered_in_period(item, at(3, 11)) is None  # not delivered yet: does not count


def test_silence_counts_from_the_answer_by_instant() -> None:
    item = DispatchFact("2024-W11", delivered_at=at(3, 11), answer_by=at(3, 18))
    assert answered_in_period(item, at(3, 17, 23)) is None  # still open
    assert answered_in_period(item, at(3, 18)) is False  # at answer_by: silent


def test_a_dispatch_delivered_after_the_moment_does_not_count_then() -> None:
    item = DispatchFact("2024-W11", delivered_at=at(3, 20), answer_by=at(3, 18))
    assert answered_in_period(item, at(3, 19)) is None
    assert answered_in_period(item, at(3, 21)) is False
    late = DispatchFact("2024-W11", delivered_at=at(3, 20), answered=True, answered_at=at(3, 19))
    assert answered_in_period(late, at(3, 19, 12)) is None  # answered, but not reached yet


def test_an_undated_delivery_is_in_no_month() -> None:
    assert sent_in_month(DispatchFact("2024-W11"), 2024, 3, "Asia/Shanghai") is False
    dated = DispatchFact("2024-W14", delivered_at=datetime(2024, 3, 31, 17, tzinfo=ZoneInfo("UTC")))
    assert sent_in_month(dated, 2024, 4, "Asia/Shanghai") is True  # 1 April in Shanghai
    assert sent_in_month(dated, 2024, 3, "Asia/Shanghai") is False
    assert sent_in_month(dated, 2024, 3, "UTC") is True
