"""A picture counted from groups of measures that share their light's inputs, each lit once.

At scale a programme's measures fall into few such groups once deadlines and forecasts are
told only as far as a light can tell them apart (`window`): the database counts the groups,
core.domain.lights lights one stand-in of each, and only the few listed measures are read.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import NamedTuple

from core.domain import lights
from core.domain.counts import Counts, Group, add, of_counter
from core.domain.glance import LISTED
from core.domain.model import Health, Light, Status

# past deadlines are told apart this far back, though a light only tells them from the grace:
# so that the longest overdue can be picked by group (further back they share one group)
KEEP_PAST_DAYS = 366

# what a group is keyed by besides its area: lights.lamp_inputs, with deadline and forecast
# told relatively (tests hold the two lists equal, so a new input cannot be left out here)
READS = ("status", "health", "deadline", "immediate", "silent_dispatches", "forecast")


@dataclass(frozen=True)
class Window:
    """How far a light tells deadlines and forecasts apart, in days.

    light() and days_overdue() > 0 read the deadline only by comparing (deadline - today)
    with the grace and YELLOW_DAYS, and the forecast only by comparing (forecast - deadline)
    with the grace: offsets beyond these bounds light alike, so they are clamped to them (past
    deadlines only beyond KEEP_PAST_DAYS). Read from the rule's constants on each call, so a
    change there carries here.
    """

    due_lo: int
    due_hi: int
    late_lo: int
    late_hi: int

    @classmethod
    def now(cls) -> Window:
        """The window of the rule as it stands."""
        grace = lights.IMMEDIATE_GRACE_DAYS
        return cls(-max(grace + 1, KEEP_PAST_DAYS), lights.YELLOW_DAYS + 1, 0, grace + 1)


class Kind(NamedTuple):
    """One group: measures of an area with the same light inputs, offsets clamped."""

    area_id: int
    area_number: int
    area: str
    status: Status
    health: Health | None
    immediate: bool
    silent_dispatches: int
    due_in: int | None  # deadline - today, clamped to the window; None: no deadline
    forecast_after: int | None  # forecast - deadline, clamped; None: no forecast or deadline
    n: int


class StandIn(NamedTuple):
    """A measure lit for its group: real dates at the group's clamped offsets."""

    status: Status
    health: Health | None
    deadline: date | None
    immediate: bool
    silent_dispatches: int
    forecast: date | None


def stand_in(k: Kind, today: date) -> StandIn:
    """A measure with the group's inputs, on today."""
    deadline = None if k.due_in is None else today + timedelta(days=k.due_in)
    forecast = None
    if deadline is not None and k.forecast_after is not None:
        forecast = deadline + timedelta(days=k.forecast_after)
    return StandIn(k.status, k.health, deadline, k.immediate, k.silent_dispatches, forecast)


@dataclass(frozen=True)
class Tally:
    """Counts and lights of every group, and which groups hold the measures a picture lists."""

    counts: Counts
    areas: list[Group]
    red: list[Kind]  # groups of the first areas that hold at least LISTED red measures
    yellow: list[Kind]  # the same for yellow
    late: list[Kind]  # the groups that hold the LISTED longest overdue, ties included


def _first(kinds: Sequence[Kind], listed: int) -> list[Kind]:
    """The groups of the first areas, in ledger order, that hold `listed` measures between them."""
    by_area = sorted(kinds, key=lambda k: k.area_number)
    out: list[Kind] = []
    n = 0
    for k in by_area:
        if n >= listed and k.area_number != out[-1].area_number:
            break
        out.append(k)
        n += k.n
    return out


def _longest(late: list[tuple[int, Kind]], listed: int, due_lo: int) -> list[Kind]:
    """The groups holding the `listed` longest overdue: every group of deadlines further back
    than the window tells (their days are only known to be at least their stand-in's), then
    the others by days overdue, whole groups, until `listed`, with any of the same days."""
    out = [k for _, k in late if k.due_in == due_lo]
    n = sum(k.n for k in out)
    # the fewest days a measure of those groups can have: the others with more may rank first
    floor = min((days for days, k in late if k.due_in == due_lo), default=None)
    last = None
    for days, k in sorted(late, key=lambda d: -d[0]):
        if k.due_in == due_lo:
            continue
        if n >= listed and days != last and (floor is None or days < floor):
            break
        out.append(k)
        n += k.n
        last = days
    return out


def tally(kinds: Iterable[Kind], today: date, listed: int = LISTED) -> Tally:
    """Light each group once and count it as many times as it has measures (as glance counts)."""
    total: Counter[str] = Counter()
    areas: dict[tuple[int, str], Counter[str]] = {}
    red: list[Kind] = []
    yellow: list[Kind] = []
    late: list[tuple[int, Kind]] = []
    w = Window.now()
    for k in kinds:
        m = stand_in(k, today)
        shade = lights.light(m, today)
        days = lights.days_overdue(m, today)
        is_late = days > 0
        add(total, k.status, shade, is_late, k.n)
        add(areas.setdefault((k.area_number, k.area), Counter()), k.status, shade, is_late, k.n)
        if shade is Light.RED:
            red.append(k)
        elif shade is Light.YELLOW:
            yellow.append(k)
        if is_late:
            late.append((days, k))
    return Tally(
        counts=of_counter(total),
        areas=[Group(name, of_counter(c), number=n) for (n, name), c in sorted(areas.items())],
        red=_first(red, listed),
        yellow=_first(yellow, listed),
        late=_longest(late, listed, w.due_lo),
    )
