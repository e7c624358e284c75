"""The weekly dispatch's words: its head, the greeting, the measures, when to answer by."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from core.domain.model import MeasureFacts
from core.i18n import Tr
from core.render.measures import line


def dispatch_text(
    t: Tr,
    owner: str,
    stand_in: str | None,
    facts: list[MeasureFacts],
    today: date,
    week: date | None = None,
    by: datetime | None = None,
) -> str:
    """The dispatch message: greeting, then measures red and yellow first.

    `week`: the Monday of the period's week; a catch-up names the week it was for. `stand_in`:
    the name of who gets it while the owner is away.
    """
    monday = today - timedelta(days=today.weekday())
    days = t.week(week or monday, today)
    if week is None or week == monday:
        head = t._("📌 Weekly dispatch for this week ({days})", days=days)
    elif week == monday - timedelta(weeks=1):
        head = t._("📌 Weekly dispatch for last week ({days})", days=days)
    else:
        head = t._("📌 Weekly dispatch for the week of {days}", days=days)
    if stand_in is not None:
        greet = t._(
            "{name}, you are standing in for {owner}. Please report progress on these measures:",
            name=stand_in,
            owner=owner,
        )
    else:
        greet = t._("{name}, please report progress on your measures:", name=owner)
    lines = [line(t, f, today) for f in facts]
    hint = t._("Press a measure to answer it, or reply to this message with an update.")
    return "\n".join([head, greet, "", *lines, "", *answer_by_line(t, by, today), hint])


def answer_by_line(t: Tr, by: datetime | None, today: date) -> list[str]:
    """请于10月2日（周三）9:00前反馈。, as a line of its own (none without a date)."""
    return [t._("Please answer by {when}.", when=t.slot(by, today))] if by is not None else []


def nudge_text(t: Tr, facts: list[MeasureFacts], today: date, by: datetime | None) -> str:
    """催办: the measures of this week's dispatch that have no answer yet."""
    return "\n".join(
        [
            t._("⏰ Reminder: these measures have no answer to this week's dispatch yet:"),
            "",
            *(line(t, f, today) for f in facts),
            "",
            *answer_by_line(t, by, today),
            t._("Press a measure to answer it, or reply to this message with an update."),
        ]
    )
