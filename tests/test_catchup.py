"""When beats are planned: catch-up only for periods people could expect, nudges never early."""

from __future__ import annotations

from datetime import datetime

from conftest import SH

from core.domain.catchup import Since, change_floor, nudge_after, plan_beat, upcoming
from core.domain.model import Beat
from core.domain.periods import Rhythm

R = Rhythm()
D, N, RV, RP = Beat.DISPATCH, Beat.NUDGE, Beat.REVIEW, Beat.REPORT


def sh(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=SH)


def test_a_nudge_waits_its_working_days_after_the_dispatch_went_out() -> None:
    assert nudge_after(R, sh(9, 23, 9)) == sh(9, 25, 9)  # Monday's dispatch: Wednesday
    # Friday afternoon: Sunday 29 September is a make-up working day, then Monday
    assert nudge_after(R, sh(9, 27, 16)) == sh(9, 30, 9)
    assert nudge_after(R, sh(9, 30, 9)) == sh(10, 9, 9)  # over the National Day holiday


def test_a_programme_started_on_friday_catches_up_nothing_from_before() -> None:
    since = Since(beats=sh(9, 27, 15), review=sh(9, 27, 15), report=sh(9, 27, 15))
    now = sh(9, 27, 16)
    planned = {b: plan_beat(b, R, now, {}, since) for b in (D, RV, RP)}
    assert {b: (p.slot.period, p.when) for b, p in planned.items()} == {
        D: ("2024-W40", sh(9, 30, 9)),
        RV: ("2024-10-09", sh(10, 9, 16)),
        RP: ("2024-09", sh(10, 8, 10)),  # never August's
    }
    # a programme running since September does catch up the week's dispatch missed while down
    old = Since(beats=sh(9, 1))
    assert plan_beat(D, R, now, {}, old).slot.period == "2024-W39"
    assert plan_beat(D, R, now, {}, old).when == now


def test_a_digest_waits_for_its_chat_and_a_schedule_change_sends_nothing() -> None:
    now = sh(10, 11, 10)
    no_chat = Since(beats=sh(9, 1))
    assert plan_beat(RV, R, now, {}, no_chat).when > now
    changed = Since(beats=sh(10, 11, 9, 59), review=sh(9, 1))
    assert plan_beat(RV, R, now, {}, changed).when > now
    assert plan_beat(RV, R, now, {}, Since(beats=sh(9, 1), review=sh(9, 1))).when == now


def test_a_late_dispatch_moves_its_nudge_and_a_too_late_one_has_none() -> None:
    since = Since(beats=sh(9, 1))
    late = {(D, "2024-W39"): sh(9, 24, 15)}  # Tuesday afternoon
    planned = plan_beat(N, R, sh(9, 24, 15), late, since)
    assert (planned.slot.period, planned.when) == ("2024-W39", sh(9, 26, 9))
    friday = {(D, "2024-W39"): sh(9, 27, 16)}
    assert plan_beat(N, R, sh(9, 27, 16), friday, since).slot.period == "2024-W41"
    # a nudge whose window has ended is not caught up
    on_time = {(D, "2024-W41"): sh(10, 8, 9)}
    assert plan_beat(N, R, sh(10, 14, 9, 30), on_time, since).slot.period == "2024-W42"


def test_a_beat_moved_to_a_time_past_today_stays_due() -> None:
    early = Rhythm(dispatch_time=R.dispatch_time.replace(hour=8))
    changed = Since(beats=change_floor(early, sh(12, 16, 8, 30)))
    assert changed.beats == sh(12, 16)  # the day the change was made
    now = sh(12, 16, 8, 30)
    assert plan_beat(D, early, now, {}, changed).when == now
    # a period planned on an earlier day is not sent by the change
    thursday = Since(beats=change_floor(R, sh(10, 10, 10)))
    assert plan_beat(RV, R, sh(10, 10, 10), {}, thursday).when > sh(10, 10, 10)


def test_the_listing_follows_the_dispatch_that_will_go() -> None:
    since = Since(beats=sh(12, 17))  # Tuesday: Monday's dispatch of W51 was never sent
    week = upcoming(R, sh(12, 17, 10), {(D, "2024-W50"): sh(12, 9, 9)}, since)
    assert week[D] == sh(12, 23, 9)
    assert week[N] == sh(12, 25, 9)  # not W51's Wednesday: its dispatch never went


def test_no_dispatch_catch_up_on_the_day_the_next_one_goes() -> None:
    since = Since(beats=sh(9, 1))
    # Monday 16 December 8:57: 9 December's dispatch was missed; this week's goes at 9:00
    planned = plan_beat(D, R, sh(12, 16, 8, 57), {}, since)
    assert (planned.slot.period, planned.when) == ("2024-W51", sh(12, 16, 9))
    # the Friday before, it was still worth sending
    assert plan_beat(D, R, sh(12, 13, 10), {}, since).when == sh(12, 13, 10)
