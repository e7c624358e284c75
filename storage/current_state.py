"""Each measure's kept state (storage.models_state), refreshed from its own rows by every write.

The rule stays in core.domain.dispatches (silent_run); this module only feeds it one measure's
dispatch items and keeps the result, in the writer's transaction, so that a live picture reads
one row per measure instead of every measure's history.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.dispatches import DispatchFact, silent_run
from storage.models import DispatchItem, Measure
from storage.models_state import MeasureState

# measures per statement: well under SQLite's and asyncpg's bound-parameter limits
CHUNK = 500
_STATE = MeasureState.__table__  # type: ignore[attr-defined]
_I = DispatchItem
_FIELDS = (
    col(_I.measure_id),
    col(_I.period),
    col(_I.delivered),
    col(_I.answered),
    col(_I.short),
    col(_I.delivered_at),
    col(_I.answered_at),
    col(_I.answer_by),
)


async def refresh(
    session: AsyncSession, *, programme_id: int, measure_ids: Iterable[int] | None = None
) -> None:
    """Recompute the kept state of some measures (every one of the programme's without ids)
    in the session's transaction; call it after any write to their dispatch items."""
    await session.flush()  # an item changed through the ORM must be read back changed
    await refresh_on(await session.connection(), programme_id=programme_id, measure_ids=measure_ids)


async def refresh_on(
    conn: AsyncConnection, *, programme_id: int, measure_ids: Iterable[int] | None = None
) -> None:
    """refresh() on a connection (bulk loads, migrations' backfill, tests' seeds)."""
    if measure_ids is None:
        query = select(col(Measure.id)).where(col(Measure.programme_id) == programme_id)
        measure_ids = [i for i in (await conn.execute(query)).scalars() if i is not None]
    ids = sorted(set(measure_ids))  # one order for every writer: row locks never cross
    for start in range(0, len(ids), CHUNK):
        await _refresh_chunk(conn, programme_id, ids[start : start + CHUNK])


async def _refresh_chunk(conn: AsyncConnection, programme_id: int, ids: Sequence[int]) -> None:
    if not ids:
        return
    pg = conn.dialect.name == "postgresql"
    if pg:
        # lock the rows first: a concurrent writer of the same measures' items (an answer while
        # the dispatch goes out) waits here, and what is read below includes what it committed
        await conn.execute(_upsert(pg, programme_id, {i: None for i in ids}))
    rows = await conn.execute(
        select(*_FIELDS).where(col(_I.programme_id) == programme_id, col(_I.measure_id).in_(ids))
    )
    items: dict[int, list[DispatchFact]] = {i: [] for i in ids}
    for measure_id, period, delivered, answered, short, delivered_at, answered_at, by in rows:
        fact = DispatchFact(period, delivered, answered, short, delivered_at, answered_at, by)
        items[measure_id].append(fact)
    await conn.execute(_upsert(pg, programme_id, {i: silent_run(f) for i, f in items.items()}))


def _upsert(pg: bool, programme_id: int, runs: dict[int, int | None]) -> Any:
    """Insert or update each measure's row; a None run only locks an existing row."""
    insert = postgresql.insert if pg else sqlite.insert
    stmt = insert(_STATE).values(
        [
            {"measure_id": i, "programme_id": programme_id, "silent_run": n or 0}
            for i, n in runs.items()
        ]
    )
    keep_or_set = stmt.excluded.silent_run
    if all(n is None for n in runs.values()):
        keep_or_set = _STATE.c.silent_run  # a no-op update: the row is locked, not changed
    return stmt.on_conflict_do_update(
        index_elements=["measure_id"], set_={"silent_run": keep_or_set}
    )
