"""Oracle properties of the monthly report: it says what the month's events say (b), whenever
asked (c)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime

import pytest

from core.domain.report import MonthlyReport
from oracle import checks
from oracle.applier import Player
from oracle.events import History
from oracle.model import month, month_end
from storage.db import Database

Check = Callable[[datetime], Awaitable[None]] | None


async def play_by_months(
    db: Database, player: Player, history: History, at_check: Check = None
) -> dict[tuple[int, int], dict[str, object]]:
    """Play the whole history, each month's report taken at the month's end on the way."""
    then = {}
    for y, m in checks.months(history):
        await player.play(history, until=month_end(y, m), at_check=at_check)
        then[(y, m)] = checks.numbers(
            await checks.monthly(db, player.programme_id, y, m, player.clock)
        )
    await player.play(history, at_check=at_check)
    return then


def stays(
    y: int, m: int, again: MonthlyReport, then: dict[tuple[int, int], dict[str, object]]
) -> None:
    """Property c: month M's report run at the end of the history says what it said at M's end."""
    assert checks.numbers(again) == then[(y, m)], (
        f"c: {y}-{m:02d}'s report run at the end of the history"
    )


def counts(history: History, y: int, m: int, got: MonthlyReport, line: int) -> None:
    """Property b: a past month's report, run at the end of the history, against the model
    (`line`: the chart's cumulative line at the month's end)."""
    want = month(history, y, m)
    name = f"b: {y}-{m:02d}'s report"
    headline = (got.counts.total, got.counts.closed)
    assert headline == (want.counts.total, want.counts.closed), f"{name}: headline"
    closed = sorted(f.code for f in got.closed_this_month)
    assert closed == sorted(want.closed_this_month), f"{name}: closed this month"
    rates = {u: a / n for u, (a, n) in want.feedback.items() if n}
    assert checks.rates(got) == pytest.approx(rates), f"{name}: 反馈率 by lead unit"
    assert line == want.cumulative_closed, f"{name}: the chart's cumulative line"


async def report_stays(db: Database, history: History) -> None:
    """Property c alone, on one history."""
    player = Player(db)
    await player.create(history)
    then = await play_by_months(db, player, history)
    for y, m in checks.months(history):
        stays(y, m, await checks.monthly(db, player.programme_id, y, m, player.clock), then)


async def report_counts(db: Database, history: History) -> None:
    """Property b alone, on one history."""
    player = Player(db)
    await player.create(history)
    await player.play(history)
    for y, m in checks.months(history):
        got = await checks.monthly(db, player.programme_id, y, m, player.clock)
        counts(history, y, m, got, await checks.cumulative(db, player.programme_id, y, m))
