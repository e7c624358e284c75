"""Content of the documents (ledger workbook, monthly report, chart) as data; pure."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from core.domain import report
from core.domain.model import MeasureFacts
from core.domain.outcomes import Outcome
from core.domain.replay import closed_in


@dataclass(frozen=True)
class Extras:
    """What the ledger knows about a measure beyond its facts (from updates, files, history)."""

    note: str = ""  # the owner's latest progress note, or a look-back's answered after it
    noted_on: date | None = None
    lookback: str = ""  # the look-back's verdict when the note is one's
    next_step: str = ""  # the owner's latest "next step", when the answer had one
    evidence: int = 0  # files attached so far
    original_deadline: date | None = None  # set only when the deadline was changed since import
    # the closing date: today the measure's closed_on; a recorded sign-off date slots in here later
    closed_on: date | None = None
    # the owner and leader cells as a ledger writes them: every person, phones in brackets
    owners: str = ""
    leaders: str = ""


@dataclass(frozen=True)
class Record:
    """One ledger line: the measure's facts on the day plus its extras."""

    facts: MeasureFacts
    extras: Extras = field(default_factory=Extras)

    @property
    def closed_on(self) -> date | None:
        """When it was closed: the recorded date when there is one, else the measure's."""
        return self.extras.closed_on or self.facts.closed_on


@dataclass(frozen=True)
class LedgerContent:
    """The ledger workbook: records in ledger order, counts by area and lead unit."""

    programme: str
    as_of: date
    records: list[Record]
    counts: report.Counts
    areas: list[report.Group]
    units: list[report.Group]
    outcomes: list[Outcome] = field(default_factory=list)  # 建章立制 recorded by as_of


def records(
    facts: Sequence[MeasureFacts], extras: Mapping[str, Extras] | None = None
) -> list[Record]:
    """Join facts with their extras, by code, keeping the facts' (ledger) order."""
    extras = extras or {}
    return [Record(f, extras.get(f.code, Extras())) for f in facts]


def ledger(
    programme: str,
    rows: Sequence[Record],
    as_of: date,
    answers: Mapping[str, tuple[int, int]] | None = None,
) -> LedgerContent:
    """The workbook's content on a day; the counts are the digests' own."""
    facts = [r.facts for r in rows]
    return LedgerContent(
        programme=programme,
        as_of=as_of,
        records=list(rows),
        counts=report.count(facts, as_of),
        areas=report.by_area_rated(facts, as_of),
        units=report.by_unit(facts, as_of, answers),
    )


def monthly_ledger(
    programme: str, rows: Sequence[Record], monthly: report.MonthlyReport
) -> LedgerContent:
    """The ledger the monthly report sends: its records at the month's end and its own counts."""
    return LedgerContent(
        programme=programme,
        as_of=monthly.as_of,
        records=list(rows),
        counts=monthly.counts,
        areas=monthly.areas,
        units=monthly.units,
        outcomes=monthly.outcomes,
    )


def area_of(rows: Sequence[Record], number: int) -> list[Record]:
    """The records of one area, in ledger order."""
    return [r for r in rows if r.facts.area_number == number]


@dataclass(frozen=True)
class MonthClosed:
    """Measures closed in one month, and closed in all by its end."""

    year: int
    month: int
    closed: int
    total: int


def months_up_to(year: int, month: int, months: int = 6) -> list[tuple[int, int]]:
    """The last `months` months up to year-month, oldest first."""
    index = year * 12 + month - 1
    return [(k // 12, k % 12 + 1) for k in range(index - months + 1, index + 1)]


def closed_by_month(
    sign_offs: Sequence[tuple[str, date]],
    closed_at_end: Mapping[tuple[int, int], int],
    year: int,
    month: int,
    months: int = 6,
) -> list[MonthClosed]:
    """The last `months` months up to year-month, oldest first.

    A month's bar counts the sign-offs dated in it, whatever came of them later; its line, the
    measures closed at its end, those imported as done included.
    """
    return [
        MonthClosed(
            y,
            m,
            len(closed_in(sign_offs, y, m)),
            closed_at_end.get((y, m), 0),
        )
        for y, m in months_up_to(year, month, months)
    ]
