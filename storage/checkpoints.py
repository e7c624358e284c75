"""A closed month's replayed measures, kept so that the reports after it need not replay again.

A month's end is rebuilt from the audit trail, the dispatch items, the answers and the
look-backs dated before it (storage.as_of). Once the month is over that picture should not
move, but a clock set back, a late write or a renamed person can still move it: so the
checkpoint keeps a print of its sources (the trail's last seq; counts and id sums of the other
rows dated before the moment; the people's names) and is read only while the print still
matches. Codes and area numbers are today's in every picture, so they are never kept.
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Mapping
from datetime import date, datetime, timedelta
from typing import Any
from uuid import uuid4
from zoneinfo import ZoneInfo

from sqlalchemy import case, delete, func, insert, or_
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Answer, Health, MeasureFacts, Status
from storage import as_of, picture
from storage.documents import day_after
from storage.models import AuditEvent, DispatchItem, Person, Programme, ProgressUpdate
from storage.models_closing import LookBack
from storage.models_report import ReplayCheckpoint

Sources = dict[str, Any]
# by value, without the Enum call per field: a programme has 10,000 measures
STATUSES = {s.value: s for s in Status}
HEALTHS: dict[str | None, Health | None] = {None: None, **{h.value: h for h in Health}}
# the checkpoints last decoded, by (programme, row id, print): the months' reports, documents and
# circulars ask for the same month's end in turn, and decoding 10,000 facts is most of a read
DECODED = 8
_DECODED: OrderedDict[
    tuple[int, int, str], tuple[dict[int, str], dict[str, int], tuple[MeasureFacts, ...]]
] = OrderedDict()


async def facts_at(
    session: AsyncSession,
    *,
    programme: Programme,
    at: datetime,
    now: datetime,
    codes: Mapping[int, str] | None = None,
) -> list[MeasureFacts]:
    """as_of.facts_at, from the checkpoint at `at` while its sources are unchanged; a month's
    end already past at `now` that had none, or a stale one, is replayed and kept."""
    with picture.quiet_gc():
        return await _facts_at(session, programme=programme, at=at, now=now, codes=codes)


async def _facts_at(
    session: AsyncSession,
    *,
    programme: Programme,
    at: datetime,
    now: datetime,
    codes: Mapping[int, str] | None,
) -> list[MeasureFacts]:
    assert programme.id is not None
    pid, tz = programme.id, programme.timezone
    if at > now or not _month_end(at, tz):
        # a month still going (what is dated before its end is still being written), or a
        # moment that is no month's end: one row per month at most
        return await as_of.facts_at(session, programme=programme, at=at)
    c = ReplayCheckpoint
    query = (
        sa_select(col(c.id), col(c.sources))
        .where(col(c.programme_id) == pid, col(c.at) == at, col(c.timezone) == tz)
        .order_by(col(c.id).desc())
        .limit(1)
    )
    kept = (await (await session.connection()).execute(query)).first()
    # read before the replay: a write landing in between leaves a print that no longer holds
    sources = {"seq": await _last_seq(session, pid), "prints": await _prints(session, pid, at)}
    if kept is not None:
        old = json.loads(kept[1])
        if old["prints"] == sources["prints"] and not await _later_events(session, pid, at, old):
            codes = codes if codes is not None else await as_of.measure_codes(session, pid)
            row_id, printed = kept
            assert row_id is not None
            return await _read(session, (row_id, printed), codes, pid, tz)
    codes = codes if codes is not None else await as_of.measure_codes(session, pid)
    numbers = await as_of.area_numbers(session, pid)
    pairs = await as_of.measures_at(
        session, programme=programme, at=at, codes=codes, numbers=numbers
    )
    facts = as_of.in_ledger_order(f for _, f in pairs)
    # only once the ledger is in: before that, the picture hangs on the first import still to
    # come (storage.as_of._states_at)
    first = await as_of.first_import(session, programme=programme)
    if first is not None and first < at:
        row = await _keep(session, pid, tz, at, now, sources, pairs)
        _remember((pid, *row), codes, numbers, facts)
    return facts


def _month_end(at: datetime, tz: str) -> bool:
    """Whether `at` is the first moment of a month in the zone (a month's end, as reports ask)."""
    local = at.astimezone(ZoneInfo(tz))
    return local.day == 1 and at == day_after(local.date() - timedelta(days=1), tz)


async def _last_seq(session: AsyncSession, pid: int) -> int:
    """The trail's last seq: every event after it is recorded later."""
    query = sa_select(func.max(col(AuditEvent.seq))).where(col(AuditEvent.programme_id) == pid)
    return int((await (await session.connection()).execute(query)).scalar_one_or_none() or 0)


async def _keep(
    session: AsyncSession,
    pid: int,
    tz: str,
    at: datetime,
    now: datetime,
    sources: Sources,
    pairs: list[tuple[int, MeasureFacts]],
) -> tuple[int, str]:
    """Replace the checkpoint at `at` (two writers at once leave two rows: the newest is read);
    its id and print, which names this write alone (a row id can come back after a delete)."""
    conn = await session.connection()
    c = ReplayCheckpoint
    await conn.execute(
        delete(c).where(col(c.programme_id) == pid, col(c.at) == at, col(c.timezone) == tz)
    )
    printed = json.dumps({**sources, "written": uuid4().hex})
    done = await conn.execute(
        insert(c)
        .values(
            programme_id=pid,
            at=at,
            timezone=tz,
            sources=printed,
            facts=json.dumps([[mid, *_encode(f)] for mid, f in pairs], ensure_ascii=False),
            written_at=now,
        )
        .returning(col(c.id))
    )
    row_id = done.scalar_one()
    assert row_id is not None
    return row_id, printed


async def _later_events(session: AsyncSession, pid: int, at: datetime, sources: Sources) -> bool:
    """Whether the trail (append-only, in seq order) recorded an event dated before `at` after
    the checkpoint was written: a clock set back, or a backdated write."""
    e = AuditEvent
    query = (
        sa_select(col(e.seq))
        .where(col(e.programme_id) == pid, col(e.seq) > sources["seq"], col(e.at) < at)
        .limit(1)
    )
    return (await (await session.connection()).execute(query)).first() is not None


async def _prints(session: AsyncSession, pid: int, at: datetime) -> Sources:
    """What the month's end is rebuilt from besides the trail, as counts and id sums of the rows
    dated before `at` (undated dispatch rows too: they count at every moment)."""
    conn = await session.connection()
    d = DispatchItem
    answered = col(d.answered) & (col(d.answered_at).is_(None) | (col(d.answered_at) < at))
    undelivered = col(d.delivered_at).is_(None)
    items = sa_select(
        func.count(),
        func.sum(col(d.id)),
        func.sum(case((col(d.delivered), col(d.id)), else_=0)),
        func.sum(case((col(d.short), col(d.id)), else_=0)),
        func.sum(case((answered, col(d.id)), else_=0)),
        func.sum(case((undelivered, col(d.id)), else_=0)),
    ).where(col(d.programme_id) == pid, or_(undelivered, col(d.delivered_at) < at, answered))
    u = ProgressUpdate
    updates = sa_select(func.count(), func.sum(col(u.id))).where(
        col(u.programme_id) == pid, col(u.created_at) < at
    )
    lb = LookBack
    looks = sa_select(func.count(), func.sum(col(lb.id)), func.sum(func.length(lb.note))).where(
        col(lb.programme_id) == pid, col(lb.verdict).is_not(None), col(lb.answered_at) < at
    )
    names = sa_select(col(Person.id), col(Person.name)).where(col(Person.programme_id) == pid)
    people = hashlib.sha256()
    for person_id, name in (await conn.execute(names.order_by(col(Person.id)))).all():
        people.update(f"{person_id}\t{name}\n".encode())
    return {
        "items": [int(v or 0) for v in (await conn.execute(items)).one()],
        "updates": [int(v or 0) for v in (await conn.execute(updates)).one()],
        "lookbacks": [int(v or 0) for v in (await conn.execute(looks)).one()],
        "people": people.hexdigest(),
    }


def _day(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _undate(value: str | None) -> date | None:
    return date.fromisoformat(value) if value is not None else None


def _encode(f: MeasureFacts) -> list[Any]:
    """A measure's facts but its code and area number, as JSON values."""
    a = f.latest
    latest = None
    if a is not None:
        # the answer's moment as its wall time and fold in the programme's zone: read back exact
        latest = [
            a.health.value if a.health else None, a.at.replace(tzinfo=None).isoformat(),
            a.at.fold, a.by, a.percent, a.note, a.blockers, a.lookback,
        ]  # fmt: skip
    return [
        f.text, f.area, f.problem, f.leader, f.lead_unit, f.owner, _day(f.deadline),
        f.status.value, f.health.value if f.health else None, f.silent_dispatches,
        _day(f.closed_on), list(f.co_units),
        f.last_update.isoformat() if f.last_update is not None else None,
        latest, f.immediate, _day(f.original_deadline), _day(f.forecast),
    ]  # fmt: skip


async def _read(
    session: AsyncSession, row: tuple[int, str], codes: Mapping[int, str], pid: int, tz: str
) -> list[MeasureFacts]:
    """The kept facts with today's codes and area numbers, in ledger order: decoded once per
    process while the row (its id and print) and those codes and numbers stay as they were."""
    numbers = await as_of.area_numbers(session, pid)
    key = (pid, *row)
    seen = _DECODED.get(key)
    if seen is not None and seen[0] == codes and seen[1] == numbers:
        _DECODED.move_to_end(key)
        return list(seen[2])
    c = ReplayCheckpoint
    query = sa_select(col(c.facts)).where(col(c.id) == row[0])
    rows = json.loads((await (await session.connection()).execute(query)).scalar_one())
    facts = _placed(codes, numbers, rows, tz)
    _remember(key, codes, numbers, facts)
    return facts


def _remember(
    key: tuple[int, int, str],
    codes: Mapping[int, str],
    numbers: Mapping[str, int],
    facts: list[MeasureFacts],
) -> None:
    _DECODED[key] = (dict(codes), dict(numbers), tuple(facts))
    while len(_DECODED) > DECODED:
        _DECODED.popitem(last=False)


def _placed(
    codes: Mapping[int, str], numbers: Mapping[str, int], rows: list[list[Any]], tz: str
) -> list[MeasureFacts]:
    """The kept facts with today's codes and area numbers, in ledger order."""
    zone = ZoneInfo(tz)
    out = []
    for row in rows:
        (mid, text, area, problem, leader, lead_unit, owner, deadline, status, health, silent,
         closed_on, co, last, latest, immediate, original, forecast) = row  # fmt: skip
        answer = None
        if latest is not None:
            ah, at, fold, by, percent, note, blockers, lookback = latest
            answer = Answer(
                health=HEALTHS[ah],
                at=datetime.fromisoformat(at).replace(tzinfo=zone, fold=fold),
                by=by, percent=percent, note=note, blockers=blockers, lookback=lookback,
            )  # fmt: skip
        out.append(
            MeasureFacts(
                code=codes.get(mid, ""),
                text=text,
                area_number=numbers.get(area, 0),
                area=area,
                problem=problem,
                leader=leader,
                lead_unit=lead_unit,
                owner=owner,
                deadline=_undate(deadline),
                status=STATUSES[status],
                health=HEALTHS[health],
                silent_dispatches=silent,
                closed_on=_undate(closed_on),
                co_units=tuple(co),
                last_update=datetime.fromisoformat(last) if last is not None else None,
                latest=answer,
                immediate=immediate,
                original_deadline=_undate(original),
                forecast=_undate(forecast),
            )
        )
    return as_of.in_ledger_order(out)
