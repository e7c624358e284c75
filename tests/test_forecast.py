"""Forecast lights: the fit, its awkward cases, and the yellow it gives (issue 29)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.domain.forecast import project, series
from core.domain.lights import light, projected_late
from core.domain.model import Light, MeasureFacts, Status
from core.domain.workcal import CalendarKind, workdays_between
from core.i18n import tr
from core.render.measures import forecast_note, line

CN, PLAIN = CalendarKind.CN, CalendarKind.PLAIN
MON = date(2024, 9, 2)


def test_a_straight_pace_lands_on_the_working_day_it_reaches_100() -> None:
    # 20% on 2 Sep, 30% on 9 Sep, 40% on 23 Sep (the 中秋 holiday is 15-17 Sep, Saturday
    # 14 Sep a make-up working day): x = 0, 5, 14 working days
    points = [(MON, 20), (date(2024, 9, 9), 30), (date(2024, 9, 23), 40)]
    assert [workdays_between(MON, d, CN) for d, _ in points] == [0, 5, 14]
    finish = project(points, CN)
    assert finish == date(2024, 11, 26)
    # the fit by hand: slope 1.39 a working day from 21.2%, 100% after 56.7 working days
    xs, ys = [0, 5, 14], [20, 30, 40]
    mx, my = sum(xs) / 3, sum(ys) / 3
    slope = sum((x - mx) * (y - my) for x, y in zip(xs, ys, strict=True)) / sum(
        (x - mx) ** 2 for x in xs
    )
    days = -(-((100 - (my - slope * mx)) / slope) // 1)
    assert int(days) == 57
    assert workdays_between(MON, finish, CN) == 57


def test_the_national_day_holiday_counts_no_pace() -> None:
    # 10% a working day across 国庆: 27 Sep 40%, 29 Sep (make-up Sunday) 50%, 30 Sep 60%
    points = [(date(2024, 9, 27), 40), (date(2024, 9, 29), 50), (date(2024, 9, 30), 60)]
    # 70% on 8 Oct, 80% on 9 Oct, 90% on 10 Oct, 100% on 11 Oct: the holiday week is no work
    assert project(points, CN) == date(2024, 10, 11)
    # a plain week counts 1-4 October: Mon 30 Sep is 2 working days after Fri 27 Sep there
    assert project(points, PLAIN) is not None


def test_never_from_fewer_than_three_days() -> None:
    assert project([], CN) is None
    assert project([(MON, 10), (date(2024, 9, 9), 50)], CN) is None
    # three answers but two on one day: the last of the day stands for it
    same_day = [(MON, 10), (MON, 20), (date(2024, 9, 9), 50)]
    assert series(same_day) == [(MON, 20), (date(2024, 9, 9), 50)]
    assert project(same_day, CN) is None


def test_flat_falling_done_and_rebound() -> None:
    flat = [(MON, 40), (date(2024, 9, 9), 40), (date(2024, 9, 10), 40)]
    assert project(flat, CN) is None
    falling = [(MON, 60), (date(2024, 9, 9), 50), (date(2024, 9, 10), 40)]
    assert project(falling, CN) is None
    done = [(MON, 60), (date(2024, 9, 9), 80), (date(2024, 9, 10), 100)]
    assert project(done, CN) is None
    # closed at 100%, then a rebound: the owner starts again at 20%; the old run counts no more
    rebound = [*done, (date(2024, 9, 18), 20), (date(2024, 9, 19), 30)]
    assert series(rebound) == [(date(2024, 9, 18), 20), (date(2024, 9, 19), 30)]
    assert project(rebound, CN) is None
    again = [*rebound, (date(2024, 9, 20), 40)]
    # 10 a working day: 100% six working days after 20 Sep, the sixth the make-up Sunday 29 Sep
    assert project(again, CN) == date(2024, 9, 29)


def test_a_line_already_past_100_says_the_next_working_day() -> None:
    # 0, 90, 95: the line reaches 100% before the last answer, which was still short of it
    points = [(MON, 0), (date(2024, 9, 3), 90), (date(2024, 9, 4), 95)]
    assert project(points, CN) == date(2024, 9, 5)


def test_a_crawl_beyond_the_horizon_projects_nothing() -> None:
    points = [(MON, 1), (date(2024, 9, 3), 1), (date(2024, 12, 31), 2)]
    assert project(points, CN) is None


def _m(deadline: date, forecast: date | None, status: Status = Status.IN_PROGRESS) -> MeasureFacts:
    return MeasureFacts(
        code="1.1", text="建成虎峰山乡镇水厂", area_number=1, area="方面", problem="问题",
        leader="王强", lead_unit="水务局", owner="周强", deadline=deadline, status=status,
        forecast=forecast,
    )  # fmt: skip


def test_a_late_projection_is_yellow_weeks_before_the_deadline() -> None:
    today = date(2024, 10, 14)
    late = _m(date(2024, 12, 31), date(2025, 1, 20))
    assert projected_late(late) == date(2025, 1, 20)
    assert light(late, today) is Light.YELLOW
    assert light(replace(late, forecast=date(2024, 12, 31)), today) is Light.GREEN  # in time
    assert light(replace(late, forecast=None), today) is Light.GREEN
    # done on the owner's side, or closed: no projection speaks
    assert light(replace(late, status=Status.PENDING_SIGNOFF), today) is Light.GREEN
    assert light(replace(late, status=Status.CLOSED), today) is None
    assert projected_late(replace(late, status=Status.CLOSED)) is None
    # overdue is red, whatever the projection
    assert light(late, date(2025, 1, 2)) is Light.RED


def test_the_line_says_it_is_a_projection() -> None:
    today = date(2024, 10, 14)
    m = _m(date(2024, 12, 10), date(2024, 12, 20))
    zh, en = tr("zh_CN"), tr("en")
    assert forecast_note(zh, m, today) == "预计逾期（按目前进度约12月20日完成）"
    assert forecast_note(en, m, today) == (
        "projected to be late (at the current pace, done around 20 December)"
    )
    assert line(zh, m, today).endswith(" · 推进中 · 预计逾期（按目前进度约12月20日完成）")
    assert forecast_note(zh, replace(m, forecast=date(2024, 12, 9)), today) is None


def test_the_counting_tables_agree_with_walking_the_days() -> None:
    from datetime import timedelta

    from core.domain.workcal import add_workdays, is_workday, workdays_after

    for kind in CalendarKind:
        for start in (date(2024, 9, 13), date(2024, 9, 30), date(2024, 10, 5), date(2024, 12, 30)):
            for n in range(0, 400, 7):
                assert workdays_after(start, n, kind) == add_workdays(start, n, kind)
                end = start + timedelta(days=n)
                walked = sum(is_workday(start + timedelta(days=k), kind) for k in range(1, n + 1))
                assert workdays_between(start, end, kind) == walked
                assert workdays_between(end, start, kind) == -walked
