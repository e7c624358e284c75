"""Report content as data: summary, fortnightly review, monthly report."""

from __future__ import annotations

import calendar
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from core.domain.counts import Counts, Group, Lit, by_area, count, lights_of
from core.domain.filters import EVERYTHING, Filter
from core.domain.glance import Glance, R, glance
from core.domain.letters import LetterState
from core.domain.lights import by_urgency, days_overdue, light
from core.domain.model import Health, Light, MeasureFacts, Status, code_key
from core.domain.outcomes import Outcome

# what pictures and their readers use, whichever module defines it
__all__ = [
    "Counts",
    "Group",
    "Lit",
    "MonthlyReport",
    "Overdue",
    "Review",
    "Summary",
    "by_area",
    "by_area_rated",
    "by_unit",
    "count",
    "glance",
    "lights_of",
    "month_end",
    "monthly",
    "most_red",
    "on_time_rate",
    "overdue",
    "review",
    "snapshot",
    "summary",
    "summary_of",
    "waiting_long",
]
from core.domain.workcal import CalendarKind, is_workday


@dataclass(frozen=True)
class Overdue:
    """A measure past its deadline."""

    measure: MeasureFacts
    days: int


def on_time_rate(measures: Iterable[MeasureFacts], today: date) -> float | None:
    """Share of measures due by today that were closed by their deadline.

    A measure closed before the programme began (imported as done, no closing date) is left out.
    """
    due = [
        m
        for m in measures
        if m.scored_deadline is not None
        and m.scored_deadline <= today
        and not (m.status is Status.CLOSED and m.closed_on is None)
    ]
    if not due:
        return None
    ok = sum(
        1
        for m in due
        if m.status is Status.CLOSED
        and m.closed_on is not None
        and m.scored_deadline is not None
        and m.closed_on <= m.scored_deadline
    )
    return ok / len(due)


def by_unit(
    measures: Sequence[MeasureFacts],
    today: date,
    answers: Mapping[str, tuple[int, int]] | None = None,
    lit: Lit | None = None,
) -> list[Group]:
    """Counts per lead unit with answer and on-time rates (考评), in ledger order."""
    answers = answers or {}
    lit = lit if lit is not None else lights_of(measures, today)
    units: dict[str, list[MeasureFacts]] = {}
    for m in measures:
        units.setdefault(m.lead_unit, []).append(m)
    groups = []
    for unit, mine in units.items():
        answered, asked = answers.get(unit, (0, 0))
        groups.append(
            Group(
                unit,
                count(mine, today, lit),
                answer_rate=answered / asked if asked else None,
                on_time_rate=on_time_rate(mine, today),
            )
        )
    return groups


def by_area_rated(
    measures: Sequence[MeasureFacts], today: date, lit: Lit | None = None
) -> list[Group]:
    """Counts per area, each with its on-time rate (the workbook's summary sheet)."""
    return [
        replace(g, on_time_rate=on_time_rate(_in_area(measures, g.number), today))
        for g in by_area(measures, today, lit)
    ]


def _in_area(measures: Sequence[MeasureFacts], number: int) -> list[MeasureFacts]:
    """The measures of one area."""
    return [m for m in measures if m.area_number == number]


def most_red(groups: Sequence[Group]) -> list[Group]:
    """Units with red items, most red first (ties: most overdue, then ledger order)."""
    red = [g for g in groups if g.counts.red]
    return sorted(red, key=lambda g: (-g.counts.red, -g.counts.overdue))


def overdue(measures: Iterable[MeasureFacts], today: date) -> list[Overdue]:
    """Overdue measures, longest overdue first."""
    late = [Overdue(m, days_overdue(m, today)) for m in measures]
    return sorted(
        (o for o in late if o.days > 0), key=lambda o: (-o.days, code_key(o.measure.code))
    )


@dataclass(frozen=True)
class Summary:
    """/summary: the monthly headline plus lights by area, on any day.

    The red, yellow and overdue lists hold the most urgent items only (glance.LISTED): what a
    picture shows; `counts` says how many there are in all.
    """

    as_of: date
    counts: Counts
    areas: list[Group]
    red: list[MeasureFacts]
    overdue: list[Overdue]
    where: Filter = EVERYTHING  # what the reader asked to see
    yellow: list[MeasureFacts] = field(default_factory=list)
    unit_share: tuple[int, int] | None = None  # (leads, co-works on) under a unit filter
    owner_view: bool = False  # an owner's own measures, in their own words


def summary_of(
    g: Glance[R],
    facts: Mapping[str, MeasureFacts],
    today: date,
    *,
    where: Filter = EVERYTHING,
    unit_share: tuple[int, int] | None = None,
    owner_view: bool = False,
) -> Summary:
    """The /summary content from a glance and the full facts of the listed measures, by code."""
    return Summary(
        as_of=today,
        counts=g.counts,
        areas=g.areas,
        red=[facts[m.code] for m in g.red],
        overdue=[Overdue(facts[m.code], days) for m, days in g.overdue],
        where=where,
        yellow=[facts[m.code] for m in g.yellow],
        unit_share=unit_share,
        owner_view=owner_view,
    )


def summary(
    measures: Sequence[MeasureFacts],
    today: date,
    *,
    where: Filter = EVERYTHING,
    unit_share: tuple[int, int] | None = None,
    owner_view: bool = False,
) -> Summary:
    """Build the /summary content from full facts."""
    return summary_of(
        glance(measures, today),
        {m.code: m for m in measures},
        today,
        where=where,
        unit_share=unit_share,
        owner_view=owner_view,
    )


Snapshot = Mapping[str, tuple[str | None, str, str | None]]  # code -> (light, status, health)


