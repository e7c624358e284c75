"""工作通报: a month's circular — lead units ranked, units commended or named, overdue items; pure."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from core.domain.counts import Counts, Group
from core.domain.report import MonthlyReport, Overdue

MAX_SENTENCE = 200  # characters the task force may write about one unit


class Stance(StrEnum):
    """What the circular says of a unit."""

    COMMEND = "commend"  # 表扬
    NAME = "name"  # 通报批评（点名）


@dataclass(frozen=True)
class Ranked:
    """A lead unit's place: None when it has neither figure in the month (not ranked)."""

    rank: int | None
    unit: Group


@dataclass(frozen=True)
class Mention:
    """A unit the task force commends or names, with the sentence they wrote."""

    stance: Stance
    unit: str
    sentence: str


@dataclass(frozen=True)
class Finding:
    """A measure a spot check (随机抽查) found 不属实: the circular lists it."""

    code: str
    text: str
    lead_unit: str
    note: str


@dataclass(frozen=True)
class Picture:
    """The month's figures a circular reports, as the monthly report computed them."""

    year: int
    month: int
    as_of: date
    counts: Counts
    ranking: list[Ranked]
    overdue: list[Overdue]
    untrue: list[Finding] = field(default_factory=list)

    @property
    def units(self) -> list[str]:
        """The lead units in ranking order: what the task force picks from."""
        return [r.unit.key for r in self.ranking]


@dataclass(frozen=True)
class Circular:
    """One issued circular, numbered per programme and year like the letters."""

    programme: str
    year: int
    number: int
    issued_on: date
    picture: Picture
    commended: list[Mention]
    named: list[Mention]


def _key(rate: float | None) -> float:
    """Higher is better; no figure ranks below any figure (0% included)."""
    return -1.0 if rate is None else rate


def rank(units: Sequence[Group]) -> list[Ranked]:
    """Lead units by on-time rate, then 反馈率, both higher first; equal figures share a place
    (1, 1, 3) and keep ledger order. Units with neither figure follow, unranked, in ledger order."""
    rated = [g for g in units if g.on_time_rate is not None or g.answer_rate is not None]
    rated.sort(key=lambda g: (-_key(g.on_time_rate), -_key(g.answer_rate)))
    out: list[Ranked] = []
    for i, g in enumerate(rated):
        before = out[-1] if out else None
        same = before is not None and (
            (before.unit.on_time_rate, before.unit.answer_rate) == (g.on_time_rate, g.answer_rate)
        )
        out.append(Ranked(before.rank if same and before else i + 1, g))
    return out + [Ranked(None, g) for g in units if g not in rated]


def picture(report: MonthlyReport, untrue: Iterable[Finding] = ()) -> Picture:
    """The circular's figures from the monthly report's own: nothing computed twice."""
    return Picture(
        year=report.year,
        month=report.month,
        as_of=report.as_of,
        counts=report.counts,
        ranking=rank(report.units),
        overdue=list(report.overdue),
        untrue=list(untrue),
    )


def circular(
    programme: str,
    figures: Picture,
    mentions: Iterable[Mention],
    *,
    number: int,
    issued_on: date,
) -> Circular:
    """The circular: mentions in ranking order, one per unit (the last pick wins).

    Raises ValueError for a unit the month's ranking does not list.
    """
    order = {unit: i for i, unit in enumerate(figures.units)}
    latest: dict[str, Mention] = {}
    for m in mentions:
        if m.unit not in order:
            raise ValueError(f"not a lead unit of the month: {m.unit!r}")
        latest[m.unit] = m
    kept = sorted(latest.values(), key=lambda m: order[m.unit])
    return Circular(
        programme=programme,
        year=issued_on.year,
        number=number,
        issued_on=issued_on,
        picture=figures,
        commended=[m for m in kept if m.stance is Stance.COMMEND],
        named=[m for m in kept if m.stance is Stance.NAME],
    )
