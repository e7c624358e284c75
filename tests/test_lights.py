"""Traffic lights, days overdue and urgency order (DOMAIN.md, Traffic lights)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from core.domain.lights import YELLOW_DAYS, by_urgency, days_overdue, light
from core.domain.model import Health, Light, MeasureFacts, Status

TODAY = date(2024, 9, 30)


def measure(
    code: str = "1.1.1",
    *,
    due_in: int | None = 60,
    status: Status = Status.IN_PROGRESS,
    health: Health | None = None,
    silent: int = 0,
) -> MeasureFacts:
    return MeasureFacts(
        code=code,
        text="措施",
        area_number=1,
        area="方面",
        problem="问题",
        leader="领导",
        lead_unit="单位",
        owner="责任人",
        deadline=None if due_in is None else TODAY + timedelta(days=due_in),
        status=status,
        health=health,
        silent_dispatches=silent,
    )


@pytest.mark.parametrize(
    ("due_in", "expected"),
    [
        (-30, Light.RED),
        (-1, Light.RED),  # deadline was yesterday
        (0, Light.YELLOW),  # the deadline day itself is still in time
        (YELLOW_DAYS, Light.YELLOW),
        (YELLOW_DAYS + 1, Light.GREEN),
        (None, Light.GREEN),  # long-term
    ],
)
def test_light_by_deadline(due_in: int | None, expected: Light) -> None:
    assert light(measure(due_in=due_in), TODAY) is expected


@pytest.mark.parametrize(
    ("due_in", "expected"),
    [(-1, Light.RED), (0, Light.GREEN), (YELLOW_DAYS, Light.GREEN), (None, Light.GREEN)],
)
def test_pending_signoff_is_not_yellow_by_deadline(due_in: int | None, expected: Light) -> None:
    m = measure(due_in=due_in, status=Status.PENDING_SIGNOFF)
    assert light(m, TODAY) is expected


@pytest.mark.parametrize("due_in", [-1, 0, 3, 60, None])
def test_blocked_is_red(due_in: int | None) -> None:
    assert light(measure(due_in=due_in, health=Health.BLOCKED), TODAY) is Light.RED
    m = measure(due_in=due_in, health=Health.BLOCKED, status=Status.PENDING_SIGNOFF)
    assert light(m, TODAY) is Light.RED


def test_at_risk_and_silent_are_yellow() -> None:
    assert light(measure(health=Health.AT_RISK), TODAY) is Light.YELLOW
    assert light(measure(due_in=None, health=Health.AT_RISK), TODAY) is Light.YELLOW
    assert light(measure(silent=1), TODAY) is Light.GREEN
    assert light(measure(silent=2), TODAY) is Light.YELLOW
    assert light(measure(silent=3, due_in=None, status=Status.LONG_TERM), TODAY) is Light.YELLOW
    assert light(measure(health=Health.ON_TRACK), TODAY) is Light.GREEN
    # red wins over yellow
    assert light(measure(due_in=-1, health=Health.AT_RISK, silent=2), TODAY) is Light.RED


@pytest.mark.parametrize("status", [Status.NOT_STARTED, Status.LONG_TERM, Status.REOPENED])
def test_other_open_statuses_follow_the_same_rules(status: Status) -> None:
    assert light(measure(status=status), TODAY) is Light.GREEN
    assert light(measure(status=status, due_in=5), TODAY) is Light.YELLOW
    assert light(measure(status=status, due_in=-5), TODAY) is Light.RED


def test_closed_has_no_light() -> None:
    for m in (
        measure(status=Status.CLOSED),
        measure(status=Status.CLOSED, due_in=-10, health=Health.BLOCKED, silent=5),
        measure(status=Status.CLOSED, due_in=None),
    ):
        assert light(m, TODAY) is None
        assert days_overdue(m, TODAY) == 0


def test_days_overdue() -> None:
    assert days_overdue(measure(due_in=-1), TODAY) == 1
    assert days_overdue(measure(due_in=-30), TODAY) == 30
    assert days_overdue(measure(due_in=0), TODAY) == 0
    assert days_overdue(measure(due_in=5), TODAY) == 0
    assert days_overdue(measure(due_in=None), TODAY) == 0
    assert days_overdue(measure(due_in=-2, status=Status.PENDING_SIGNOFF), TODAY) == 2


def test_light_moves_with_today() -> None:
    m = measure(due_in=0)
    assert light(m, TODAY) is Light.YELLOW
    assert light(m, TODAY + timedelta(days=1)) is Light.RED
    assert light(m, TODAY - timedelta(days=YELLOW_DAYS + 1)) is Light.GREEN


def test_by_urgency_orders_lights_then_codes() -> None:
    measures = [
        measure("1.2.10", status=Status.CLOSED),
        measure("1.2.10.1"),
        measure("1.2.9", due_in=3),
        measure("2.1.1", health=Health.BLOCKED),
        measure("1.2.10a", silent=2),
        measure("1.10.1", due_in=-1),
        measure("1.2.1"),
        measure("1.1.1", status=Status.CLOSED),
        measure("1.9.1", due_in=-40),
    ]
    ranked = by_urgency(measures, TODAY)
    assert [m.code for m in ranked] == [
        "1.9.1",
        "1.10.1",
        "2.1.1",
        "1.2.9",
        "1.2.10a",
        "1.2.1",
        "1.2.10.1",
        "1.1.1",
        "1.2.10",
    ]
    assert [light(m, TODAY) for m in ranked] == [Light.RED] * 3 + [Light.YELLOW] * 2 + [
        Light.GREEN
    ] * 2 + [None] * 2


def test_by_urgency_takes_any_iterable_and_keeps_input() -> None:
    measures = [measure("2"), measure("1", due_in=-1)]
    assert [m.code for m in by_urgency(iter(measures), TODAY)] == ["1", "2"]
    assert [m.code for m in measures] == ["2", "1"]
    assert by_urgency([], TODAY) == []