def snapshot(
    measures: Iterable[MeasureFacts], today: date
) -> dict[str, tuple[str | None, str, str | None]]:
    """What a review remembers, to tell what changed by the next one."""
    out: dict[str, tuple[str | None, str, str | None]] = {}
    for m in measures:
        lit = light(m, today)
        out[m.code] = (
            lit.value if lit else None,
            m.status.value,
            m.health.value if m.health else None,
        )
    return out


@dataclass(frozen=True)
class Review:
    """半月一研判: the fortnightly digest."""

    as_of: date
    counts: Counts
    areas: list[Group]
    newly_red: list[MeasureFacts]
    newly_closed: list[MeasureFacts]
    newly_blocked: list[MeasureFacts]
    red: list[Overdue]
    blocked: list[MeasureFacts]
    silent_owners: list[str]
    away: list[tuple[str, date, date]]  # who is away, from and to
    top_red_units: list[Group]
    first: bool = False
    yellow: list[MeasureFacts] = field(default_factory=list)  # every yellow item the count counts
    unreachable: list[str] = field(default_factory=list)
    waiting: list[tuple[str, int]] = field(default_factory=list)  # (code, working days waited)
    letters: list[LetterState] = field(default_factory=list)  # work prompt letters to mention


WAITING_WORKDAYS = 3  # a sign-off or extension request undecided longer is listed in the review


def waiting_long(
    asked: Sequence[tuple[str, date]], today: date, kind: CalendarKind
) -> list[tuple[str, int]]:
    """Requests waiting more than three working days for a decision, with how many, oldest first."""
    out = []
    for code, day in sorted(asked, key=lambda pair: pair[1]):
        days = sum(
            1 for n in range(1, (today - day).days + 1) if is_workday(day + timedelta(days=n), kind)
        )
        if days > WAITING_WORKDAYS:
            out.append((code, days))
    return out


def review(
    measures: Sequence[MeasureFacts],
    today: date,
    previous: Snapshot | None,
    *,
    silent_owners: Sequence[str] = (),
    away: Sequence[tuple[str, date, date]] = (),
    unreachable: Sequence[str] = (),
    waiting: Sequence[tuple[str, int]] = (),
    letters: Sequence[LetterState] = (),
) -> Review:
    """Build the review digest, comparing with the previous review's snapshot."""
    prev = previous or {}
    now = snapshot(measures, today)

    def became(test: int, value: str) -> list[MeasureFacts]:
        return [
            m
            for m in measures
            if now[m.code][test] == value and prev.get(m.code, (None, "", None))[test] != value
        ]

    lit = lights_of(measures, today)
    urgent = by_urgency(measures, today, lit)
    red = [m for m in urgent if lit[id(m)] is Light.RED]
    units = most_red(by_unit(measures, today, lit=lit))[:3]
    return Review(
        as_of=today,
        counts=count(measures, today, lit),
        areas=by_area(measures, today, lit),
        newly_red=became(0, Light.RED.value) if previous is not None else [],
        newly_closed=became(1, Status.CLOSED.value) if previous is not None else [],
        newly_blocked=became(2, Health.BLOCKED.value) if previous is not None else [],
        red=[Overdue(m, days_overdue(m, today)) for m in red],
        yellow=[m for m in urgent if lit[id(m)] is Light.YELLOW],
        blocked=[
            m for m in measures if m.health is Health.BLOCKED and m.status is not Status.CLOSED
        ],
        silent_owners=sorted(set(silent_owners)),
        away=list(away),
        top_red_units=units,
        first=previous is None,
        unreachable=sorted(set(unreachable)),
        waiting=list(waiting),
        letters=list(letters),
    )


@dataclass(frozen=True)
class MonthlyReport:
    """每月一汇报: the report on the month just ended."""

    year: int
    month: int
    as_of: date
    counts: Counts
    areas: list[Group]
    units: list[Group]
    closed_this_month: list[MeasureFacts]
    overdue: list[Overdue]
    long_term: list[MeasureFacts] = field(default_factory=list)
    measures: list[MeasureFacts] = field(default_factory=list)  # as they stood at month end
    outcomes: list[Outcome] = field(default_factory=list)  # 建章立制 recorded by month end


def month_end(year: int, month: int) -> date:
    """The last day of a month."""
    return date(year, month, calendar.monthrange(year, month)[1])


def monthly(
    measures: Sequence[MeasureFacts],
    year: int,
    month: int,
    answers: Mapping[str, tuple[int, int]] | None = None,
    signed_off: Sequence[str] | None = None,
) -> MonthlyReport:
    """Build the monthly report from the measures as they stood at the month's end.

    `signed_off`: the codes closed in the month (replay.closed_in), shown as they stood at its
    end; without it, the measures closed at the end with a closing date in the month.

    Pass them as the month's events left them (storage.reports.month_facts): this adds no undo.
    """
    end = month_end(year, month)
    start = date(year, month, 1)
    closed = set(signed_off) if signed_off is not None else None
    lit = lights_of(measures, end)
    return MonthlyReport(
        year=year,
        month=month,
        as_of=end,
        counts=count(measures, end, lit),
        areas=by_area_rated(measures, end, lit),
        units=by_unit(measures, end, answers, lit),
        closed_this_month=[m for m in measures if m.code in closed]
        if closed is not None
        else [
            m
            for m in measures
            if m.status is Status.CLOSED and m.closed_on and start <= m.closed_on <= end
        ],
        overdue=overdue(measures, end),
        long_term=[m for m in measures if m.status is Status.LONG_TERM],
        measures=list(measures),
    )
