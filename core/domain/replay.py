"""The ledger at a moment: its measures as their recorded events up to then say, and nothing else."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import pairwise
from typing import Any

from core.domain.model import Health, Status
from core.domain.outcomes import Outcome

IMMEDIATE = "immediate"  # how an import records a 立行立改 deadline (core.domain.ledger_plan)
# the actions that move a measure's state: every other event leaves it as it was
REPLAYED = frozenset({
    "measure.import", "measure.remove", "measure.update", "measure.signoff_request",
    "measure.signoff_approve", "measure.signoff_send_back", "measure.extension_approve",
    "measure.lookback_holds", "measure.lookback_rebound", "measure.spotcheck_untrue",
    "measure.add", "measure.edit", "measure.retire",
})  # fmt: skip
OUTCOME = "measure.outcome"  # 建章立制: a rule recorded for a measure; its state is its own
# a measure's first event: a ledger row imported, or one a coordinator added in chat
BORN = frozenset({"measure.import", "measure.add"})
# what a coordinator's edit in chat sets: names and the deadline, as an import records them
EDITED = frozenset({"measure.add", "measure.edit"})
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
    forecast: date | None = None  # core.domain.forecast's day, as the latest answer recorded it


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
        if e.action not in BORN:
            return  # an event before the measure's import cannot be placed: ignore it
        state = states[e.measure_id] = State()
    state.last_at = e.at
    after = e.after
    if e.action == "measure.import" or e.action in EDITED:
        _imported(state, after, e.day)
        return
    if e.action in ("measure.remove", "measure.retire"):  # retired: out of the counts from then
        state.removed = bool(after.get("removed", True))
        return
    if "status" in after:
        state.status = Status(after["status"])
    if "health" in after:
        state.health = Health(after["health"]) if after["health"] else None
    if "closed_on" in after:
        state.closed_on = _day(after["closed_on"])
    if e.action == "measure.update" and "forecast" in after:
        state.forecast = _day(after["forecast"])
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


def replay_each(
    events: Sequence[Recorded], moments: Sequence[datetime]
) -> Iterator[dict[int, State]]:
    """replay(events, moment) for each moment, in one pass of the trail when both run in order.

    The dict yielded is the same one moved on to the next moment: read it before asking for the
    next. A trail whose times do not run in order (a clock set back) is replayed per moment.
    """
    if any(a.at > b.at for a, b in pairwise(events)) or any(a > b for a, b in pairwise(moments)):
        for at in moments:
            yield replay(events, at)
        return
    states: dict[int, State] = {}
    done = 0
    for at in moments:
        while done < len(events) and events[done].at < at:
            apply(states, events[done])
            done += 1
        yield states


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


def outcomes(events: Iterable[Recorded]) -> list[Outcome]:
    """The institutional outcomes (建章立制) the events recorded, in the order they were."""
    return [
        Outcome(
            measure_id=e.measure_id,
            title=str(e.after.get("title", "")),
            number=str(e.after.get("number", "")),
            issued_on=_day(e.after.get("issued_on")) or e.day,
            recorded_on=e.day,
            file=str(e.after.get("file") or ""),
        )
        for e in events
        if e.action == OUTCOME
    ]
