"""/summary counted by groups in the database gives what glance gives over every measure's row.

The grouped path (storage/picture_groups.py, core.domain.tally) lights one stand-in per group
with core.domain.lights; these tests hold it equal to the per-row computation on random
programmes, on SQLite and PostgreSQL, also with the rule's constants moved, and fail if the
light reads an input the groups are not keyed by.
"""

from __future__ import annotations

import asyncio
from datetime import UTC, date, datetime, timedelta
from typing import Any
from uuid import uuid4

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from core.domain import lights
from core.domain.glance import glance
from core.domain.model import Health, Status
from core.domain.tally import READS, Kind, Window, stand_in, tally
from storage import picture, picture_groups
from storage.db import Database
from storage.models import Area, Measure, Person, Problem, Programme, Unit
from storage.models_state import MeasureState

NOW = datetime(2024, 9, 30, 2, tzinfo=UTC)
TODAY = date(2024, 9, 30)

# a measure's light inputs as its history leaves them: offsets in days from today
_measure = st.fixed_dictionaries(
    {
        "area": st.integers(1, 3),
        "status": st.sampled_from(list(Status)),
        "health": st.sampled_from([None, *Health]),
        "immediate": st.booleans(),
        "silent_run": st.integers(0, 3),
        "deadline": st.one_of(st.none(), st.integers(-60, 60), st.integers(-400, 400)),
        "forecast": st.one_of(st.none(), st.integers(-30, 60)),  # after the deadline
        "owner": st.integers(0, 1),
        "removed": st.booleans(),  # dropped by a re-import: in neither picture
    }
)
_programme = st.lists(_measure, min_size=0, max_size=40)


async def _one(conn: AsyncConnection, model: type, **values: object) -> int:
    return int(
        (await conn.execute(insert(model).values(**values).returning(col(model.id)))).scalar_one()  # type: ignore[attr-defined]
    )


async def _seed(conn: AsyncConnection, measures: list[dict[str, Any]]) -> tuple[int, list[int]]:
    """A programme holding the drawn measures; its id and owners."""
    pid = await _one(conn, Programme, name=f"P{uuid4()}", created_at=NOW)
    areas = [await _one(conn, Area, programme_id=pid, number=n, name=f"方面{n}") for n in (1, 2, 3)]
    problem = await _one(conn, Problem, programme_id=pid, area_id=areas[0], name="问题")
    unit = await _one(conn, Unit, programme_id=pid, name="建设局")
    owners = [await _one(conn, Person, programme_id=pid, name=f"人{i}") for i in (0, 1)]
    rows = []
    for i, m in enumerate(measures):
        deadline = None if m["deadline"] is None else TODAY + timedelta(days=m["deadline"])
        forecast = None
        if m["forecast"] is not None:  # a forecast without a deadline is kept too
            forecast = (deadline or TODAY) + timedelta(days=m["forecast"])
        rows.append(
            {
                "programme_id": pid,
                "code": f"{m['area']}.{i + 1}",
                "text": "措施",
                "area_id": areas[m["area"] - 1],
                "problem_id": problem,
                "lead_unit_id": unit,
                "owner_id": owners[m["owner"]],
                "deadline": deadline,
                "status": m["status"].value,
                "health": None if m["health"] is None else m["health"].value,
                "immediate": m["immediate"],
                "forecast": forecast,
                "removed_at": NOW if m["removed"] else None,
                "updated_at": NOW,
            }
        )
    if rows:
        await conn.execute(insert(Measure), rows)
    return pid, owners


async def _agree(url: str, measures: list[dict[str, Any]], listed: int) -> None:
    """The grouped picture equals glance over every live row, for all and for one owner."""
    db = Database(url)
    try:
        async with db.engine.connect() as conn:
            await conn.begin()  # rolled back as the connection closes: each example alone
            pid, owners = await _seed(conn, measures)
            ids = {
                code: i
                for code, i in await conn.execute(
                    Measure.__table__.select()  # type: ignore[attr-defined]
                    .with_only_columns(col(Measure.code), col(Measure.id))
                    .where(col(Measure.programme_id) == pid)
                )
            }
            runs = [
                {
                    "programme_id": pid,
                    "measure_id": ids[f"{m['area']}.{i + 1}"],
                    "silent_run": m["silent_run"],
                }
                for i, m in enumerate(measures)
                if m["silent_run"]
            ]
            if runs:
                await conn.execute(insert(MeasureState), runs)
            for owner in (None, owners[1]):
                rows = await picture.rows(conn, programme_id=pid, owner_id=owner)
                want = glance(rows, TODAY, listed)
                got = await picture_groups.picture(
                    conn, programme_id=pid, owner_id=owner, today=TODAY, listed=listed
                )
                assert got.counts == want.counts
                assert got.areas == want.areas
                assert [r.code for r in got.red] == [r.code for r in want.red]
                assert [r.code for r in got.yellow] == [r.code for r in want.yellow]
                assert [(r.code, d) for r, d in got.overdue] == [
                    (r.code, d) for r, d in want.overdue
                ]
    finally:
        await db.dispose()


