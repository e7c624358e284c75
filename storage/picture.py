"""Lean rows of a programme's live measures, for pictures at scale: light inputs, no history."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import ColumnElement, ScalarSelect, and_, case, func, literal, select
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from core.domain.glance import Row
from core.domain.lights import SILENT_DISPATCHES
from core.domain.model import Health, Status
from storage.models import Area, DispatchItem, Measure, Unit
from storage.models_state import MeasureState

_ITEMS = DispatchItem.__table__  # type: ignore[attr-defined]
# made once: an alias builds a proxy of each of its columns on first use, per /summary if made per call
_SILENT_ITEMS = _ITEMS.alias("silent_item")
_ANSWERED_ITEMS = _ITEMS.alias("answered_item")
# stored values to enums by dict: a lookup per row is cheaper than the enum's constructor
STATUS = {s.value: s for s in Status}
HEALTH: dict[str | None, Health | None] = {None: None, **{h.value: h for h in Health}}


_pauses = 0  # pictures being built now (one event loop: no lock needed)
_collecting = True  # whether the collector ran before the first of them began


@contextmanager
def quiet_gc() -> Iterator[None]:
    """No cyclic garbage collection while a picture is built.

    A picture of 10,000 measures allocates tens of thousands of small acyclic tuples, which set
    off collections of every generation, each walking the whole heap of a long-running process:
    measured, most of /summary's time at scale. Reference counting still frees them; the
    collector runs again as usual once the last picture being built is done.
    """
    global _pauses, _collecting
    if _pauses == 0:
        _collecting = gc.isenabled()
        gc.disable()
    _pauses += 1
    try:
        yield
    finally:
        _pauses -= 1
        if _pauses == 0 and _collecting:
            gc.enable()


def co_units(stored: str | None) -> tuple[str, ...]:
    """A measure's co-units as stored (joined with 、)."""
    return tuple(u for u in stored.split("、") if u) if stored else ()


def _asked(items: Any, programme_id: int, last_period: str | None) -> list[Any]:
    """The outer measure's dispatch items (as WHERE terms), up to a period if given."""
    where: list[Any] = [items.c.programme_id == programme_id, items.c.measure_id == col(Measure.id)]
    if last_period is not None:
        where.append(items.c.period <= last_period)
    return where


def _silent(items: Any) -> Any:
    """An item that counts as silence (core.domain.dispatches.silent_streak): it reached the
    owner with time to answer and got no answer. Others neither count nor end a run, but an
    answer, delivered or not, ends it."""
    return and_(items.c.delivered, ~items.c.short, ~items.c.answered)


def _last_answer(programme_id: int, last_period: str | None) -> ScalarSelect[Any]:
    """The period of the outer measure's latest answered dispatch ('' for none)."""
    answered = _ANSWERED_ITEMS
    return (
        select(func.coalesce(func.max(answered.c.period), literal("")))
        .where(*_asked(answered, programme_id, last_period), answered.c.answered)
        .correlate(Measure)  # to the outer select of measures, however deep it is nested
        .scalar_subquery()
    )


def silent_run(programme_id: int, *, last_period: str | None = None) -> ScalarSelect[int]:
    """core.domain.dispatches.silent_run of each measure, as a column (tests hold them equal).

    Its silent dispatches after its latest answered one: index look-ups per measure.
    """
    items = _SILENT_ITEMS
    return (
        select(func.count())
        .select_from(items)
        .where(
            *_asked(items, programme_id, last_period),
            _silent(items),
            items.c.period > _last_answer(programme_id, last_period),
        )
        .scalar_subquery()
    )


def silent_flag(programme_id: int, *, last_period: str | None = None) -> ColumnElement[int]:
    """SILENT_DISPATCHES when the measure's silent run is at least that long, else 0.

    Per measure, two index look-ups (the covering ix_dispatchitem_silence): the period of its
    SILENT_DISPATCHES-th latest silent dispatch, and its latest answered one, which must come
    before.
    """
    items = _SILENT_ITEMS
    nth = (
        select(items.c.period)
        .where(*_asked(items, programme_id, last_period), _silent(items))
        .order_by(items.c.period.desc())
        .limit(1)
        .offset(SILENT_DISPATCHES - 1)
        .scalar_subquery()
    )
    silent = and_(
        col(Measure.status) != Status.CLOSED.value, nth > _last_answer(programme_id, last_period)
    )
    return case((silent, SILENT_DISPATCHES), else_=0)


def kept_run() -> ScalarSelect[int]:
    """The outer measure's silent run as kept (storage/current_state.py): 0 before any dispatch."""
    return (
        select(func.coalesce(func.max(col(MeasureState.silent_run)), 0))
        .where(col(MeasureState.measure_id) == col(Measure.id))
        .correlate(Measure)
        .scalar_subquery()
    )


def live_run(programme_id: int, *, last_period: str | None = None) -> Any:
    """The silent run as a column: kept for the live picture, from the items up to a period."""
    if last_period is None:
        return kept_run()
    return silent_run(programme_id, last_period=last_period)


def kept_flag() -> ColumnElement[int]:
    """silent_flag from the kept run (outer-joined): the same rule on a column."""
    run = func.coalesce(col(MeasureState.silent_run), 0)
    silent = and_(col(Measure.status) != Status.CLOSED.value, run >= SILENT_DISPATCHES)
    return case((silent, SILENT_DISPATCHES), else_=0)


async def rows(
    conn: AsyncConnection,
    *,
    programme_id: int,
    owner_id: int | None = None,
    last_period: str | None = None,
    only: ColumnElement[bool] | None = None,
) -> list[Row]:
    """Every live measure of the programme (or of one owner) as a lean row, in no set order.

    Live (no last_period), silence is read from each measure's kept row, not its dispatch items.
    `only`: a further condition on the measures (storage/picture_groups.py's listed few).
    """
    m = Measure
    live = last_period is None
    query = (
        select(
            col(m.id),
            col(m.code),
            col(Area.number),
            col(Area.name),
            col(Unit.name),
            col(m.co_units),
            col(m.deadline),
            col(m.status),
            col(m.health),
            col(m.immediate),
            kept_flag() if live else silent_flag(programme_id, last_period=last_period),
            col(m.forecast),
        )
        .join(Area, col(Area.id) == m.area_id)
        .join(Unit, col(Unit.id) == m.lead_unit_id)
    )
    if live:
        query = query.outerjoin(MeasureState, col(MeasureState.measure_id) == m.id)
    query = query.where(col(m.programme_id) == programme_id, col(m.removed_at).is_(None))
    if owner_id is not None:
        query = query.where(col(m.owner_id) == owner_id)
    if only is not None:
        query = query.where(only)
    result = (await conn.execute(query)).all()  # one fetch: row by row costs a call each
    return [
        Row(
            i or 0,
            code,
            number,
            area,
            unit,
            co_units(co),
            deadline,
            STATUS[status],
            HEALTH[health],
            bool(immediate),
            int(silent or 0),
            forecast,
        )
        for i, code, number, area, unit, co, deadline, status, health, immediate, silent, forecast in result
    ]
