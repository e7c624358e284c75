"""The rules of closing the loop: look-back dates, follow-up reply dates, where a follow-up stands."""

from __future__ import annotations

from datetime import date, datetime, time

from conftest import SH

from core.domain.closing import (
    Answered,
    answer_by,
    follow_up_state,
    lookback_day,
    lookback_moment,
    reply_by,
    tally,
)
from core.domain.workcal import CalendarKind

CN, PLAIN = CalendarKind.CN, CalendarKind.PLAIN


def test_lookback_date_moves_to_a_working_day() -> None:
    assert lookback_day(date(2024, 9, 30), 90, CN) == date(2024, 12, 30)  # 29 December: a Sunday
    # 90 days after 3 July is National Day: the next working day is 8 October
    assert lookback_day(date(2024, 7, 3), 90, CN) == date(2024, 10, 8)
    assert lookback_day(date(2024, 7, 3), 90, PLAIN) == date(2024, 10, 1)
    moment = lookback_moment(date(2024, 7, 3), 90, CN, time(9, 0), "Asia/Shanghai")
    assert moment == datetime(2024, 10, 8, 9, 0, tzinfo=SH)
    assert answer_by(date(2024, 10, 30), CN) == date(2024, 11, 6)


def test_follow_up_reply_by_the_next_working_day() -> None:
    assert reply_by(date(2024, 11, 5), CN) == date(2024, 11, 6)
    assert reply_by(date(2024, 9, 30), CN) == date(2024, 10, 8)  # over the National Day week
    assert reply_by(date(2024, 9, 28), CN) == date(2024, 9, 29)  # a make-up working Sunday (调休)
    reply = date(2024, 11, 6)
    assert follow_up_state(reply, date(2024, 11, 6), date(2024, 11, 20)) is Answered.IN_TIME
    assert follow_up_state(reply, date(2024, 11, 7), date(2024, 11, 20)) is Answered.LATE
    assert follow_up_state(reply, None, date(2024, 11, 6)) is Answered.WAITING
    assert follow_up_state(reply, None, date(2024, 11, 7)) is Answered.MISSED


def test_month_tally() -> None:
    counted = tally([("1.3.2", "rebound"), ("1.3.3", "holds"), ("2.1.1", "holds")])
    assert (counted.done, counted.holding, list(counted.rebounded)) == (3, 2, ["1.3.2"])


def test_english_words() -> None:
    from core.domain.closing import FollowUpLine
    from core.i18n import tr
    from core.render.closing import follow_up_message, lookback_question, report_lines, review_lines

    t, today = tr("en"), date(2024, 11, 20)
    assert follow_up_message(
        t, by="Deputy Director", leader=True, code="1.3.2", text="Build the waterworks",
        reply_by=date(2024, 11, 6), today=today,
    ) == (
        "[Follow-up] Responsible leader Deputy Director follows up on 1.3.2 Build the waterworks\n"
        "Please report its progress by 6 November with the buttons below."
    )  # fmt: skip
    assert lookback_question(
        t, code="1.3.3", text="Extend the mains", closed_on=date(2024, 9, 30),
        by=date(2024, 11, 6), today=today,
    ) == (
        "🔁 Look-back of 1.3.3 Extend the mains\n"
        "It was signed off on 30 September. Does the result hold? Please answer by 6 November."
    )  # fmt: skip
    line = FollowUpLine(
        "1.3.2", "Deputy", date(2024, 11, 5), date(2024, 11, 6), None, Answered.MISSED
    )
    assert review_lines(t, [line], [("1.3.3", date(2024, 10, 30))], today) == [
        "",
        "Follow-ups since the last review:",
        "1.3.2: Deputy, 5 November; not answered (due by 6 November)",
        "",
        "Look-backs unanswered after 5 working days:",
        "1.3.3 (look-back date 30 October)",
    ]
    assert report_lines(t, tally([("1.3.3", "holds")])) == [
        "",
        "Look-backs this month: 1 done, 1 holding, 0 rebounded.",
        "The result holds: 1.3.3.",
    ]