def _property(url: str, examples: int) -> None:
    """Hypothesis in a thread of its own: each example runs on its own event loop."""

    @settings(max_examples=examples, deadline=None, suppress_health_check=list(HealthCheck))
    @given(measures=_programme, listed=st.integers(1, 4))
    def check(measures: list[dict[str, Any]], listed: int) -> None:
        asyncio.run(_agree(url, measures, listed))

    check()


async def test_the_grouped_picture_is_glance_over_every_row(db_url: str) -> None:
    await asyncio.to_thread(_property, db_url, 40)


async def test_the_groups_follow_the_rule_when_its_constants_move(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a longer warning and grace, changed in core.domain.lights alone, must carry to the groups
    monkeypatch.setattr(lights, "YELLOW_DAYS", 45)
    monkeypatch.setattr(lights, "IMMEDIATE_GRACE_DAYS", 20)
    assert Window.now() == Window(-366, 46, 0, 21)
    await asyncio.to_thread(_property, db_url, 15)


class _Probe:
    """A lamp that records what is read of it."""

    def __init__(self, **values: Any) -> None:
        self.values = values
        self.read: set[str] = set()

    def __getattr__(self, name: str) -> Any:
        if name in ("values", "read"):
            raise AttributeError(name)
        self.read.add(name)
        return self.values[name]


@settings(max_examples=300)
@given(m=_measure)
def test_the_light_reads_only_what_the_groups_are_keyed_by(m: dict[str, Any]) -> None:
    deadline = None if m["deadline"] is None else TODAY + timedelta(days=m["deadline"])
    forecast = None if m["forecast"] is None else (deadline or TODAY) + timedelta(m["forecast"])
    values = {
        "status": m["status"],
        "health": m["health"],
        "deadline": deadline,
        "immediate": m["immediate"],
        "silent_dispatches": m["silent_run"],
        "forecast": forecast,
    }
    probe = _Probe(**values)
    lights.light(probe, TODAY)
    lights.days_overdue(probe, TODAY)
    assert probe.read <= set(READS)
    assert lights.lamp_inputs(probe) == tuple(values[r] for r in READS)


def test_a_stand_in_keeps_every_answer_of_the_rule() -> None:
    # offsets clamped to the window light as the real ones, on both sides of every bound
    w = Window.now()
    for status in Status:
        for immediate in (False, True):
            for health in (None, *Health):
                for due in range(-60, 61):
                    for after in (None, -9, 0, 1, 6, 7, 30):
                        k = Kind(1, 1, "a", status, health, immediate, 0, due, after, 1)
                        real = stand_in(k, TODAY)
                        clamped = stand_in(replace_offsets(k, w), TODAY)
                        assert lights.light(real, TODAY) == lights.light(clamped, TODAY)
                        assert (lights.days_overdue(real, TODAY) > 0) == (
                            lights.days_overdue(clamped, TODAY) > 0
                        )


def replace_offsets(k: Kind, w: Window) -> Kind:
    """The group key as the database clamps it."""
    assert k.due_in is not None
    due = min(max(k.due_in, w.due_lo), w.due_hi)
    after = None if k.forecast_after is None else min(max(k.forecast_after, w.late_lo), w.late_hi)
    return k._replace(due_in=due, forecast_after=after)


def test_the_overdue_groups_reach_past_the_window_when_they_must() -> None:
    # deadlines further back than the window share a group whose days are only a lower bound:
    # a 立行立改 one a day beyond it may be overdue less than an ordinary one just inside it
    w = Window.now()
    beyond = Kind(1, 1, "a", Status.IN_PROGRESS, None, True, 0, w.due_lo, None, 3)
    inside = Kind(1, 1, "a", Status.IN_PROGRESS, None, False, 0, w.due_lo + 1, None, 1)
    later = Kind(1, 1, "a", Status.IN_PROGRESS, None, False, 0, -3, None, 1)
    t = tally([later, inside, beyond], TODAY, listed=2)
    assert set(t.late) == {beyond, inside}
