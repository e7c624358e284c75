"""Silence in SQL (storage/picture.py) and /summary from lean rows, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from core.domain import filters, report
from core.domain.model import Health, Status
from core.i18n import tr
from core.render.digest import summary_text
from storage import current_state, measures, picture, reports
from storage.db import Database
from storage.models import Area, DispatchItem, Measure, Person, Problem, Programme, Unit

NOW = datetime(2024, 9, 30, 2, tzinfo=UTC)
TODAY = date(2024, 9, 30)
W1, W2, W3 = "2024-W37", "2024-W38", "2024-W39"
SHORT = {W2}  # W2 left too little time to answer: its silence is not counted
# code -> [(period, delivered, answered)], and whether the measure is closed
ITEMS: dict[str, tuple[list[tuple[str, bool, bool]], bool]] = {
    "1": ([(W1, True, True), (W2, True, False), (W3, True, False)], False),
    "2": ([(W1, True, False), (W2, True, True), (W3, True, False)], False),
    "3": ([(W1, True, False), (W2, True, False), (W3, True, False)], False),  # W2 is short
    "4": ([(W1, True, False), (W2, True, True)], False),  # answered in the short one
    "5": ([(W1, True, False), (W2, False, False), (W3, True, False)], False),  # W2 undelivered
    "6": ([(W1, True, False), (W3, True, False)], True),  # closed: no light
    "7": ([], False),
    "8": ([(W1, True, False), (W3, True, False), (W2, True, True)], False),
    "9": ([(W3, True, False)], False),
    "10": ([(W1, True, False), (W2, True, False)], False),  # W2 short: one counted silence
}


async def _seed(conn: AsyncConnection, short: set[str] = SHORT) -> int:
    """A programme with one measure per silence pattern, and a red, a yellow, a green one."""
    pid = (
        await conn.execute(
            insert(Programme).values(name="P", created_at=NOW).returning(col(Programme.id))
        )
    ).scalar_one()
    area = (
        await conn.execute(
            insert(Area).values(programme_id=pid, number=1, name="方面一").returning(col(Area.id))
        )
    ).scalar_one()
    area2 = (
        await conn.execute(
            insert(Area).values(programme_id=pid, number=2, name="方面二").returning(col(Area.id))
        )
    ).scalar_one()
    problem = (
        await conn.execute(
            insert(Problem)
            .values(programme_id=pid, area_id=area, name="问题")
            .returning(col(Problem.id))
        )
    ).scalar_one()
    unit = (
        await conn.execute(
            insert(Unit).values(programme_id=pid, name="建设局").returning(col(Unit.id))
        )
    ).scalar_one()
    owner = (
        await conn.execute(
            insert(Person).values(programme_id=pid, name="张三").returning(col(Person.id))
        )
    ).scalar_one()
    codes = [*ITEMS, "R1", "Y1", "G1"]
    for code in codes:
        closed = ITEMS.get(code, ([], False))[1]
        deadline = {"R1": TODAY - timedelta(days=3), "Y1": TODAY + timedelta(days=5)}.get(
            code, TODAY + timedelta(days=60)
        )
        mid = (
            await conn.execute(
                insert(Measure)
                .values(
                    programme_id=pid,
                    code=code,
                    text=f"措施{code}",
                    area_id=area2 if code.startswith(("R", "Y", "G")) else area,
                    problem_id=problem,
                    lead_unit_id=unit,
                    co_units="财政局" if code == "G1" else "",
                    owner_id=owner,
                    deadline=deadline,
                    status=Status.CLOSED.value if closed else Status.IN_PROGRESS.value,
                    health=Health.ON_TRACK.value,
                    closed_on=TODAY - timedelta(days=1) if closed else None,
                    updated_at=NOW,
                )
                .returning(col(Measure.id))
            )
        ).scalar_one()
        for period, delivered, answered in ITEMS.get(code, ([], False))[0]:
            await conn.execute(
                insert(DispatchItem).values(
                    programme_id=pid,
                    period=period,
                    measure_id=mid,
                    owner_id=owner,
                    delivered=delivered,
                    answered=answered,
                    short=period in short,
                )
            )
    assert pid is not None
    # written in bulk, not by the write paths: the kept state is refreshed as they would
    await current_state.refresh_on(conn, programme_id=pid)
    return pid


async def _silence(
    conn: AsyncConnection, pid: int, last_period: str | None = None
) -> dict[str, tuple[int, int]]:
    """Per code: (the run of unanswered dispatches, the light's flag)."""
    run = picture.silent_run(pid, last_period=last_period)
    flag = picture.silent_flag(pid, last_period=last_period)
    rows = await conn.execute(
        select(col(Measure.code), run, flag).where(col(Measure.programme_id) == pid)
    )
    return {code: (int(n), int(f)) for code, n, f in rows.all()}


async def test_silence_counts_the_run_after_the_last_answer(db_url: str) -> None:
    db = Database(db_url)
    try:
        async with db.engine.begin() as conn:
            pid = await _seed(conn)
            assert await _silence(conn, pid) == {
                "1": (1, 0),  # W2 unanswered but short: only W3 counts
                "2": (1, 0),
                "3": (2, 2),  # W1 and W3: the short W2 between them is skipped
                "4": (0, 0),
                "5": (2, 2),  # an undelivered dispatch asked nothing
                "6": (2, 0),  # closed: counted, but a closed measure has no light
                "7": (0, 0),
                "8": (1, 0),
                "9": (1, 0),
                "10": (1, 0),
                "R1": (0, 0),
                "Y1": (0, 0),
                "G1": (0, 0),
            }
            # as of W38 (the monthly report's cut-off): 8's answer in W38 still counts
            as_of = await _silence(conn, pid, last_period=W2)
            assert {c: as_of[c] for c in ("1", "2", "8", "9", "10")} == {
                "1": (0, 0),
                "2": (0, 0),
                "8": (0, 0),
                "9": (0, 0),
                "10": (1, 0),
            }
            rows = await picture.rows(conn, programme_id=pid)
        by_code = {r.code: r for r in rows}
        assert sorted(by_code) == sorted([*ITEMS, "R1", "Y1", "G1"])
        assert (by_code["3"].silent_dispatches, by_code["2"].silent_dispatches) == (2, 0)
        assert by_code["G1"].co_units == ("财政局",)
    finally:
        await db.dispose()


async def test_summary_from_lean_rows_equals_the_one_from_full_facts(db_url: str) -> None:
    db = Database(db_url)
    try:
        async with db.engine.begin() as conn:
            pid = await _seed(conn, short=set())
        async with db.session() as s:
            programme = await s.get(Programme, pid)
            assert programme is not None
            # no dispatch is short here: 3 and 10 are silent too
            full = await measures.facts_only(s, programme_id=pid)
            for args in ([], ["overdue"], ["area", "2"], ["unit", "财政局"]):
                lean = await reports.summary_content(
                    s, programme=programme, today=TODAY, args=args, owner_id=None
                )
                where = filters.parse(args, filters.Known.of(full))
                kept = filters.apply(where, full, TODAY)
                reference = report.summary(
                    kept, TODAY, where=where, unit_share=filters.unit_share(where, kept)
                )
                assert lean == reference, args
            content = await reports.summary_content(s, programme=programme, today=TODAY)
        assert content.counts == report.Counts(
            total=13, closed=1, overdue=1, red=1, yellow=5, green=6
        )
        assert [m.code for m in content.red] == ["R1"]
        # the listed items carry their full facts: the exact run, not only the light's flag
        assert [(m.code, m.silent_dispatches) for m in content.yellow] == [
            ("1", 2),
            ("3", 3),
            ("5", 2),
            ("10", 2),
            ("Y1", 0),
        ]
        text = summary_text(tr("en"), content, "P")
        assert "🔴 1 red, 🟡 5 yellow, 🟢 6 green, 0 awaiting sign-off" in text.split("\n")
    finally:
        await db.dispose()
