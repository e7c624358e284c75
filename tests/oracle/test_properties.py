"""The oracle's properties, every one on each generated history, played once.

a, d, e at the history's checks (oracle/live.py); c's first report at each month's end on the
way; then, at the end, each month's report again against the model (b) and against what it said
at its end (c): one report serves both, as both ask at the same moment.
"""

from __future__ import annotations

from collections.abc import Callable

from hypothesis import given, seed, settings

from oracle import checks
from oracle.applier import Player
from oracle.events import History
from oracle.harness import EXAMPLES, ORACLE, RANDOM, SHARDS, oracle_db
from oracle.live import checker
from oracle.months import counts, play_by_months, stays
from oracle.strategy import histories
from storage.db import Database

__all__ = ["oracle_db"]


def _shard(n: int) -> Callable[..., object]:
    """The property test over the n-th share of the histories, with its own fixed seed."""

    async def every_figure_is_what_the_events_say(oracle_db: Database, history: History) -> None:
        player = Player(oracle_db)
        await player.create(history)
        then = await play_by_months(oracle_db, player, history, checker(oracle_db, player, history))
        for y, m in checks.months(history):
            again = await checks.monthly(oracle_db, player.programme_id, y, m, player.clock)
            line = await checks.cumulative(oracle_db, player.programme_id, y, m)
            counts(history, y, m, again, line)
            stays(y, m, again, then)

    share = EXAMPLES // SHARDS + (n < EXAMPLES % SHARDS)  # the shares add up to EXAMPLES
    test = given(history=histories())(
        settings(ORACLE, max_examples=share)(every_figure_is_what_the_events_say)
    )
    return test if RANDOM else seed(n)(test)


# test_every_figure_is_what_the_events_say_0, _1, ...: one item per shard (and database)
for _n in range(SHARDS):
    globals()[f"test_every_figure_is_what_the_events_say_{_n}"] = _shard(_n)
