"""The on-time rate counts against the original deadline, whatever extensions followed."""

from __future__ import annotations

from datetime import date

from core.domain.model import MeasureFacts, Status
from core.domain.report import on_time_rate


def _measure(code: str, deadline: date, closed: date, original: date | None = None) -> MeasureFacts:
    return MeasureFacts(
        code=code,
        text="t",
        area_number=1,
        area="a",
        problem="p",
        leader="",
        lead_unit="u",
        owner="o",
        deadline=deadline,
        status=Status.CLOSED,
        closed_on=closed,
        original_deadline=original,
    )


def test_extended_measure_closed_after_its_first_deadline_is_late() -> None:
    on_time = _measure("1", date(2024, 9, 30), date(2024, 9, 20))
    extended = _measure("2", date(2024, 10, 31), date(2024, 10, 20), original=date(2024, 9, 30))
    assert extended.scored_deadline == date(2024, 9, 30)
    assert on_time_rate([on_time, extended], date(2024, 11, 1)) == 0.5
    # without the kept original the extension would have hidden the delay
    plain = _measure("2", date(2024, 10, 31), date(2024, 10, 20))
    assert on_time_rate([on_time, plain], date(2024, 11, 1)) == 1.0
