"""The published rectification progress report (整改进展情况) in the seed's structure, as data; pure.

Preamble; 一、 the principal responsibility (the task force's narrative, or the facts Cadence has);
二、 the headline, then （一） per area and 1. per problem in the owners' latest words; 三、 the
long-term measures, then 建章立制 (the rules recorded by the period's end); 四、 next steps; the
public-supervision paragraph; the signature.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from core.domain.counts import Counts, count
from core.domain.inspection import InspectionFacts
from core.domain.model import MeasureFacts, Status
from core.domain.outcomes import Outcome
from core.domain.report import month_end

RESPONSIBILITY, NEXT_STEPS = 1, 4  # the sections the task force writes itself
SECTIONS = (RESPONSIBILITY, NEXT_STEPS)
_NUMBERED = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")


@dataclass(frozen=True)
class Activity:
    """What the rhythm did for the rectification up to the period's end: 一、's facts."""

    dispatches: int = 0  # weekly dispatches sent
    reviews: int = 0
    reports: int = 0
    follow_ups: int = 0  # 督办
    letters: int = 0  # 工作提示函
    lookbacks: int = 0  # 回头看 asked


@dataclass(frozen=True)
class Said:
    """A measure's latest words from its owner up to the period's end."""

    progress: str = ""
    next_step: str = ""


@dataclass(frozen=True)
class ProblemPart:
    """1. 2. 3.: one problem in its measures' owners' words, with its counts and letters."""

    number: int
    problem: str
    words: tuple[str, ...]  # each measure's latest words, in ledger order, those with any
    counts: Counts  # its measures at the period's end, long-term ones aside (they are in 三、)
    letters: int = 0  # work prompt letters issued for its measures


@dataclass(frozen=True)
class AreaPart:
    """（一）…（四）: one area of the ledger."""

    number: int
    area: str
    problems: tuple[ProblemPart, ...]


@dataclass(frozen=True)
class LongTermPart:
    """三、's （一）（二）: one long-term measure in its owner's latest words."""

    number: int
    code: str
    measure: str
    words: str


@dataclass(frozen=True)
class StepGroup:
    """四、: the owners' next steps of one area, each once."""

    number: int
    area: str
    steps: tuple[str, ...]


@dataclass(frozen=True)
class ProgressReport:
    """The whole report for one month: what each section says, before any language words it."""

    year: int
    month: int
    as_of: date  # the month's end: every figure is as it stood then
    signed_on: date  # the 落款's date: the day the report is produced
    facts: InspectionFacts
    counts: Counts
    activity: Activity
    responsibility: tuple[str, ...]  # 一、 the task force's paragraphs (none: Cadence's facts)
    areas: tuple[AreaPart, ...]
    long_term: tuple[LongTermPart, ...]
    plans: tuple[str, ...]  # 四、 the task force's paragraphs (none: a placeholder)
    next_steps: tuple[StepGroup, ...]
    outcomes: tuple[Outcome, ...] = ()  # 三、's 推进建章立制: rules recorded by the period's end


def paragraphs(text: str) -> tuple[str, ...]:
    """A narrative's paragraphs: its non-empty lines, trimmed."""
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def numbered(paras: Sequence[str]) -> int:
    """How many paragraphs open with a （一）-style number: the owners' groups number after them."""
    return sum(1 for p in paras if _NUMBERED.match(p))


def is_long_term(m: MeasureFacts) -> bool:
    """A long-term measure (长期坚持): reported in 三、, not among its problem's measures."""
    return m.status is Status.LONG_TERM


def _areas(
    measures: Sequence[MeasureFacts],
    said: Mapping[str, Said],
    letters: Mapping[str, int],
    end: date,
) -> tuple[AreaPart, ...]:
    by_area: dict[int, tuple[str, dict[str, list[MeasureFacts]]]] = {}
    for m in measures:
        by_area.setdefault(m.area_number, (m.area, {}))[1].setdefault(m.problem, []).append(m)
    parts = []
    for number, (area, problems) in sorted(by_area.items()):
        items = []
        for i, (problem, mine) in enumerate(problems.items(), start=1):
            dated = [m for m in mine if not is_long_term(m)]
            words = tuple(w for m in dated if (w := said.get(m.code, Said()).progress.strip()))
            items.append(
                ProblemPart(
                    number=i,
                    problem=problem,
                    words=words,
                    counts=count(dated, end),
                    letters=sum(letters.get(m.code, 0) for m in mine),
                )
            )
        parts.append(AreaPart(number, area, tuple(items)))
    return tuple(parts)


def _next_steps(
    measures: Sequence[MeasureFacts], said: Mapping[str, Said], first: int
) -> tuple[StepGroup, ...]:
    groups: dict[int, tuple[str, dict[str, None]]] = {}
    for m in measures:
        step = said.get(m.code, Said()).next_step.strip()
        if step:
            groups.setdefault(m.area_number, (m.area, {}))[1].setdefault(step)
    return tuple(
        StepGroup(first + i, area, tuple(steps))
        for i, (_, (area, steps)) in enumerate(sorted(groups.items()))
    )


def progress_report(
    measures: Sequence[MeasureFacts],
    said: Mapping[str, Said],
    *,
    year: int,
    month: int,
    signed_on: date,
    facts: InspectionFacts,
    activity: Activity,
    narratives: Mapping[int, str],
    letters: Mapping[str, int],
    outcomes: Sequence[Outcome] = (),
) -> ProgressReport:
    """The report on year-month from the measures as they stood at its end (replayed), their
    owners' latest words by code, the rhythm's activity, the letters issued by code and the
    institutional outcomes recorded by its end (in ledger order)."""
    end = month_end(year, month)
    plans = paragraphs(narratives.get(NEXT_STEPS, ""))
    long_term = [m for m in measures if is_long_term(m)]
    return ProgressReport(
        year=year,
        month=month,
        as_of=end,
        signed_on=signed_on,
        facts=facts,
        counts=count(measures, end),
        activity=activity,
        responsibility=paragraphs(narratives.get(RESPONSIBILITY, "")),
        areas=_areas(measures, said, letters, end),
        long_term=tuple(
            LongTermPart(i, m.code, m.text, said.get(m.code, Said()).progress.strip())
            for i, m in enumerate(long_term, start=1)
        ),
        plans=plans,
        next_steps=_next_steps(measures, said, numbered(plans) + 1),
        outcomes=tuple(outcomes),
    )
