"""The kept state (storage/current_state.py) equals a full recomputation after every write.

Random histories (tests/oracle) are played through the product's storage functions one step,
one transaction, at a time; after each step every measure's kept silent run must equal the
domain's silent_run of all its dispatch items, and the live lean rows' light flags must equal
the SQL recomputation from the items (storage.picture.silent_flag), on SQLite and PostgreSQL.
A write path that changes dispatch items without refreshing the kept rows fails here.
"""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from oracle.applier import Player
from oracle.events import Answer, Dispatch, Event, History, Import, Row, at
from oracle.harness import ORACLE, oracle_db
from oracle.strategy import histories
from sqlalchemy import select
from sqlmodel import col

from core.domain.dispatches import DispatchFact, silent_run
from storage import picture
from storage.db import Database
from storage.models import DispatchItem, Measure
from storage.models_state import MeasureState

__all__ = ["oracle_db"]

_I = DispatchItem
SMALL = History(
    at(date(2024, 8, 19), 8),
    (
        Import(
            at(date(2024, 8, 19), 8, 30),
            (
                Row("1.1", "一、思想认识方面", "审计局", "王伟", "dated", date(2024, 12, 20), "in_progress"),
                Row("1.2", "一、思想认识方面", "建设局", "李娜", "dated", date(2024, 12, 20), "in_progress"),
            ),
            first=True,
        ),
        Dispatch(at(date(2024, 8, 26), 10, 30)),
        Dispatch(at(date(2024, 9, 2), 10, 30), unreachable=frozenset({"李娜"})),
        Dispatch(at(date(2024, 9, 9), 10, 30)),
        Answer(at(date(2024, 9, 10), 15), "1.2", "on_track", 40, "推进中。"),
    ),
)  # fmt: skip


async def _compare(db: Database, programme_id: int) -> dict[int, int]:
    """Assert the kept rows equal a recomputation from the items; the kept runs by measure id."""
    async with db.session() as s:
        conn = await s.connection()
        measures = select(col(Measure.id)).where(col(Measure.programme_id) == programme_id)
        ids = [i for i in (await conn.execute(measures)).scalars() if i is not None]
        items = await conn.execute(
            select(
                col(_I.measure_id),
                col(_I.period),
                col(_I.delivered),
                col(_I.answered),
                col(_I.short),
            ).where(col(_I.programme_id) == programme_id)
        )
        facts: dict[int, list[DispatchFact]] = {i: [] for i in ids}
        for mid, period, delivered, answered, short in items:
            facts[mid].append(DispatchFact(period, delivered, answered, short))
        kept_rows = await conn.execute(
            select(col(MeasureState.measure_id), col(MeasureState.silent_run)).where(
                col(MeasureState.programme_id) == programme_id
            )
        )
        kept = {i: 0 for i in ids} | {int(i): int(n) for i, n in kept_rows}
        want = {i: silent_run(f) for i, f in facts.items()}
        assert kept == want
        # the live lean rows read the kept rows; the SQL over every item must agree with them
        lean = {
            r.id: r.silent_dispatches for r in await picture.rows(conn, programme_id=programme_id)
        }
        full = select(col(Measure.id), picture.silent_flag(programme_id)).where(
            col(Measure.programme_id) == programme_id, col(Measure.removed_at).is_(None)
        )
        assert lean == {i: int(f) for i, f in await conn.execute(full)}
        return kept


class Checked(Player):
    """A Player that compares after every step (each its own committed transaction)."""

    async def step(self, e: Event) -> None:
        await super().step(e)
        await _compare(self.db, self.programme_id)


async def test_a_silence_and_its_end_are_kept(oracle_db: Database) -> None:
    player = Checked(oracle_db)
    await player.create(SMALL)
    await player.play(SMALL)
    kept = await _compare(oracle_db, player.programme_id)
    async with oracle_db.engine.connect() as conn:
        found = await conn.execute(select(col(Measure.id), col(Measure.code)))
        codes = {i: code for i, code in found.all()}
    # 1.1 never answered three delivered dispatches; 1.2 missed the undelivered one and answered
    assert {codes[i]: n for i, n in kept.items()} == {"1.1": 3, "1.2": 0}


@settings(ORACLE, max_examples=12)
@given(history=histories())
async def test_kept_state_equals_recomputation_after_every_step(
    oracle_db: Database, history: History
) -> None:
    player = Checked(oracle_db)
    await player.create(history)
    await player.play(history)
