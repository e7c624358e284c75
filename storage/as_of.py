"""The programme as of a moment: its measures rebuilt from the audit trail up to then."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func
from sqlalchemy import select as sa_select
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.dispatches import DispatchFact, silent_run
from core.domain.documents import months_up_to
from core.domain.model import MeasureFacts, Status, code_key
from core.domain.replay import REPLAYED, Recorded, State, closings, live, replay, replay_each
from core.domain.report import month_end
from storage import audit
from storage.documents import day_after
from storage.measures import latest_answers
from storage.models import Area, AuditEvent, DispatchItem, Measure, Programme
from storage.picture import co_units

MEASURE_EVENTS = "measure"
ANSWERED = "measure.update"
SIGNED_OFF = "measure.signoff_approve"


async def _silences(session: AsyncSession, programme_id: int, at: datetime) -> dict[int, int]:
    """Each measure's silent run as of a moment, by the domain's one rule (core.domain.dispatches)."""
    d = DispatchItem
    # silence reads neither the window's end nor anything else: five columns of 100,000 rows
    fields = (d.period, d.delivered, d.answered, d.short, d.delivered_at, d.answered_at)
    # only the items after each measure's latest one answered by then: a run never reaches past it
    later = DispatchItem.__table__.alias("answered_item")  # type: ignore[attr-defined]
    last = (
        sa_select(func.max(later.c.period))
        .where(
            later.c.programme_id
            == programme_id,  # the index (ix_dispatchitem_silence) leads with it
            later.c.measure_id == col(d.measure_id),
            later.c.answered,
            later.c.answered_at.is_(None) | (later.c.answered_at < at),
        )
        .scalar_subquery()
    )
    query = sa_select(col(d.measure_id), *(col(f) for f in fields)).where(
        col(d.programme_id) == programme_id,
        col(d.delivered_at).is_(None) | (col(d.delivered_at) < at),
        (last.is_(None)) | (col(d.period) >= last),
    )
    # plain rows: a programme of 10,000 measures has 100,000 items and more
    items: dict[int, list[DispatchFact]] = {}
    for mid, *values in (await (await session.connection()).execute(query)).all():
        items.setdefault(mid, []).append(DispatchFact(*values))
    return {mid: silent_run(mine, at) for mid, mine in items.items()}


def _recorded(rows: Sequence[Any], tz: str) -> list[Recorded]:
    """(measure id, action, at, after) rows as the replay reads them, each dated in the zone."""
    zone = ZoneInfo(tz)
    return [
        Recorded(mid, action, at, at.astimezone(zone).date(), audit.load(after) or {})
        for mid, action, at, after in rows
        if mid is not None
    ]


async def measure_codes(session: AsyncSession, programme_id: int) -> dict[int, str]:
    """Every measure's code by id, removed ones too (their events still name them)."""
    query = sa_select(col(Measure.id), col(Measure.code)).where(
        col(Measure.programme_id) == programme_id
    )
    return {
        mid or 0: code for mid, code in (await (await session.connection()).execute(query)).all()
    }


async def area_numbers(session: AsyncSession, programme_id: int) -> dict[str, int]:
    """Each area's number by name (today's: a picture of the past is put in today's order)."""
    areas = sa_select(col(Area.name), col(Area.number)).where(
        col(Area.programme_id) == programme_id
    )
    conn = await session.connection()
    return {name: number for name, number in (await conn.execute(areas)).all()}


async def events(
    session: AsyncSession,
    *,
    programme: Programme,
    until: datetime | None = None,
    answers: bool = True,
) -> list[Recorded]:
    """The programme's measure events the replay reads, before a moment (all if None), in order.

    Answers are most of a trail (ten for each measure at scale), and a run of answers with
    nothing else between them moves a measure as its first (the status) and its last (the
    health) do: the database keeps only those two of each run, so Python parses a tenth.
    Without `answers` none of them: what is closed when never hangs on an answer.
    """
    e = AuditEvent
    where = [
        col(e.programme_id) == programme.id,
        col(e.entity) == MEASURE_EVENTS,
        col(e.action).in_(REPLAYED if answers else REPLAYED - {ANSWERED}),
    ]
    if until is not None:
        where.append(col(e.at) < until)
    trail = (
        sa_select(
            col(e.seq).label("seq"),
            col(e.action).label("action"),
            func.lag(col(e.action))
            .over(partition_by=col(e.entity_id), order_by=col(e.seq))
            .label("before"),
            func.lead(col(e.action))
            .over(partition_by=col(e.entity_id), order_by=col(e.seq))
            .label("next"),
        )
        .where(*where)
        .subquery()
    )
    t = trail.c
    # the window runs over narrow rows; only the kept ones fetch their text, by (programme, seq)
    kept = (
        sa_select(col(e.entity_id), col(e.action), col(e.at), col(e.after))
        .join(trail, (col(e.programme_id) == programme.id) & (col(e.seq) == t.seq))
        .where(
            (t.action != ANSWERED)
            | t.before.is_(None)
            | (t.before != ANSWERED)
            | t.next.is_(None)
            | (t.next != ANSWERED)
        )
        .order_by(t.seq)
    )
    conn = await session.connection()
    return _recorded((await conn.execute(kept)).all(), programme.timezone)


