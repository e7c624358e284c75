"""Words about work prompt letters in chat (numbers, answers); no Word document needed."""

from __future__ import annotations

from datetime import date

from core.domain.letters import LetterState
from core.i18n import Tr


def number_label(t: Tr, year: int, number: int) -> str:
    """〔2024〕第3号 / No. 3 of 2024."""
    return t._("No. {number} of {year}", number=number, year=year)


def answer_state(t: Tr, reply_by: date, answered_on: date | None) -> str:
    """Whether the unit answered by the reply date."""
    if answered_on is None:
        return t._("no answer yet")
    if answered_on <= reply_by:
        return t._("answered on {date}", date=t.date(answered_on))
    return t._("answered late, on {date}", date=t.date(answered_on))


def letter_lines(t: Tr, letters: list[LetterState]) -> list[str]:
    """The review's lines on work prompt letters: number, unit, measure, reply date, answer."""
    return [
        t._(
            "{number} to {unit} on {code}, reply by {date}: {state}",
            number=number_label(t, x.year, x.number),
            unit=x.lead_unit,
            code=x.code,
            date=t.date(x.reply_by),
            state=answer_state(t, x.reply_by, x.answered_on),
        )
        for x in letters
    ]
