"""The ledger at a moment: its measures as their recorded events up to then say, and nothing else."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from core.domain.model import Health, Status

IMMEDIATE = "immediate"  # how an import records a 立行立改 deadline (core.domain.ledger_plan)
# the actions that move a measure's state: every other event leaves it as it was
REPLAYED = frozenset({
    "measure.import", "measure.remove", "measure.update", "measure.signoff_request",
    "measure.signoff_approve", "measure.signoff_send_back", "measure.extension_approve",
    "measure.lookback_holds", "measure.lookback_rebound", "measure.spotcheck_untrue",
})  # fmt: skip
# the descriptive fields an import records by name, as the ledger wrote them
NAMED = ("text", "area", "problem", "leader", "lead_unit", "co_units", "owner")


@dataclass(frozen=True, slots=True)
class Recorded:
    """One audit event about a measure, as the replay reads it."""

    measure_id: int
    action: str
    at: datetime
    day: date  # the event's day in the programme's time zone
    after: Mapping[str, Any]


@dataclass(slots=True)
class State:
    """One measure as its events so far have left it."""

    names: dict[str, str] = field(default_factory=dict)
    deadline: date | None = None
    immediate: bool = False
    original_deadline: date | None = None
    status: Status = Status.NOT_STARTED
    health: Health | None = None
    closed_on: date | None = None
    removed: bool = False
    last_at: datetime | None = None


def _day(value: Any) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) and value else None


def _imported(state: State, after: Mapping[str, Any], day: date) -> None:
    """A ledger row's values: names, deadline (立行立改 is due the day it first came in), status."""
    for key in NAMED:
        if key in after:
            state.names[key] = after[key] or ""
    if "deadline" in after:
        value = after["deadline"]
        if value == IMMEDIATE:  # written before the trail recorded the date it stands for
            state.deadline = state.deadline if state.immediate else day
            state.immediate = True
        else:
            state.deadline = _day(value)
            state.immediate = bool(after.get("immediate", False))
    if after.get("original_deadline"):
        # the bot's own workbook read back: the deadline an extension replaced
        state.original_deadline = _day(after["original_deadline"])
    if "status" in after:
        # done in the file: closed before the programme began, so no closing date
        state.status, state.closed_on = Status(after["status"]), None
    if "removed" in after:
        state.removed = bool(after["removed"])


def apply(states: dict[int, State], e: Recorded) -> None:
    """One event's effect on the measure it is about."""
    state = states.get(e.measure_id)
    if state is None:
        if e.action != "measure.import":
            return  # an event before the measure's import cannot be placed: ignore it
        state = states[e.measure_id] = State()
    state.last_at = e.at
    after = e.after
    if e.action == "measure.import":
        _imported(state, after, e.day)
        return
    if e.action == "measure.remove":
        state.removed = bool(after.get("removed", True))
        return
    if "status" in after:
        state.status = Status(after["status"])
    if "health" in after:
        state.health = Health(after["health"]) if after["health"] else None
    if "closed_on" in after:
        state.closed_on = _day(after["closed_on"])
    if e.action == "measure.extension_approve":
        state.deadline = _day(after.get("deadline"))
        state.original_deadline = _day(after.get("original_deadline"))


def replay(events: Iterable[Recorded], until: datetime) -> dict[int, State]:
    """Each measure's state from its events before `until`, in the order they were recorded."""
    states: dict[int, State] = {}
    for e in events:
        if e.at < until:  # not a break: a clock set back can record a later event earlier
            apply(states, e)
    return states


def live(states: Mapping[int, State]) -> dict[int, State]:
    """The measures in the ledger then: imported and not removed."""
    return {mid: s for mid, s in states.items() if not s.removed}


def closings(events: Iterable[Recorded]) -> list[tuple[int, date]]:
    """Every sign-off (销号) as (measure, day): a closure stays in its month whatever came after."""
    return [
        (e.measure_id, _day(e.after.get("closed_on")) or e.day)
        for e in events
        if e.action == "measure.signoff_approve"
    ]


def closed_in(sign_offs: Iterable[tuple[str, date]], year: int, month: int) -> list[str]:
    """Closed in a month (DOMAIN.md): the measures with a sign-off dated in it, first come first."""
    return list(dict.fromkeys(c for c, d in sign_offs if (d.year, d.month) == (year, month)))
