"""Traffic lights (红黄绿灯) of measures on a given day (DOMAIN.md, Traffic lights)."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from typing import Protocol

from core.domain.model import Health, Light, MeasureFacts, Status, code_key

YELLOW_DAYS = 14
SILENT_DISPATCHES = 2  # "no update for the last two dispatches"
IMMEDIATE_GRACE_DAYS = 6  # 立行立改 imported on a Monday is red from the next Monday

_RANK = {Light.RED: 0, Light.YELLOW: 1, Light.GREEN: 2, None: 3}


class Lamp(Protocol):
    """What a light is computed from: a measure's full facts, or a picture's lean row of them."""

    @property
    def status(self) -> Status: ...
    @property
    def health(self) -> Health | None: ...
    @property
    def deadline(self) -> date | None: ...
    @property
    def immediate(self) -> bool: ...
    @property
    def silent_dispatches(self) -> int: ...
    @property
    def forecast(self) -> date | None: ...


def lamp_inputs(m: Lamp) -> tuple[Status, Health | None, date | None, bool, int, date | None]:
    """Everything light() and days_overdue() read: equal inputs, equal answers."""
    return (m.status, m.health, m.deadline, m.immediate, m.silent_dispatches, m.forecast)


def light(m: Lamp, today: date) -> Light | None:
    """The measure's light on today; None for closed measures."""
    if m.status is Status.CLOSED:
        return None
    if days_overdue(m, today) > 0 or m.health is Health.BLOCKED:
        return Light.RED
    # a measure awaiting sign-off is done on the owner's side: a near deadline is no warning
    near = (
        m.deadline is not None
        and 0 <= (due(m) - today).days <= YELLOW_DAYS
        and m.status is not Status.PENDING_SIGNOFF
    )
    if near or m.health is Health.AT_RISK or m.silent_dispatches >= SILENT_DISPATCHES:
        return Light.YELLOW
    if m.forecast is not None and projected_late(m) is not None:
        return Light.YELLOW
    return Light.GREEN


def projected_late(m: Lamp) -> date | None:
    """The projected completion day (core.domain.forecast) when it falls after the last day in
    time; None otherwise, and for measures done on the owner's side (closed, awaiting sign-off).

    One of light()'s reasons for yellow; renderers (summary, review, board) name it with this.
    """
    if m.forecast is None or m.deadline is None:
        return None
    if m.status in (Status.CLOSED, Status.PENDING_SIGNOFF):
        return None
    return m.forecast if m.forecast > due(m) else None


def days_overdue(m: Lamp, today: date) -> int:
    """Whole days since the deadline day ended; 0 if not overdue, closed or long-term."""
    if m.status is Status.CLOSED or m.deadline is None:
        return 0
    # the deadline day itself is still in time: overdue starts the day after (as due(m), inlined:
    # every picture asks this of every measure several times)
    late = (today - m.deadline).days - (IMMEDIATE_GRACE_DAYS if m.immediate else 0)
    return late if late > 0 else 0


def due(m: Lamp) -> date:
    """The last day in time: the deadline, or a week's grace for 立行立改."""
    assert m.deadline is not None
    return m.deadline + timedelta(days=IMMEDIATE_GRACE_DAYS if m.immediate else 0)


def by_urgency(
    measures: Iterable[MeasureFacts],
    today: date,
    lit: Mapping[int, Light | None] | None = None,
) -> list[MeasureFacts]:
    """Red, yellow, green, then closed; in ledger order of areas, by code within each.

    `lit`: the lights already computed for these measures (by id), so a picture computes each once.
    """

    def key(m: MeasureFacts) -> tuple[int, int, tuple[tuple[int, int, str], ...]]:
        shade = lit[id(m)] if lit is not None else light(m, today)
        return (_RANK[shade], m.area_number, code_key(m.code))

    return sorted(measures, key=key)
