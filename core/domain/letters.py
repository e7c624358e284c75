"""工作提示函: what a work prompt letter says, numbered per programme and year; pure."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.domain.lights import days_overdue
from core.domain.model import MeasureFacts
from core.domain.workcal import CalendarKind, add_workdays

REPLY_WORKDAYS = 5  # the unit answers within five working days unless the task force says otherwise


@dataclass(frozen=True)
class Letter:
    """One letter to a lead unit about one measure."""

    programme: str
    year: int
    number: int  # 〔year〕第number号: counted per programme and year
    measure: MeasureFacts
    issued_on: date
    reply_by: date
    days_overdue: int


def next_number(issued: list[tuple[int, int]], year: int) -> int:
    """The next number in a year, given (year, number) of the letters issued so far."""
    return max((n for y, n in issued if y == year), default=0) + 1


def letter(
    programme: str,
    measure: MeasureFacts,
    issued_on: date,
    number: int,
    calendar: CalendarKind,
    workdays: int = REPLY_WORKDAYS,
) -> Letter:
    """The letter's content: the reply date counts working days (holidays and 调休 included)."""
    return Letter(
        programme=programme,
        year=issued_on.year,
        number=number,
        measure=measure,
        issued_on=issued_on,
        reply_by=add_workdays(issued_on, workdays, calendar),
        days_overdue=days_overdue(measure, issued_on),
    )


@dataclass(frozen=True)
class LetterState:
    """A letter issued, and whether its unit answered (the first update after it)."""

    code: str
    lead_unit: str
    year: int
    number: int
    issued_on: date
    reply_by: date
    answered_on: date | None = None

    @property
    def in_time(self) -> bool:
        """Answered by the reply date."""
        return self.answered_on is not None and self.answered_on <= self.reply_by


def to_review(letters: Sequence[LetterState], since: date | None, today: date) -> list[LetterState]:
    """What the review names: letters issued or answered since the last review, or unanswered."""

    def news(x: LetterState) -> bool:
        answered = x.answered_on
        return since is None or x.issued_on > since or answered is None or answered > since

    return [x for x in letters if x.issued_on <= today and news(x)]
