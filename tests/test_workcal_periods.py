"""Working-day calendars and the rhythm's schedule: shifting, merging, windows, time zones."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from core.domain.model import Beat
from core.domain.periods import (
    MergedPeriod,
    Rhythm,
    Slot,
    due_slots,
    next_slot,
    period_of,
    previous_periods,
    slot_for,
    slots_between,
)
from core.domain.workcal import (
    CalendarKind,
    add_workdays,
    first_workday_of_month,
    is_workday,
    next_workday,
)

SH = ZoneInfo("Asia/Shanghai")
BERLIN = ZoneInfo("Europe/Berlin")
CN, PLAIN = CalendarKind.CN, CalendarKind.PLAIN
D, N, RV, RP = Beat.DISPATCH, Beat.NUDGE, Beat.REVIEW, Beat.REPORT
DEFAULT = Rhythm()
SEPT = Rhythm(review_anchor=date(2024, 9, 4))


def sh(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=SH)


def brief(slots: list[Slot]) -> list[tuple[str, str, str]]:
    return [(s.beat.value, s.period, s.planned.strftime("%m-%d %H:%M")) for s in slots]


# --- workcal ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "cn", "plain"),
    [
        ("2024-09-13", True, True),  # Friday
        ("2024-09-14", True, False),  # Saturday, 调休 for Mid-Autumn
        ("2024-09-16", False, True),  # Monday, Mid-Autumn
        ("2024-09-29", True, False),  # Sunday, 调休 for National Day
        ("2024-10-07", False, True),  # Monday, National Day
        ("2024-10-12", True, False),  # Saturday, 调休
        ("2024-02-04", True, False),  # Sunday, 调休 for Spring Festival
        ("2024-02-10", False, False),
        ("2024-02-14", False, True),  # Wednesday in Spring Festival
        ("2024-02-18", True, False),  # Sunday, 调休
        ("2025-01-01", False, True),
    ],
)
def test_is_workday(day: str, cn: bool, plain: bool) -> None:
    d = date.fromisoformat(day)
    assert is_workday(d, CN) is cn
    assert is_workday(d, PLAIN) is plain


def test_cn_outside_library_years_is_monday_to_friday() -> None:
    assert is_workday(date(2027, 1, 1), CN)  # a Friday; real holiday unknown to the library
    assert not is_workday(date(2027, 1, 2), CN)
    assert is_workday(date(2003, 1, 6), CN)
    assert next_workday(date(2027, 1, 2), CN) == date(2027, 1, 4)


def test_next_workday() -> None:
    assert next_workday(date(2024, 9, 16), CN) == date(2024, 9, 18)
    assert next_workday(date(2024, 10, 1), CN) == date(2024, 10, 8)
    assert next_workday(date(2024, 9, 13), CN) == date(2024, 9, 13)
    assert next_workday(date(2024, 9, 13), CN, inclusive=False) == date(2024, 9, 14)
    assert next_workday(date(2024, 9, 13), PLAIN, inclusive=False) == date(2024, 9, 16)
    assert next_workday(date(2024, 2, 10), CN) == date(2024, 2, 18)


def test_add_workdays() -> None:
    assert add_workdays(date(2024, 9, 13), 0, CN) == date(2024, 9, 13)
    assert add_workdays(date(2024, 9, 13), 1, CN) == date(2024, 9, 14)
    assert add_workdays(date(2024, 9, 13), 2, CN) == date(2024, 9, 18)
    assert add_workdays(date(2024, 9, 13), 2, PLAIN) == date(2024, 9, 17)
    assert add_workdays(date(2024, 9, 30), 2, CN) == date(2024, 10, 9)
    with pytest.raises(ValueError):
        add_workdays(date(2024, 9, 13), -1, CN)


def test_first_workday_of_month() -> None:
    assert first_workday_of_month(2024, 10, CN) == date(2024, 10, 8)
    assert first_workday_of_month(2024, 10, PLAIN) == date(2024, 10, 1)
    assert first_workday_of_month(2024, 9, CN) == date(2024, 9, 2)
    assert first_workday_of_month(2025, 1, CN) == date(2025, 1, 2)


# --- slots: shifting -------------------------------------------------------------------


def test_dispatch_shifts_over_holidays() -> None:
    assert slot_for(D, "2024-W38", DEFAULT).planned == sh(2024, 9, 18, 9)
    assert slot_for(D, "2024-W41", DEFAULT).planned == sh(2024, 10, 8, 9)
    assert slot_for(D, "2024-W38", Rhythm(calendar=PLAIN)).planned == sh(2024, 9, 16, 9)


def test_report_is_planned_on_first_working_day_of_next_month() -> None:
    slot = slot_for(RP, "2024-09", DEFAULT)
    assert slot.planned == sh(2024, 10, 8, 10)
    assert slot.ends == sh(2024, 11, 1, 10)
    assert slot_for(RP, "2024-12", DEFAULT).planned == sh(2025, 1, 2, 10)
    # report_day counts working days, 调休 Saturday included
    assert slot_for(RP, "2024-09", Rhythm(report_day=5)).planned == sh(2024, 10, 12, 10)


def test_planned_is_aware_in_programme_zone() -> None:
    slot = slot_for(D, "2024-W38", DEFAULT)
    assert slot.planned.tzinfo == SH and slot.ends.tzinfo == SH


def test_slots_september_october_2024() -> None:
    assert brief(slots_between(SEPT, date(2024, 9, 1), date(2024, 10, 31))) == [
        ("dispatch", "2024-W36", "09-02 09:00"),
        ("report", "2024-08", "09-02 10:00"),
        ("nudge", "2024-W36", "09-04 09:00"),
        ("review", "2024-09-04", "09-04 16:00"),
        ("dispatch", "2024-W37", "09-09 09:00"),
        ("nudge", "2024-W37", "09-11 09:00"),
        ("spotcheck", "2024-09", "09-13 10:00"),  # the 10th working day
        ("dispatch", "2024-W38", "09-18 09:00"),  # Mid-Autumn Monday
        ("review", "2024-09-18", "09-18 16:00"),
        ("nudge", "2024-W38", "09-20 09:00"),
        ("dispatch", "2024-W39", "09-23 09:00"),
        ("nudge", "2024-W39", "09-25 09:00"),
        ("dispatch", "2024-W40", "09-30 09:00"),
        # no nudge for W40: two working days after 09-30 is 10-09, after the W41 dispatch
        ("dispatch", "2024-W41", "10-08 09:00"),  # National Day Monday
        ("report", "2024-09", "10-08 10:00"),
        ("review", "2024-10-02", "10-08 16:00"),  # National Day Wednesday
        ("nudge", "2024-W41", "10-10 09:00"),
        ("dispatch", "2024-W42", "10-14 09:00"),
        ("nudge", "2024-W42", "10-16 09:00"),
        ("review", "2024-10-16", "10-16 16:00"),
        ("spotcheck", "2024-10", "10-18 10:00"),  # 10th working day, 12 October (调休) counted
        ("dispatch", "2024-W43", "10-21 09:00"),
        ("nudge", "2024-W43", "10-23 09:00"),
        ("dispatch", "2024-W44", "10-28 09:00"),
        ("nudge", "2024-W44", "10-30 09:00"),
        ("review", "2024-10-30", "10-30 16:00"),
    ]


def test_slots_between_filters_beats() -> None:
    reports = slots_between(SEPT, date(2024, 9, 1), date(2024, 12, 31), [RP])
    assert [s.period for s in reports] == ["2024-08", "2024-09", "2024-10", "2024-11"]


def test_nudge_dropped_when_it_would_reach_next_dispatch() -> None:
    with pytest.raises(MergedPeriod):
        slot_for(N, "2024-W40", DEFAULT)
    nudge = slot_for(N, "2024-W38", DEFAULT)
    assert (nudge.planned, nudge.ends) == (sh(2024, 9, 20, 9), sh(2024, 9, 23, 9))


def test_spring_festival_2024() -> None:
    got = brief(slots_between(DEFAULT, date(2024, 2, 1), date(2024, 2, 29), [D, RV, RP]))
    assert got == [
        ("report", "2024-01", "02-01 10:00"),
        ("dispatch", "2024-W06", "02-05 09:00"),
        # W07's Monday falls in the holiday; the first working day is the 调休 Sunday
        ("dispatch", "2024-W07", "02-18 09:00"),
        ("review", "2024-02-14", "02-18 16:00"),
        ("dispatch", "2024-W08", "02-19 09:00"),
        ("dispatch", "2024-W09", "02-26 09:00"),
        ("review", "2024-02-28", "02-28 16:00"),
    ]
    with pytest.raises(MergedPeriod):  # 02-20 is after the W08 dispatch
        slot_for(N, "2024-W07", DEFAULT)


def test_saturday_dispatch_merges_over_spring_festival() -> None:
    saturday = Rhythm(dispatch_weekday=5)
    got = brief(slots_between(saturday, date(2024, 2, 1), date(2024, 2, 29), [D]))
    # W06 (02-10) and W07 (02-17) both shift to Sunday 02-18: W06 is merged into W07
    assert got == [
        ("dispatch", "2024-W05", "02-04 09:00"),
        ("dispatch", "2024-W07", "02-18 09:00"),
        ("dispatch", "2024-W08", "02-26 09:00"),
    ]
    with pytest.raises(MergedPeriod):
        slot_for(D, "2024-W06", saturday)
    with pytest.raises(MergedPeriod):
        slot_for(N, "2024-W06", saturday)
    assert slot_for(D, "2024-W05", saturday).ends == sh(2024, 2, 18, 9)
    assert period_of(D, sh(2024, 2, 12, 12), saturday) == "2024-W05"
    assert previous_periods(D, "2024-W08", 2, saturday) == ["2024-W05", "2024-W07"]
    assert next_slot(D, saturday, sh(2024, 2, 5)).period == "2024-W07"


def test_year_boundary() -> None:
    got = brief(slots_between(DEFAULT, date(2024, 12, 23), date(2025, 1, 10), [D, RP]))
    assert got == [
        ("dispatch", "2024-W52", "12-23 09:00"),
        ("dispatch", "2025-W01", "12-30 09:00"),
        ("report", "2024-12", "01-02 10:00"),
        ("dispatch", "2025-W02", "01-06 09:00"),
    ]
    assert period_of(D, sh(2024, 12, 31, 12), DEFAULT) == "2025-W01"
    assert previous_periods(D, "2025-W02", 2, DEFAULT) == ["2024-W52", "2025-W01"]
    assert slot_for(D, "2026-W53", DEFAULT).planned == sh(2026, 12, 28, 9)
    assert slot_for(D, "2027-W01", DEFAULT).planned == sh(2027, 1, 4, 9)  # Mon–Fri fallback


# --- reviews -------------------------------------------------------------------------


def test_review_anchor_cycle() -> None:
    assert period_of(RV, sh(2024, 9, 18, 16), DEFAULT) == "2024-09-11"  # 2024-01-03 + 18 x 14
    assert period_of(RV, sh(2024, 9, 18, 16), SEPT) == "2024-09-18"
    # an anchor on another weekday counts from the review weekday of the anchor's week
    friday_anchor = Rhythm(review_anchor=date(2024, 9, 6))
    assert slot_for(RV, "2024-09-18", friday_anchor).planned == sh(2024, 9, 18, 16)
    sunday_anchor = Rhythm(review_anchor=date(2024, 9, 8))
    assert slot_for(RV, "2024-09-18", sunday_anchor).planned == sh(2024, 9, 18, 16)
    with pytest.raises(ValueError):
        slot_for(RV, "2024-09-11", friday_anchor)


def test_previous_periods() -> None:
    assert previous_periods(D, "2024-W38", 2, DEFAULT) == ["2024-W36", "2024-W37"]
    assert previous_periods(RV, "2024-10-02", 2, SEPT) == ["2024-09-04", "2024-09-18"]
    assert previous_periods(RP, "2024-01", 1, DEFAULT) == ["2023-12"]
    assert previous_periods(N, "2024-W41", 1, DEFAULT) == ["2024-W39"]  # W40 had no nudge
    assert previous_periods(D, "2024-W38", 0, DEFAULT) == []


@pytest.mark.parametrize(
    ("beat", "key"),
    [(D, "2024-38"), (D, "2024-W54"), (RV, "2024/09/18"), (RP, "2024-13"), (RP, "2024-9")],
)
def test_malformed_keys(beat: Beat, key: str) -> None:
    with pytest.raises(ValueError):
        slot_for(beat, key, SEPT)


# --- period_of, next_slot, due_slots -------------------------------------------------


def test_period_of_follows_windows() -> None:
    assert period_of(D, sh(2024, 9, 18, 8, 59), DEFAULT) == "2024-W37"
    assert period_of(D, sh(2024, 9, 18, 9), DEFAULT) == "2024-W38"
    assert period_of(D, sh(2024, 9, 16, 12), DEFAULT) == "2024-W37"
    assert period_of(RP, sh(2024, 10, 7, 12), DEFAULT) == "2024-08"
    assert period_of(RP, sh(2024, 10, 8, 10), DEFAULT) == "2024-09"
    # a nudge's window closes at the next dispatch: before this week's nudge, the latest is last week's
    assert period_of(N, sh(2024, 9, 24, 9), DEFAULT) == "2024-W38"
    assert period_of(N, sh(2024, 9, 25, 9), DEFAULT) == "2024-W39"


def test_next_slot() -> None:
    assert next_slot(D, DEFAULT, sh(2024, 9, 13, 12)) == slot_for(D, "2024-W38", DEFAULT)
    assert next_slot(D, DEFAULT, sh(2024, 9, 18, 9)).period == "2024-W39"
    assert next_slot(RP, DEFAULT, sh(2024, 9, 30)).planned == sh(2024, 10, 8, 10)
    assert next_slot(N, DEFAULT, sh(2024, 9, 26)).period == "2024-W41"  # skips W40


def test_due_slots_catches_up_missed_beat_within_window() -> None:
    now = sh(2024, 9, 19, 14)  # down since before the Wednesday 09:00 dispatch
    sent = {(RV, "2024-09-04"), (RP, "2024-08"), (N, "2024-W37"), (Beat.SPOTCHECK, "2024-09")}
    assert brief(due_slots(SEPT, now, sent)) == [
        ("dispatch", "2024-W38", "09-18 09:00"),
        ("review", "2024-09-18", "09-18 16:00"),
    ]
    sent |= {(D, "2024-W38"), (RV, "2024-09-18")}
    assert due_slots(SEPT, now, sent) == []


def test_due_slots_drops_missed_beat_once_window_ended() -> None:
    sent = {(RV, "2024-09-18"), (RP, "2024-08"), (Beat.SPOTCHECK, "2024-09")}
    now = sh(2024, 9, 23, 9)  # W38 dispatch and nudge never sent; W39 is now the current one
    assert brief(due_slots(SEPT, now, sent)) == [("dispatch", "2024-W39", "09-23 09:00")]
    just_before = now - timedelta(minutes=1)
    assert [s.period for s in due_slots(SEPT, just_before, sent)] == ["2024-W38", "2024-W38"]


def test_due_slots_accepts_plain_string_pairs() -> None:
    now = sh(2024, 9, 2, 9, 30)
    sent = {
        ("report", "2024-07"),
        ("dispatch", "2024-W36"),
        ("review", "2024-08-21"),
        ("spotcheck", "2024-08"),
    }
    assert due_slots(SEPT, now, sent) == []  # type: ignore[arg-type]


def test_naive_datetimes_are_rejected() -> None:
    naive = datetime(2024, 9, 18, 9)
    with pytest.raises(ValueError):
        period_of(D, naive, DEFAULT)
    with pytest.raises(ValueError):
        due_slots(DEFAULT, naive, set())
    with pytest.raises(ValueError):
        next_slot(D, DEFAULT, naive)


def test_rhythm_validation() -> None:
    with pytest.raises(ValueError):
        Rhythm(dispatch_weekday=7)
    with pytest.raises(ValueError):
        Rhythm(report_day=0)
    with pytest.raises(ValueError):
        Rhythm(nudge_workdays=5)
    with pytest.raises(ValueError):
        Rhythm(tz="Mars/Olympus")


# --- time zones ----------------------------------------------------------------------


def test_programme_in_berlin() -> None:
    berlin = Rhythm(tz="Europe/Berlin", calendar=PLAIN, review_anchor=date(2024, 9, 4))
    slot = slot_for(D, "2024-W38", berlin)
    assert slot.planned == datetime(2024, 9, 16, 9, tzinfo=BERLIN)
    assert slot.planned.astimezone(UTC) == datetime(2024, 9, 16, 7, tzinfo=UTC)  # CEST
    winter = slot_for(D, "2024-W44", berlin).planned
    assert winter.astimezone(UTC) == datetime(2024, 10, 28, 8, tzinfo=UTC)  # CET
    # Monday 01:30 in Berlin is still Sunday in UTC: the next dispatch is that Monday's
    sunday_utc = datetime(2024, 9, 15, 23, 30, tzinfo=UTC)
    assert next_slot(D, berlin, sunday_utc).planned == slot.planned
    assert period_of(D, sunday_utc, berlin) == "2024-W37"
    # the same instant, whichever zone it is written in
    in_shanghai = datetime(2024, 9, 16, 15, 0, tzinfo=SH)  # 07:00 UTC, 09:00 Berlin
    assert period_of(D, in_shanghai, berlin) == "2024-W38"
    assert period_of(D, in_shanghai - timedelta(seconds=1), berlin) == "2024-W37"
    sent = {(RV, "2024-09-04"), (RP, "2024-08"), (N, "2024-W37"), (Beat.SPOTCHECK, "2024-09")}
    assert [s.beat for s in due_slots(berlin, in_shanghai, sent)] == [D]
    # the September report: first working day of October, 10:00 Berlin
    october_utc = datetime(2024, 9, 30, 23, 30, tzinfo=UTC)  # 01:30 on 1 October in Berlin
    assert period_of(RP, october_utc, berlin) == "2024-08"
    assert next_slot(RP, berlin, october_utc).planned == datetime(2024, 10, 1, 10, tzinfo=BERLIN)


def test_custom_times() -> None:
    r = Rhythm(dispatch_weekday=4, dispatch_time=time(17, 30), nudge_workdays=1)
    dispatch = slot_for(D, "2024-W37", r)
    assert dispatch.planned == sh(2024, 9, 13, 17, 30)
    assert slot_for(N, "2024-W37", r).planned == sh(2024, 9, 14, 17, 30)  # 调休 Saturday


def test_report_period_never_before_the_programme() -> None:
    """Issue 22: /report covers the current month's report unless that month preceded the
    programme; then the latest complete month since it, or none yet."""
    from core.domain.periods import first_report, report_period

    created = sh(2024, 9, 5, 15)
    assert report_period(sh(2024, 9, 30, 10), created, DEFAULT) is None
    assert report_period(sh(2024, 10, 6, 9), created, DEFAULT) == "2024-09"
    assert report_period(sh(2024, 11, 1, 9), created, DEFAULT) == "2024-09"  # before 11月1日10:00
    assert report_period(sh(2024, 11, 1, 10), created, DEFAULT) == "2024-10"
    # an older programme: the rhythm's period as before
    assert report_period(sh(2024, 9, 30, 10), sh(2024, 1, 1, 9), DEFAULT) == "2024-08"
    first = first_report(created, DEFAULT)
    assert (first.period, first.planned) == ("2024-09", sh(2024, 10, 8, 10))
    # created at 0:30 on 1 October in Shanghai (30 September in UTC): October is its first month
    assert first_report(sh(2024, 10, 1, 0, 30), DEFAULT).period == "2024-10"
