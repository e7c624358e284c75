"""report.glance: one pass over every measure, the same counts and order as the full functions."""

from __future__ import annotations

from datetime import date, timedelta

from core.domain import report
from core.domain.glance import LISTED
from core.domain.lights import by_urgency, light
from core.domain.model import Health, Light, MeasureFacts, Status
from core.i18n import tr
from core.render.digest import MAX_LISTED, summary_text

TODAY = date(2024, 9, 30)
STATUSES = [Status.NOT_STARTED, Status.IN_PROGRESS, Status.PENDING_SIGNOFF, Status.CLOSED]
HEALTHS = [None, Health.ON_TRACK, Health.AT_RISK, Health.BLOCKED]


def ledger(n: int) -> list[MeasureFacts]:
    """n measures with every mix of status, health, deadline, silence and 立行立改."""
    out = []
    for i in range(n):
        status = STATUSES[i % 4] if i % 13 else Status.LONG_TERM
        out.append(
            MeasureFacts(
                code=f"{i % 5 + 1}.{i}",
                text=f"措施{i}",
                area_number=i % 5 + 1,
                area=f"方面{i % 5 + 1}",
                problem="问题",
                leader="",
                lead_unit=f"单位{i % 7}",
                owner="",
                deadline=None
                if status is Status.LONG_TERM
                else TODAY + timedelta(days=i % 50 - 20),
                status=status,
                health=HEALTHS[i % 3 + (i % 11 == 0)],
                silent_dispatches=i % 4,
                immediate=i % 9 == 0,
                closed_on=TODAY if status is Status.CLOSED else None,
            )
        )
    return out


def test_glance_counts_and_lists_as_the_full_functions_do() -> None:
    measures = ledger(400)
    seen = report.glance(measures, TODAY)
    assert seen.counts == report.count(measures, TODAY)
    assert seen.areas == report.by_area(measures, TODAY)
    ranked = by_urgency(measures, TODAY)
    red = [m for m in ranked if light(m, TODAY) is Light.RED]
    yellow = [m for m in ranked if light(m, TODAY) is Light.YELLOW]
    assert (len(red), len(yellow)) == (seen.counts.red, seen.counts.yellow)
    assert seen.red == red[:LISTED] and seen.yellow == yellow[:LISTED]
    late = report.overdue(measures, TODAY)
    assert seen.overdue == [(o.measure, o.days) for o in late[:LISTED]]
    assert seen.counts.total == 400 and len(seen.red) == LISTED


def test_a_summary_lists_the_first_items_and_counts_the_rest() -> None:
    red = [
        MeasureFacts(
            code=f"1.{i}",
            text=f"措施{i}",
            area_number=1,
            area="方面一",
            problem="问题",
            leader="",
            lead_unit="建设局",
            owner="张三",
            deadline=TODAY - timedelta(days=i),
            status=Status.IN_PROGRESS,
        )
        for i in range(1, 21)
    ]
    s = report.summary(red, TODAY)
    assert (s.counts.red, len(s.red), len(s.overdue)) == (20, LISTED, LISTED)
    assert s.red[0].code == "1.1" and s.overdue[0].measure.code == "1.20"
    lines = summary_text(tr("en"), s, "P").split("\n")
    assert LISTED >= MAX_LISTED  # the text never lists more than the summary carries
    assert lines[-1] == "… and 10 more (/summary area N or /summary unit NAME narrows the list)."
    assert sum(1 for line in lines if line.startswith("🔴 1.")) == MAX_LISTED
