"""Measures as domain facts: what the pictures, the documents and the handlers read."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, func
from sqlalchemy import select as sa_select
from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.closing import latest_word
from core.domain.model import ANSWERABLE, Answer, MeasureFacts, code_key
from storage import db, lookbacks, picture
from storage.documents import moment
from storage.models import (
    Area,
    CoOwner,
    Measure,
    Person,
    Problem,
    Programme,
    ProgressUpdate,
    Unit,
)
from storage.picture import HEALTH, STATUS, co_units


async def latest_answers(
    session: AsyncSession,
    *,
    programme_id: int,
    measure_id: int | None = None,
    before: datetime | None = None,
    measure_ids: Sequence[int] | None = None,
) -> dict[int, Answer]:
    """Each measure's (or one's, or some's) latest answer (before a moment, if given): its latest
    progress update, or a look-back answered after it."""
    which = select(func.max(ProgressUpdate.id).label("id")).where(
        ProgressUpdate.programme_id == programme_id
    )
    if before is not None:
        which = which.where(col(ProgressUpdate.created_at) < before)
    if measure_id is not None:
        which = which.where(ProgressUpdate.measure_id == measure_id)
    if measure_ids is not None:
        which = which.where(col(ProgressUpdate.measure_id).in_(measure_ids))
    last = which.group_by(col(ProgressUpdate.measure_id)).subquery()
    u = ProgressUpdate
    fields = (u.measure_id, u.health, u.created_at, Person.name, u.percent, u.note, u.blockers)
    # plain rows on the session's connection, not ORM objects: one per measure, 10,000 at scale
    conn = await session.connection()
    rows: Sequence[Any] = (
        await conn.execute(
            sa_select(*(col(c) for c in fields))
            .join(last, col(u.id) == last.c.id)
            .join(Person, col(Person.id) == u.person_id, isouter=True)
        )
    ).all()
    # no health and no person: a progress note imported with the ledger (by the CLI)
    updates = {
        m: Answer(health=HEALTH[h or None], at=at, by=by or "", percent=pc, note=note, blockers=bl)
        for m, h, at, by, pc, note, bl in rows
    }
    ids = [measure_id] if measure_id is not None else measure_ids
    looked = await lookbacks.latest_answers(
        session, programme_id=programme_id, before=before, measure_ids=ids
    )
    programme = await session.get(Programme, programme_id)
    tz = programme.timezone if programme is not None else "UTC"
    out = {}
    for m in updates.keys() | looked.keys():
        word = latest_word(updates.get(m), looked.get(m))
        if word is not None:
            # in the programme's time zone: the day it shows is the day people lived it
            out[m] = replace(word, at=moment(word.at, tz))
    return out


def _live(programme_id: int, owner_ids: Sequence[int] | None) -> ColumnElement[bool]:
    """The live measures of a programme (or of some owners), as a WHERE clause."""
    where = [col(Measure.programme_id) == programme_id, col(Measure.removed_at).is_(None)]
    if owner_ids is not None:
        where.append(col(Measure.owner_id).in_(owner_ids))
    return and_(*where)


async def _context(
    session: AsyncSession,
    programme_id: int,
    as_of: tuple[datetime, str] | None,
    ids: Sequence[int] | None = None,
) -> tuple[dict[int, str], dict[int, Answer]]:
    """Names of people and latest answers (as of a moment; of some measures, if given)."""
    conn = await session.connection()
    named = sa_select(col(Person.id), col(Person.name)).where(
        col(Person.programme_id) == programme_id
    )
    if ids is not None:  # only the people of these measures: a few names, not thousands
        of = sa_select(col(Measure.owner_id), col(Measure.leader_id)).where(
            col(Measure.id).in_(ids)
        )
        wanted = {p for row in (await conn.execute(of)).all() for p in row if p is not None}
        named = named.where(col(Person.id).in_(wanted))
    people_rows = await conn.execute(named)
    people = {pid: name for pid, name in people_rows.all() if pid is not None}
    latest = await latest_answers(
        session, programme_id=programme_id, before=as_of[0] if as_of else None, measure_ids=ids
    )
    return people, latest


def _fact(
    m: Any,
    where: tuple[int, str, str, str],
    silent: int,
    context: tuple[dict[int, str], dict[int, Answer]],
) -> MeasureFacts:
    """One measure's facts from its row (an ORM Measure or a plain row of its columns)."""
    area_number, area, problem, unit = where
    people, latest = context
    return MeasureFacts(
        code=m.code,
        text=m.text,
        area_number=area_number,
        area=area,
        problem=problem,
        leader=people.get(m.leader_id, "") if m.leader_id else "",
        lead_unit=unit,
        owner=people.get(m.owner_id, ""),
        deadline=m.deadline,
        original_deadline=m.original_deadline,
        status=STATUS[m.status],
        health=HEALTH[m.health],
        silent_dispatches=silent or 0,
        closed_on=m.closed_on,
        co_units=co_units(m.co_units),
        last_update=m.updated_at,
        latest=latest.get(m.id or 0),
        immediate=m.immediate,
        forecast=m.forecast,
    )


