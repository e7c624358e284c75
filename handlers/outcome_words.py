"""The words of recording an institutional outcome: refusals, a duplicate, a bad date; pure."""

from __future__ import annotations

from datetime import date

from core.domain import outcomes as rules
from core.i18n import Tr
from usecases.outcomes import Duplicate, Refusal


def refusal(t: Tr, why: Refusal, code: str) -> str:
    if why is Refusal.UNKNOWN:
        return t._("There is no measure {code} in the ledger.", code=code)
    return t._(
        "Only the owner of {code} or the task force can record its institutional outcomes.",
        code=code,
    )


def duplicate(t: Tr, number: str, held: Duplicate) -> str:
    return t._(
        "Document number {number} is already recorded, for measure {code}: {title}. Please check"
        " the number; a rule is recorded once.",
        number=number,
        code=held.code,
        title=held.title,
    )


def date_problem(t: Tr, problem: rules.Problem, text: str, today: date) -> str:
    if problem is rules.Problem.IMPOSSIBLE:
        return t._(
            "“{text}” is not a real date: please check the year, month and day.", text=text[:40]
        )
    if problem is rules.Problem.FUTURE:
        return t._(
            "The date of issue cannot be later than today ({date}). Please send it again.",
            date=t.date(today),
        )
    return t._("Please send the date of issue, for example 2024-03-15.")
