"""The live picture counted by groups in the database (core.domain.tally): no row per measure.

One query counts the measures by area and light inputs, deadlines and forecasts told only as
far as a light tells them apart; core lights each group once; a second query reads the lean
rows of the few measures the picture can list, which core.domain.glance ranks as before.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    and_,
    case,
    func,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
)
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.functions import FunctionElement
from sqlmodel import col

from core.domain.glance import LISTED, Glance, Row, glance
from core.domain.tally import Kind, Window, tally
from storage.models import Area, Measure
from storage.models_state import MeasureState
from storage.picture import HEALTH, STATUS, kept_flag, rows

_NONE = 99_999  # stands for a missing offset or health in a group's key: IN never matches NULL


class days_between(FunctionElement[int]):  # named as an SQL function
    """first - second in whole days, for dates."""

    type = Integer()
    inherit_cache = True


@compiles(days_between)
def _days(element: days_between, compiler: Any, **kw: Any) -> str:
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return f"({a} - {b})"  # PostgreSQL: date - date is an integer


@compiles(days_between, "sqlite")
def _days_sqlite(element: days_between, compiler: Any, **kw: Any) -> str:
    a, b = (compiler.process(c, **kw) for c in element.clauses)
    return f"CAST(julianday({a}) - julianday({b}) AS INTEGER)"  # dates are stored as ISO text


def _clamp(x: ColumnElement[int], lo: int, hi: int) -> ColumnElement[int]:
    # bounds inline: they are small integers, and bound parameters would differ between the
    # select list and GROUP BY on PostgreSQL
    low, high = literal_column(str(int(lo)), Integer), literal_column(str(int(hi)), Integer)
    return case((x < low, low), (x > high, high), else_=x)


def _offsets(today: date, w: Window) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """(deadline - today, forecast - deadline), clamped to the window; NULL without a date."""
    m = Measure
    due = _clamp(days_between(col(m.deadline), literal(today, Date)), w.due_lo, w.due_hi)
    after = days_between(col(m.forecast), col(m.deadline))
    return due, _clamp(after, w.late_lo, w.late_hi)


def _live(programme_id: int, owner_id: int | None) -> list[ColumnElement[bool]]:
    where = [col(Measure.programme_id) == programme_id, col(Measure.removed_at).is_(None)]
    if owner_id is not None:
        where.append(col(Measure.owner_id) == owner_id)
    return where


async def kinds(
    conn: AsyncConnection, *, programme_id: int, owner_id: int | None, today: date, w: Window
) -> list[Kind]:
    """The live measures counted by area and light inputs."""
    m = Measure
    due, after = _offsets(today, w)
    query = (
        select(
            col(m.area_id),
            col(Area.number),
            col(Area.name),
            col(m.status),
            col(m.health),
            col(m.immediate),
            kept_flag().label("silent"),
            due.label("due_in"),
            after.label("forecast_after"),
            func.count(),
        )
        .join(Area, col(Area.id) == m.area_id)
        .outerjoin(MeasureState, col(MeasureState.measure_id) == m.id)
        .where(*_live(programme_id, owner_id))
        .group_by(
            col(m.area_id),
            col(Area.number),
            col(Area.name),
            col(m.status),
            col(m.health),
            col(m.immediate),
            literal_column("silent"),
            literal_column("due_in"),
            literal_column("forecast_after"),
        )
    )
    return [
        Kind(a, number, name, STATUS[s], HEALTH[h], bool(i), int(q or 0), d, f, n)
        for a, number, name, s, h, i, q, d, f, n in (await conn.execute(query)).all()
    ]


def _key(today: date, w: Window) -> Any:
    """A measure's group as a row value, comparable with _value(kind)."""
    m = Measure
    due, after = _offsets(today, w)
    return tuple_(
        col(m.area_id),
        col(m.status),
        func.coalesce(col(m.health), ""),
        col(m.immediate),
        kept_flag(),
        func.coalesce(due, _NONE),
        func.coalesce(after, _NONE),
    )


def _value(k: Kind) -> tuple[object, ...]:
    none = _NONE
    due = none if k.due_in is None else k.due_in
    after = none if k.forecast_after is None else k.forecast_after
    health = "" if k.health is None else k.health.value
    return (k.area_id, k.status.value, health, k.immediate, k.silent_dispatches, due, after)


def _in(key: Any, groups: Sequence[Kind]) -> ColumnElement[bool]:
    return key.in_([_value(k) for k in groups])  # type: ignore[no-any-return]


def _longest_late(key: Any, late: Sequence[Kind], where: list[Any], listed: int) -> Any:
    """Overdue measures that may rank among the `listed` longest overdue: per 立行立改 or not,
    days overdue fall as the deadline rises, so those up to the listed-th earliest deadline
    (all of them if fewer), ties included (the list breaks them by code)."""
    m = Measure
    terms = []
    for immediate in (False, True):
        nth = (
            select(col(m.deadline))
            .select_from(m)
            .outerjoin(MeasureState, col(MeasureState.measure_id) == m.id)
            .where(*where, _in(key, late), col(m.immediate) == immediate)
            .order_by(col(m.deadline))
            .offset(listed - 1)
            .limit(1)
            .correlate(None)  # its own measures, not the outer row
            .scalar_subquery()
        )
        upto = or_(nth.is_(None), col(m.deadline) <= nth)
        terms.append(and_(col(m.immediate) == immediate, upto))
    return and_(_in(key, late), or_(*terms))


async def picture(
    conn: AsyncConnection,
    *,
    programme_id: int,
    owner_id: int | None,
    today: date,
    listed: int = LISTED,
) -> Glance[Row]:
    """What glance() gives for every live measure, counted by group in the database."""
    w = Window.now()
    t = tally(
        await kinds(conn, programme_id=programme_id, owner_id=owner_id, today=today, w=w),
        today,
        listed,
    )
    candidates: list[Row] = []
    if t.red or t.yellow or t.late:
        key = _key(today, w)
        only: list[Any] = []
        if t.red or t.yellow:
            only.append(_in(key, [*t.red, *t.yellow]))
        if t.late:
            only.append(_longest_late(key, t.late, _live(programme_id, owner_id), listed))
        candidates = await rows(conn, programme_id=programme_id, owner_id=owner_id, only=or_(*only))
    few = glance(candidates, today, listed)
    return Glance(t.counts, t.areas, few.red, few.yellow, few.overdue)
