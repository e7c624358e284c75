"""The ledger at a moment, replayed from its events: each kind of event, and only those before."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from core.domain.model import Health, Status
from core.domain.replay import Recorded, closed_in, closings, live, replay


def _at(day: int, month: int = 10, hour: int = 2) -> datetime:
    return datetime(2024, month, day, hour, tzinfo=UTC)


def _e(mid: int, action: str, when: datetime, **after: Any) -> Recorded:
    return Recorded(mid, action, when, when.date(), after)


ROW = {"text": "t", "area": "a", "problem": "p", "lead_unit": "u", "owner": "o"}
HISTORY = [
    _e(1, "measure.import", _at(1), **ROW, deadline="2024-12-31", status="not_started"),
    _e(2, "measure.import", _at(1), **ROW, deadline="immediate", status="in_progress"),
    _e(3, "measure.import", _at(1), **ROW, status="closed"),  # done before, long-term deadline
    _e(1, "measure.update", _at(3), status="in_progress", health="at_risk"),
    _e(1, "measure.signoff_request", _at(4), status="pending_signoff"),
    _e(1, "measure.signoff_approve", _at(5), status="closed", closed_on="2024-10-05"),
    _e(1, "measure.lookback_rebound", _at(9), status="reopened", closed_on=None),
    _e(2, "measure.import", _at(10), deadline="immediate"),  # a re-import keeps its due day
    _e(
        2,
        "measure.extension_approve",
        _at(11),
        deadline="2025-01-31",
        original_deadline="2024-10-01",
    ),
    _e(3, "measure.remove", _at(12), code="3", removed=True),
    _e(4, "measure.import", _at(13), **ROW, deadline="2025-06-30", status="not_started"),
]


def test_each_event_moves_only_what_it_recorded() -> None:
    at6 = replay(HISTORY, _at(6))
    assert (at6[1].status, at6[1].health, at6[1].closed_on) == (
        Status.CLOSED,
        Health.AT_RISK,
        date(2024, 10, 5),
    )
    assert (at6[2].deadline, at6[2].immediate) == (date(2024, 10, 1), True)
    assert (at6[3].status, at6[3].closed_on, at6[3].deadline) == (Status.CLOSED, None, None)
    assert 4 not in at6
    end = replay(HISTORY, _at(31))
    assert (end[1].status, end[1].closed_on) == (Status.REOPENED, None)
    assert (end[2].deadline, end[2].original_deadline) == (date(2025, 1, 31), date(2024, 10, 1))
    assert end[3].removed and sorted(live(end)) == [1, 2, 4]
    assert sorted(live(replay(HISTORY, _at(12)))) == [1, 2, 3]  # up to the removal, not with it


def test_a_closure_stays_in_its_month_after_a_rebound() -> None:
    assert closings(HISTORY) == [(1, date(2024, 10, 5))]


def test_nothing_before_the_first_event_and_events_of_unknown_measures_ignored() -> None:
    assert replay(HISTORY, _at(1, hour=1)) == {}
    stray = [_e(9, "measure.update", _at(2), status="in_progress", health="on_track")]
    assert replay(stray, _at(31)) == {}


def test_an_immediate_deadline_recorded_as_its_date() -> None:
    dated = [
        _e(5, "measure.import", _at(1), **ROW, deadline="2024-10-01", immediate=True),
        _e(5, "measure.import", _at(9), deadline="2024-12-31", immediate=False),
    ]
    first = replay(dated, _at(2))[5]
    assert (first.deadline, first.immediate) == (date(2024, 10, 1), True)
    later = replay(dated, _at(31))[5]
    assert (later.deadline, later.immediate) == (date(2024, 12, 31), False)


def test_closed_in_a_month_is_each_measure_signed_off_in_it_once() -> None:
    offs = [("1.1", date(2024, 9, 3)), ("1.2", date(2024, 9, 9)), ("1.1", date(2024, 9, 20))]
    offs.append(("1.3", date(2024, 10, 1)))
    assert closed_in(offs, 2024, 9) == ["1.1", "1.2"]
    assert closed_in(offs, 2024, 10) == ["1.3"] and closed_in(offs, 2024, 8) == []
