"""Oracle properties of the live pictures: /summary and the review count what the events say (a, d),
and the live picture equals the reconstruction from the trail (e)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta
from operator import attrgetter

from oracle import checks
from oracle.applier import Player
from oracle.events import History
from oracle.model import at_moment
from storage import as_of, measures
from storage.db import Database


def checker(
    db: Database, player: Player, history: History
) -> Callable[[datetime], Awaitable[None]]:
    """What is checked at each of a history's check moments: properties a, d and e."""

    async def check(moment: datetime) -> None:
        _, want = at_moment(history, moment)
        got = await checks.summary(db, player.programme_id, moment)
        assert got == want, f"a: /summary at {moment}"
        got = await checks.review(db, player.programme_id, moment)
        assert got == want, f"d: review at {moment}"
        await reconstruction_equals_live(db, player, moment)

    return check


async def reconstruction_equals_live(db: Database, player: Player, moment: datetime) -> None:
    """Property e: the facts replayed from the trail up to the moment are the live ones."""
    async with db.session() as s:
        p = await checks.programme_in(s, player.programme_id)
        live = await measures.facts_only(s, programme_id=player.programme_id)
        # the moment's own events included: the live ledger has them
        rebuilt = await as_of.facts_at(s, programme=p, at=moment + timedelta(microseconds=1))
    fields = ("code", "status", "deadline", "health", "closed_on", "silent_dispatches", "forecast")
    key = attrgetter(*fields)
    assert sorted(map(key, rebuilt)) == sorted(map(key, live)), f"e: as of {moment}"


async def live_counts(db: Database, history: History) -> None:
    """Properties a, d and e alone, at the history's checks."""
    player = Player(db)
    await player.create(history)
    await player.play(history, at_check=checker(db, player, history))
