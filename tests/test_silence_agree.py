"""The silence rule has one owner: the SQL fast path and the escalation's loader agree with it.

Every history of four weekly dispatches (each absent, silent, answered, undelivered, undelivered
but answered, short and silent, short and answered) is one measure; the domain's silent_run, the
picture's SQL (run and light flag, live and as of each week) and what the escalation loads must
all give the same answer, on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import UTC, datetime
from itertools import product

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from core.domain.dispatches import DispatchFact, silent_run
from core.domain.lights import SILENT_DISPATCHES
from core.domain.model import Health, Status
from storage import current_state, dispatch_items, picture
from storage.db import Database
from storage.models import Area, DispatchItem, Measure, Person, Problem, Programme, Unit

NOW = datetime(2024, 9, 30, 2, tzinfo=UTC)
WEEKS = ["2024-W36", "2024-W37", "2024-W38", "2024-W39"]
# one letter a week: - none, s silent, a answered, u undelivered, x undelivered but answered,
# S short and silent, A short and answered
STATES = "-sauxSA"
HISTORIES = ["".join(h) for h in product(STATES, repeat=len(WEEKS))]


def facts(history: str, upto: int = len(WEEKS)) -> list[DispatchFact]:
    """The domain's facts of a history, up to a week."""
    return [
        DispatchFact(week, state not in "ux", state in "axA", state in "SA")
        for week, state in zip(WEEKS[:upto], history, strict=False)
        if state != "-"
    ]


async def _one(conn: AsyncConnection, model: type, **values: object) -> int:
    return int(
        (await conn.execute(insert(model).values(**values).returning(col(model.id)))).scalar_one()  # type: ignore[attr-defined]
    )


async def _seed(conn: AsyncConnection) -> tuple[int, dict[int, str]]:
    """One measure per history; returns the programme and each measure's history."""
    pid = await _one(conn, Programme, name="P", created_at=NOW)
    area = await _one(conn, Area, programme_id=pid, number=1, name="方面")
    problem = await _one(conn, Problem, programme_id=pid, area_id=area, name="问题")
    unit = await _one(conn, Unit, programme_id=pid, name="建设局")
    owner = await _one(conn, Person, programme_id=pid, name="张三")
    common = {
        "programme_id": pid,
        "area_id": area,
        "problem_id": problem,
        "lead_unit_id": unit,
        "co_units": "",
        "owner_id": owner,
        "status": Status.IN_PROGRESS.value,
        "health": Health.ON_TRACK.value,
        "updated_at": NOW,
    }
    await conn.execute(insert(Measure), [{**common, "code": h, "text": h} for h in HISTORIES])
    ids = dict((await conn.execute(select(col(Measure.code), col(Measure.id)))).all())
    rows = [
        {
            "programme_id": pid,
            "period": week,
            "measure_id": ids[h],
            "owner_id": owner,
            "delivered": state not in "ux",
            "answered": state in "axA",
            "short": state in "SA",
        }
        for h in HISTORIES
        for week, state in zip(WEEKS, h, strict=True)
        if state != "-"
    ]
    await conn.execute(insert(DispatchItem), rows)
    await current_state.refresh_on(conn, programme_id=pid)  # as the write paths would
    if conn.dialect.name == "postgresql":
        # the planner's row counts are whatever earlier tests left (a few rows, or none): with
        # them it nests loops over 2,401 measures (58-95 s instead of 5); a live database has
        # autovacuum's; ANALYZE counts this transaction's own rows
        await conn.execute(text("ANALYZE"))
    return pid, {i: h for h, i in ids.items() if i is not None}


async def test_sql_silence_equals_the_domain_rule_on_every_short_history(db_url: str) -> None:
    db = Database(db_url)
    try:
        async with db.engine.begin() as conn:
            pid, history = await _seed(conn)
            for upto in range(1, len(WEEKS) + 1):
                last = None if upto == len(WEEKS) else WEEKS[upto - 1]
                query = select(
                    col(Measure.id),
                    picture.silent_run(pid, last_period=last),
                    picture.silent_flag(pid, last_period=last),
                ).where(col(Measure.programme_id) == pid)
                got = {i: (int(n), int(flag)) for i, n, flag in (await conn.execute(query))}
                want = {}
                for i, h in history.items():
                    n = silent_run(facts(h, upto))
                    want[i] = (n, SILENT_DISPATCHES if n >= SILENT_DISPATCHES else 0)
                wrong = {history[i]: (got[i], want[i]) for i in want if got[i] != want[i]}
                assert not wrong, (last, wrong)
            # the kept runs, and the lean rows' flags read from them, follow the same rule
            kept = select(col(Measure.id), picture.kept_run()).where(
                col(Measure.programme_id) == pid
            )
            runs = {i: int(n) for i, n in await conn.execute(kept)}
            assert runs == {i: silent_run(facts(h)) for i, h in history.items()}
            flags = {r.id: r.silent_dispatches for r in await picture.rows(conn, programme_id=pid)}
            assert flags == {
                i: SILENT_DISPATCHES if n >= SILENT_DISPATCHES else 0 for i, n in runs.items()
            }
        # what the escalation loads (everything after the latest answer) gives the same runs
        async with db.session() as s:
            loaded = await dispatch_items.since_last_answer(s, programme_id=pid, before="9999")
        for i, h in history.items():
            assert silent_run(loaded.get(i, [])) == silent_run(facts(h)), h
    finally:
        await db.dispose()