async def first_import(session: AsyncSession, *, programme: Programme) -> datetime | None:
    """When the ledger first came in (None before any import)."""
    e = AuditEvent
    query = (
        sa_select(col(e.at))
        .where(col(e.programme_id) == programme.id, col(e.action) == "measure.import")
        .order_by(col(e.seq))
        .limit(1)
    )
    conn = await session.connection()
    return (await conn.execute(query)).scalar_one_or_none()


def _states_at(
    recorded: Sequence[Recorded], first: datetime | None, at: datetime
) -> dict[int, State]:
    """The live measures' states at a moment; before the first import, as it imported them."""
    if first is not None and first >= at:
        # that import's own events only, even those of a later action recorded at the same moment
        recorded = [e for e in recorded if e.action == "measure.import" and e.at == first]
        at = first + timedelta(microseconds=1)
    return live(replay(recorded, at))


def states_each(
    recorded: Sequence[Recorded], first: datetime | None, moments: Sequence[datetime]
) -> Iterator[dict[int, State]]:
    """_states_at for each moment (earliest first), the trail replayed once for the moments
    after the first import; each dict holds states moved on afterwards: read it at once."""
    before = [at for at in moments if first is not None and first >= at]
    for at in before:
        yield _states_at(recorded, first, at)
    for states in replay_each(recorded, moments[len(before) :]):
        yield live(states)


async def facts_at(
    session: AsyncSession,
    *,
    programme: Programme,
    at: datetime,
    recorded: Sequence[Recorded] | None = None,
) -> list[MeasureFacts]:
    """The measures in the ledger at a moment, as the events before it say, in ledger order.

    A moment before the ledger came into the bot shows the ledger as it was first imported:
    offices start with a ledger 'as of' a past day, and a report on that day shows it.
    """
    pairs = await measures_at(session, programme=programme, at=at, recorded=recorded)
    return in_ledger_order(f for _, f in pairs)


def in_ledger_order(facts: Iterable[MeasureFacts]) -> list[MeasureFacts]:
    """By area number, then code (stable: ties keep the replay's order)."""
    return sorted(facts, key=lambda f: (f.area_number, code_key(f.code)))


async def measures_at(
    session: AsyncSession,
    *,
    programme: Programme,
    at: datetime,
    recorded: Sequence[Recorded] | None = None,
    codes: Mapping[int, str] | None = None,
    numbers: Mapping[str, int] | None = None,
) -> list[tuple[int, MeasureFacts]]:
    """facts_at with each measure's id, in the replay's order (what a checkpoint keeps); `codes`
    and `numbers`: measure_codes and area_numbers already read."""
    assert programme.id is not None
    pid = programme.id
    first = await first_import(session, programme=programme)
    if recorded is None:
        until = at if first is None or first < at else first + timedelta(microseconds=1)
        recorded = await events(session, programme=programme, until=until)
    states = _states_at(recorded, first, at)
    codes = codes if codes is not None else await measure_codes(session, pid)
    numbers = numbers if numbers is not None else await area_numbers(session, pid)
    silent = await _silences(session, pid, at)
    latest = await latest_answers(session, programme_id=pid, before=at)
    out = []
    for mid, s in states.items():
        n = s.names
        out.append((
            mid,
            MeasureFacts(
                code=codes.get(mid, ""),
                text=n.get("text", ""),
                area_number=numbers.get(n.get("area", ""), 0),
                area=n.get("area", ""),
                problem=n.get("problem", ""),
                leader=n.get("leader", ""),
                lead_unit=n.get("lead_unit", ""),
                owner=n.get("owner", ""),
                deadline=s.deadline,
                original_deadline=s.original_deadline,
                status=s.status,
                health=s.health,
                silent_dispatches=silent.get(mid) or 0,
                closed_on=s.closed_on,
                co_units=co_units(n.get("co_units")),
                last_update=s.last_at,
                latest=latest.get(mid),
                immediate=s.immediate,
                forecast=s.forecast,
            ),
        ))  # fmt: skip
    return out


async def closed_days(
    session: AsyncSession,
    *,
    programme: Programme,
    recorded: Sequence[Recorded] | None = None,
    codes: Mapping[int, str] | None = None,
) -> list[tuple[str, date]]:
    """Every sign-off of the programme as (code, day), in the order they were decided (`codes`:
    measure_codes already read)."""
    assert programme.id is not None
    if recorded is None:
        e = AuditEvent
        query = sa_select(col(e.entity_id), col(e.action), col(e.at), col(e.after)).where(
            col(e.programme_id) == programme.id, col(e.action) == SIGNED_OFF
        )
        conn = await session.connection()
        rows = (await conn.execute(query.order_by(col(e.seq)))).all()
        recorded = _recorded(rows, programme.timezone)
    if codes is None:
        codes = await measure_codes(session, programme.id)
    return [(codes.get(mid, ""), day) for mid, day in closings(recorded)]


async def month_history(
    session: AsyncSession, *, programme: Programme, year: int, month: int, months: int = 6
) -> tuple[list[tuple[str, date]], dict[tuple[int, int], int]]:
    """Every sign-off as (code, day), and how many measures were closed at each month's end.

    One load of the trail without its answers serves every month.
    """
    recorded = await events(session, programme=programme, answers=False)
    first = await first_import(session, programme=programme)
    ends: dict[tuple[int, int], int] = {}
    for y, m in months_up_to(year, month, months):
        states = _states_at(recorded, first, day_after(month_end(y, m), programme.timezone))
        ends[(y, m)] = sum(1 for s in states.values() if s.status is Status.CLOSED)
    return await closed_days(session, programme=programme, recorded=recorded), ends
