"""Oracle properties of the monthly report: it says what the month's events say, whenever asked (b, c)."""

from __future__ import annotations

import pytest
from hypothesis import given, settings

from oracle import checks
from oracle.applier import Player
from oracle.events import History
from oracle.harness import ORACLE, oracle_db
from oracle.model import month, month_end
from oracle.strategy import histories
from storage.db import Database

__all__ = ["oracle_db"]


async def report_stays(oracle_db: Database, history: History) -> None:
    """Property c: each month's report, run at its end and at the end of the history."""
    player = Player(oracle_db)
    await player.create(history)
    then = {}
    for y, m in checks.months(history):
        await player.play(history, until=month_end(y, m))
        then[(y, m)] = checks.numbers(await checks.monthly(oracle_db, player.programme_id, y, m))
    await player.play(history)
    for (y, m), said in then.items():
        again = checks.numbers(await checks.monthly(oracle_db, player.programme_id, y, m))
        assert again == said, f"{y}-{m:02d}'s report run at the end of the history"


async def report_counts(oracle_db: Database, history: History) -> None:
    """Property b: each past month's report, run at the end of the history, against the model."""
    player = Player(oracle_db)
    await player.create(history)
    await player.play(history)
    for y, m in checks.months(history):
        want = month(history, y, m)
        got = await checks.monthly(oracle_db, player.programme_id, y, m)
        name = f"{y}-{m:02d}'s report"
        headline = (got.counts.total, got.counts.closed)
        assert headline == (want.counts.total, want.counts.closed), f"{name}: headline"
        closed = sorted(f.code for f in got.closed_this_month)
        assert closed == sorted(want.closed_this_month), f"{name}: closed this month"
        rates = {u: a / n for u, (a, n) in want.feedback.items() if n}
        assert checks.rates(got) == pytest.approx(rates), f"{name}: 反馈率 by lead unit"
        line = await checks.cumulative(oracle_db, player.programme_id, y, m)
        assert line == want.cumulative_closed, f"{name}: the chart's cumulative line"


@settings(ORACLE)
@given(history=histories())
async def test_c_a_month_report_run_later_says_the_same(
    oracle_db: Database, history: History
) -> None:
    await report_stays(oracle_db, history)


@settings(ORACLE)
@given(history=histories())
async def test_b_a_past_month_report_counts_what_its_events_say(
    oracle_db: Database, history: History
) -> None:
    await report_counts(oracle_db, history)
