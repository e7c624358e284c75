"""临期提醒: which measures are due a deadline reminder on a day (issue 29)."""

from __future__ import annotations

from datetime import date

from core.domain.model import Status
from core.domain.reminders import Dated, due_reminders, remind_on
from core.domain.workcal import CalendarKind

CN, PLAIN = CalendarKind.CN, CalendarKind.PLAIN
OCT8 = date(2024, 10, 8)  # the first working day after 国庆


def test_three_working_days_before_across_national_day() -> None:
    # 8 Oct ← 30 Sep ← Sun 29 Sep (调休) ← 27 Sep: the holiday week counts no working days
    assert remind_on(OCT8, 3, CN) == date(2024, 9, 27)
    assert remind_on(OCT8, 1, CN) == date(2024, 9, 30)
    assert remind_on(OCT8, 0, CN) == OCT8
    # a plain week: 8 Oct ← 7 ← 4 ← 3 Oct
    assert remind_on(OCT8, 3, PLAIN) == date(2024, 10, 3)
    # a deadline on a holiday: counted back from it all the same
    assert remind_on(date(2024, 10, 1), 3, CN) == date(2024, 9, 27)


def test_due_from_the_day_until_the_deadline_once_per_deadline() -> None:
    m = Dated(1, Status.IN_PROGRESS, OCT8)
    assert due_reminders([m], date(2024, 9, 26), 3, CN, set()) == []
    assert due_reminders([m], date(2024, 9, 27), 3, CN, set()) == [(1, OCT8)]
    # missed while the bot was down: still due, up to the deadline day itself
    assert due_reminders([m], OCT8, 3, CN, set()) == [(1, OCT8)]
    assert due_reminders([m], date(2024, 10, 9), 3, CN, set()) == []
    # not on a holiday: an extension approved on 30 September reminds on 8 October
    assert due_reminders([m], date(2024, 10, 1), 3, CN, set()) == []
    # once per deadline
    assert due_reminders([m], date(2024, 9, 30), 3, CN, {(1, OCT8)}) == []
    # an extension moves the deadline: reminded again when the new one comes near
    moved = Dated(1, Status.IN_PROGRESS, date(2024, 10, 31))
    assert due_reminders([moved], date(2024, 10, 25), 3, CN, {(1, OCT8)}) == []
    assert due_reminders([moved], date(2024, 10, 28), 3, CN, {(1, OCT8)}) == [
        (1, date(2024, 10, 31))
    ]


def test_only_open_measures_with_a_deadline() -> None:
    today = date(2024, 9, 27)
    measures = [
        Dated(1, Status.CLOSED, OCT8),
        Dated(2, Status.PENDING_SIGNOFF, OCT8),
        Dated(3, Status.LONG_TERM, None),
        Dated(4, Status.NOT_STARTED, OCT8),
        Dated(5, Status.REOPENED, OCT8),
        # 立行立改 imported 1 Oct: due 7 Oct with its week of grace, reminded from 27 Sep
        Dated(6, Status.IN_PROGRESS, date(2024, 10, 1), immediate=True),
    ]
    assert due_reminders(measures, today, 3, CN, set()) == [
        (4, OCT8),
        (5, OCT8),
        (6, date(2024, 10, 7)),
    ]
