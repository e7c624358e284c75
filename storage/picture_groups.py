"""The live picture counted by groups in the database (core.domain.tally): no row per measure.

One query counts the measures by area and light inputs, deadlines and forecasts told only as
far as a light tells them apart; core lights each group once; a second query reads the lean
rows of the few measures the picture can list, which core.domain.glance ranks as before.
"""

from __future__ import annotations

import heapq
from collections.abc import Sequence
from datetime import date, timedelta
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
from core.domain.model import code_key
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


def _int(n: int) -> ColumnElement[int]:
    # inline: a small integer, and bound parameters would differ between the select list and
    # GROUP BY on PostgreSQL
    return literal_column(str(int(n)), Integer)


def _offsets(today: date, w: Window) -> tuple[ColumnElement[int], ColumnElement[int]]:
    """(deadline - today, forecast - deadline), clamped to the window; NULL without a date.

    Dates beyond the window are told by comparing them (cheap, and ISO text on SQLite
    compares as dates), so the day arithmetic runs only for those inside it.
    """
    m = Measure
    deadline, forecast = col(m.deadline), col(m.forecast)
    lo, hi = (literal(today + timedelta(days=d), Date) for d in (w.due_lo, w.due_hi))
    due = case(
        (deadline < lo, _int(w.due_lo)),
        (deadline > hi, _int(w.due_hi)),
        else_=days_between(deadline, literal(today, Date)),
    )
    after = days_between(forecast, deadline)
    late = case(
        (forecast <= deadline, _int(w.late_lo)),  # late_lo is 0: on or before the deadline
        (after > _int(w.late_hi), _int(w.late_hi)),
        else_=after,
    )
    return due, late


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
    columns = (
        col(m.area_id),
        col(Area.number),
        col(Area.name),
        col(m.status),
        col(m.health),
        col(m.immediate),
    )
    labelled = (kept_flag().label("silent"), due.label("due_in"), after.label("forecast_after"))
    query = (
        select(*columns, *labelled, func.count())
        .join(Area, col(Area.id) == m.area_id)
        .outerjoin(MeasureState, col(MeasureState.measure_id) == m.id)
        .where(*_live(programme_id, owner_id))
        .group_by(*columns, *(literal_column(c.name) for c in labelled))
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


def _in(key: Any, groups: Sequence[Kind], today: date, w: Window) -> ColumnElement[bool]:
    """The measures of these groups: first by area and deadline range (cheap comparisons that
    spare most rows the key's arithmetic), then by the key itself."""
    m = Measure
    terms: list[ColumnElement[bool]] = [col(m.area_id).in_(sorted({k.area_id for k in groups}))]
    due = [k.due_in for k in groups]
    if None not in due:
        hi = max(d for d in due if d is not None)
        if hi < w.due_hi:
            terms.append(col(m.deadline) <= today + timedelta(days=hi))
        lo = min(d for d in due if d is not None)
        if lo > w.due_lo:
            terms.append(col(m.deadline) >= today + timedelta(days=lo))
    terms.append(key.in_([_value(k) for k in groups]))
    return and_(*terms)


async def _first_by_code(
    conn: AsyncConnection, where: list[Any], groups: Sequence[Kind], listed: int, in_: Any
) -> list[int]:
    """The ids of the `listed` first measures of these groups in ledger order."""
    if not groups:
        return []
    number = {k.area_id: k.area_number for k in groups}
    query = select(col(Measure.id), col(Measure.code), col(Measure.area_id))
    query = query.outerjoin(MeasureState, col(MeasureState.measure_id) == Measure.id)
    found = (await conn.execute(query.where(*where, in_(groups)))).all()
    first = heapq.nsmallest(listed, found, key=lambda r: (number[r[2]], code_key(r[1])))
    return [r[0] for r in first if r[0] is not None]


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

        def in_(groups: Sequence[Kind]) -> ColumnElement[bool]:
            return _in(key, groups, today, w)

        where = _live(programme_id, owner_id)
        ids = await _first_by_code(conn, where, t.red, listed, in_)
        ids += await _first_by_code(conn, where, t.yellow, listed, in_)
        only: list[Any] = [col(Measure.id).in_(ids)] if ids else []
        if t.late:
            only.append(in_(t.late))
        candidates = await rows(conn, programme_id=programme_id, owner_id=owner_id, only=or_(*only))
    few = glance(candidates, today, listed)
    return Glance(t.counts, t.areas, few.red, few.yellow, few.overdue)
