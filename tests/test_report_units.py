"""core/domain/report.py as pure functions: counts, groups, rates, review changes, month end."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from core.domain import report
from core.domain.model import Health, MeasureFacts, Status

TODAY = date(2024, 9, 30)


def fact(
    code: str,
    *,
    area: int = 1,
    unit: str = "城市管理局",
    deadline: date | None = date(2024, 12, 31),
    status: Status = Status.IN_PROGRESS,
    health: Health | None = None,
    closed_on: date | None = None,
    silent: int = 0,
) -> MeasureFacts:
    """One measure with only the fields the rules read set."""
    return MeasureFacts(
        code=code,
        text=f"措施{code}",
        area_number=area,
        area=f"方面{area}",
        problem="问题",
        leader="副主任",
        lead_unit=unit,
        owner=f"{unit}联络员",
        deadline=deadline,
        status=status,
        health=health,
        closed_on=closed_on,
        silent_dispatches=silent,
    )


LEDGER = [
    fact("1.1", deadline=date(2024, 9, 20)),  # red: 10 days overdue
    fact("1.2", health=Health.BLOCKED),  # red: blocked
    fact("1.3", deadline=date(2024, 10, 10)),  # yellow: due within 14 days
    fact("2.1", area=2, unit="建设局", silent=2),  # yellow: two silent dispatches
    fact("2.2", area=2, unit="建设局", deadline=date(2024, 10, 5), status=Status.PENDING_SIGNOFF),
    fact("2.3", area=2, unit="建设局", deadline=None, status=Status.LONG_TERM),  # green
    fact(
        "3.1",
        area=3,
        unit="财政局",
        deadline=date(2024, 9, 15),
        status=Status.CLOSED,
        closed_on=date(2024, 9, 10),
    ),
    fact(
        "3.2",
        area=3,
        unit="财政局",
        deadline=date(2024, 9, 1),
        status=Status.CLOSED,
        closed_on=date(2024, 9, 12),
    ),
]


def test_count_statuses_and_lights() -> None:
    counts = report.count(LEDGER, TODAY)
    assert counts == report.Counts(
        total=8, closed=2, overdue=1, pending=1, long_term=1, red=2, yellow=2, green=2
    )
    assert (counts.open, counts.on_schedule) == (6, 5)
    assert report.count([], TODAY) == report.Counts()


def test_groups_by_area_in_area_order() -> None:
    areas = report.by_area(list(reversed(LEDGER)), TODAY)
    assert [(g.number, g.key, g.counts.total, g.counts.red, g.counts.closed) for g in areas] == [
        (1, "方面1", 3, 2, 0),
        (2, "方面2", 3, 0, 0),
        (3, "方面3", 2, 0, 2),
    ]


def test_on_time_rate_counts_only_measures_due_by_today() -> None:
    # due by 30 Sep: 1.1 (open), 3.1 (closed in time), 3.2 (closed late)
    assert report.on_time_rate(LEDGER, TODAY) == 1 / 3
    assert report.on_time_rate([fact("9.9")], TODAY) is None


def test_units_in_ledger_order_with_answer_and_on_time_rates() -> None:
    units = report.by_unit(LEDGER, TODAY, {"城市管理局": (1, 4), "财政局": (0, 0)})
    assert [(g.key, g.counts.total, g.answer_rate, g.on_time_rate) for g in units] == [
        ("城市管理局", 3, 0.25, 0.0),
        ("建设局", 3, None, None),
        ("财政局", 2, None, 0.5),
    ]
    assert [g.key for g in report.most_red(units)] == ["城市管理局"]


def test_most_red_breaks_ties_by_overdue_then_ledger_order() -> None:
    ledger = [
        fact("1", unit="甲", health=Health.BLOCKED),
        fact("2", unit="乙", deadline=date(2024, 9, 1)),
        fact("3", unit="丙", health=Health.BLOCKED),
        fact("4", unit="丙", health=Health.BLOCKED),
    ]
    assert [g.key for g in report.most_red(report.by_unit(ledger, TODAY))] == ["丙", "乙", "甲"]


def test_overdue_longest_first() -> None:
    ledger = [*LEDGER, fact("0.9", deadline=date(2024, 9, 29)), fact("0.8", deadline=TODAY)]
    late = report.overdue(ledger, TODAY)
    assert [(o.measure.code, o.days) for o in late] == [("1.1", 10), ("0.9", 1)]


def test_summary_lists_red_then_yellow_by_code() -> None:
    s = report.summary(LEDGER, TODAY)
    assert [m.code for m in s.red] == ["1.1", "1.2"]
    assert [m.code for m in s.yellow] == ["1.3", "2.1"]
    assert [(o.measure.code, o.days) for o in s.overdue] == [("1.1", 10)]
    assert (s.as_of, s.counts.total, s.owner_view) == (TODAY, 8, False)


def test_first_review_reports_no_changes() -> None:
    r = report.review(LEDGER, TODAY, None, silent_owners=["乙", "甲", "乙"], unreachable=["丙"])
    assert r.first is True
    assert (r.newly_red, r.newly_closed, r.newly_blocked) == ([], [], [])
    assert [(o.measure.code, o.days) for o in r.red] == [("1.1", 10), ("1.2", 0)]
    assert [m.code for m in r.blocked] == ["1.2"]
    assert (r.silent_owners, r.unreachable) == (["乙", "甲"], ["丙"])
    assert [g.key for g in r.top_red_units] == ["城市管理局"]


def test_a_review_compared_with_the_previous_one() -> None:
    before = report.snapshot(LEDGER, date(2024, 9, 16))
    assert before["1.1"] == ("yellow", "in_progress", None)
    assert before["1.2"] == ("red", "in_progress", "blocked")  # blocked already
    assert before["3.1"] == (None, "closed", None)
    later = [
        *LEDGER[:3],
        replace(LEDGER[3], health=Health.BLOCKED),  # 2.1 becomes blocked, so red
        replace(LEDGER[4], status=Status.CLOSED, closed_on=date(2024, 9, 28)),  # 2.2 signed off
        *LEDGER[5:],
    ]
    r = report.review(later, TODAY, before)
    assert r.first is False
    assert [m.code for m in r.newly_red] == ["1.1", "2.1"]
    assert [m.code for m in r.newly_closed] == ["2.2"]
    assert [m.code for m in r.newly_blocked] == ["2.1"]
    # unchanged since the last review: nothing new
    again = report.review(later, TODAY, report.snapshot(later, TODAY))
    assert (again.newly_red, again.newly_closed, again.newly_blocked) == ([], [], [])


def test_monthly_report_stands_at_month_end() -> None:
    ledger = [
        *LEDGER,
        fact("4.1", deadline=date(2024, 10, 31), status=Status.IN_PROGRESS),
    ]
    # the measures as September's events left them (storage.reports.month_facts replays them)
    m = report.monthly(ledger, 2024, 9)
    assert (m.year, m.month, m.as_of) == (2024, 9, date(2024, 9, 30))
    assert (m.counts.total, m.counts.closed) == (9, 2)
    assert [x.code for x in m.closed_this_month] == ["3.1", "3.2"]
    assert [(o.measure.code, o.days) for o in m.overdue] == [("1.1", 10)]
    assert report.month_end(2024, 2) == date(2024, 2, 29)
    assert report.month_end(2023, 2) == date(2023, 2, 28)


def test_the_review_names_who_is_away_with_days_people_read() -> None:
    from core.i18n import tr
    from core.render.digest import review_text

    r = report.review(LEDGER, TODAY, None, away=[("张三", date(2024, 9, 27), date(2024, 10, 10))])
    assert "外出：张三（9月27日至10月10日）" in review_text(tr("zh_CN"), r, "P").split("\n")
    assert "Away: 张三 (27 September to 10 October)" in review_text(tr("en"), r, "P").split("\n")
