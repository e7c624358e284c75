"""The generator and the applier: random histories play through storage without a refusal."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings

from oracle.events import Answer, Decide, Dispatch, History, Import, LookBack, Row, at
from oracle.harness import ORACLE, oracle_db
from oracle.model import replay
from oracle.strategy import histories
from storage import reports
from storage.db import Database
from storage.models import Programme

__all__ = ["oracle_db"]

SMALL = History(
    at(date(2024, 9, 2), 8),
    (
        Import(
            at(date(2024, 9, 2), 8, 30),
            (
                Row(
                    "1.1",
                    "一、思想认识方面",
                    "审计局",
                    "王伟",
                    "dated",
                    date(2024, 9, 20),
                    "in_progress",
                ),
                Row("1.2", "一、思想认识方面", "建设局", "李娜", "immediate", None, "not_started"),
            ),
            first=True,
        ),
        Dispatch(at(date(2024, 9, 9), 9)),
        Answer(at(date(2024, 9, 10), 23, 50), "1.1", "on_track", 100, "已完成。", signoff=True),
        Decide(at(date(2024, 9, 11), 0, 10), "1.1", approve=True),
        LookBack(at(date(2024, 9, 26), 10, 30), "1.1", rebound=True),
    ),
)


async def test_a_small_history_plays_and_is_counted(oracle_db: Database) -> None:
    from oracle.applier import Player

    player = Player(oracle_db)
    await player.create(SMALL)
    await player.play(SMALL)
    async with oracle_db.session() as s:
        p = await s.get(Programme, player.programme_id)
        assert p is not None
        got = await reports.summary_content(s, programme=p, today=date(2024, 9, 26))
    want = replay(SMALL, SMALL.end).counts(date(2024, 9, 26), SMALL.end)
    assert (
        (got.counts.total, got.counts.closed, got.counts.red)
        == (want.total, want.closed, want.red)
        == (2, 0, 2)
    )


@settings(ORACLE, max_examples=10)
@given(history=histories())
async def test_random_histories_play(oracle_db: Database, history: History) -> None:
    from oracle.applier import Player

    player = Player(oracle_db)
    await player.create(history)
    await player.play(history)
    assert replay(history, history.end).live()
