"""Oracle properties of the live pictures: /summary and the review count what the events say (a, d, e)."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import given, settings

from oracle import checks
from oracle.applier import Player
from oracle.events import History
from oracle.harness import ORACLE, oracle_db
from oracle.model import at_moment
from oracle.strategy import histories
from storage import as_of, measures
from storage.db import Database

__all__ = ["oracle_db"]


@settings(ORACLE)
@given(history=histories())
async def test_a_summary_counts_what_the_events_say(oracle_db: Database, history: History) -> None:
    player = Player(oracle_db)
    await player.create(history)

    async def check(moment: datetime) -> None:
        _, want = at_moment(history, moment)
        got = await checks.summary(oracle_db, player.programme_id, moment)
        assert got == want, f"/summary at {moment}"

    await player.play(history, at_check=check)


@settings(ORACLE)
@given(history=histories())
async def test_d_review_counts_what_the_events_say(oracle_db: Database, history: History) -> None:
    player = Player(oracle_db)
    await player.create(history)

    async def check(moment: datetime) -> None:
        _, want = at_moment(history, moment)
        got = await checks.review(oracle_db, player.programme_id, moment)
        assert got == want, f"review at {moment}"

    await player.play(history, at_check=check)


@settings(ORACLE)
@given(history=histories())
async def test_e_live_picture_equals_the_reconstruction(
    oracle_db: Database, history: History
) -> None:
    player = Player(oracle_db)
    await player.create(history)

    async def check(moment: datetime) -> None:
        p = await checks.programme(oracle_db, player.programme_id)
        async with oracle_db.session() as s:
            live = await measures.facts_only(s, programme_id=player.programme_id)
            # the moment's own events included: the live ledger has them
            rebuilt = await as_of.facts_at(s, programme=p, at=moment + timedelta(microseconds=1))
        key = lambda f: (f.code, f.status, f.deadline, f.health, f.closed_on, f.silent_dispatches)  # noqa: E731
        assert sorted(map(key, rebuilt)) == sorted(map(key, live)), f"as of {moment}"

    await player.play(history, at_check=check)