async def facts(
    session: AsyncSession,
    *,
    programme_id: int,
    owner_ids: Sequence[int] | None = None,
    involving: Sequence[int] | None = None,
    as_of: tuple[datetime, str] | None = None,
    ids: Sequence[int] | None = None,
) -> list[tuple[Measure, MeasureFacts]]:
    """Every live measure of the programme (or of some owners, or owned or co-owned by some
    people, or some by id) with its facts, in ledger order of areas and by code within them.

    With as_of (a moment and the last dispatch period by then) answers and silences come from
    before that moment; statuses and deadlines are undone by the caller (core.domain.as_of).
    """
    silent = picture.live_run(programme_id, last_period=as_of[1] if as_of else None)
    query = (
        sa_select(Measure, Area, Problem, Unit, silent)
        .join(Area, col(Area.id) == Measure.area_id)
        .join(Problem, col(Problem.id) == Measure.problem_id)
        .join(Unit, col(Unit.id) == Measure.lead_unit_id)
        .where(_live(programme_id, owner_ids))
    )
    if involving is not None:
        co = select(CoOwner.measure_id).where(col(CoOwner.person_id).in_(involving))
        query = query.where(or_(col(Measure.owner_id).in_(involving), col(Measure.id).in_(co)))
    if ids is not None:
        query = query.where(col(Measure.id).in_(ids))
    rows = (await db.rows(session, query)).all()
    context = await _context(session, programme_id, as_of, ids)
    out = [
        (m, _fact(m, (area.number, area.name, problem.name, unit.name), n, context))
        for m, area, problem, unit, n in rows
    ]
    out.sort(key=lambda pair: (pair[1].area_number, code_key(pair[0].code)))
    return out


async def facts_only(
    session: AsyncSession,
    *,
    programme_id: int,
    owner_ids: Sequence[int] | None = None,
    as_of: tuple[datetime, str] | None = None,
) -> list[MeasureFacts]:
    """The same facts as `facts`, by code, from plain rows: for read-only pictures at scale."""
    # what _fact reads: the ids of area, problem and unit come as their names
    m = Measure
    columns = [
        col(c)
        for c in (m.id, m.code, m.text, m.leader_id, m.owner_id, m.deadline, m.original_deadline)
    ] + [
        col(c)
        for c in (
            m.status,
            m.health,
            m.closed_on,
            m.co_units,
            m.updated_at,
            m.immediate,
            m.forecast,
        )
    ]
    names = (col(Area.number), col(Area.name), col(Problem.name), col(Unit.name))
    silent = picture.live_run(programme_id, last_period=as_of[1] if as_of else None)
    query = (
        sa_select(*columns, *names, silent)
        .join(Area, col(Area.id) == Measure.area_id)
        .join(Problem, col(Problem.id) == Measure.problem_id)
        .join(Unit, col(Unit.id) == Measure.lead_unit_id)
        .where(_live(programme_id, owner_ids))
    )
    conn = await session.connection()
    rows: Sequence[Any] = (await conn.execute(query)).all()
    context = await _context(session, programme_id, as_of)
    w = len(columns)
    out = [_fact(r, (r[w], r[w + 1], r[w + 2], r[w + 3]), r[w + 4], context) for r in rows]
    out.sort(key=lambda f: (f.area_number, code_key(f.code)))
    return out


async def answerable_owners(session: AsyncSession, *, programme_id: int) -> set[int]:
    """The owners of the programme's live measures that a dispatch lists (ANSWERABLE)."""
    conn = await session.connection()
    query = (
        sa_select(col(Measure.owner_id))
        .where(_live(programme_id, None), col(Measure.status).in_(_ANSWERABLE))
        .distinct()
    )
    return {o for (o,) in (await conn.execute(query)).all()}


_ANSWERABLE = sorted(s.value for s in ANSWERABLE)


async def by_id(session: AsyncSession, *, programme_id: int, measure_id: int) -> Measure | None:
    """A live measure of the programme by id (None for another programme's)."""
    m = await session.get(Measure, measure_id)
    if m is None or m.programme_id != programme_id or m.removed_at is not None:
        return None
    return m
