"""What the documents need beyond measure facts: latest notes, evidence counts, first deadlines."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_
from sqlalchemy import select as rows_of
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.closing import latest_word
from core.domain.documents import Extras
from core.domain.ledger_plan import recorded_deadline
from core.domain.model import Answer
from core.domain.notes import split_next_step
from storage import lookbacks
from storage.models import AuditEvent, CoOwner, EvidenceFile, Measure, Person, ProgressUpdate

U = ProgressUpdate
# every marker split_next_step knows holds 下 (no other character normalises to it) or, folded,
# the ASCII "next": a superset that spares parsing notes that cannot hold a next step
_MAY_HOLD_STEP = or_(col(U.note).contains("下"), col(U.note).ilike("%next%"))


def moment(value: datetime, tz: str) -> datetime:
    """A stored moment in programme-local time (naive values are stored as local already)."""
    zone = ZoneInfo(tz)
    return value.astimezone(zone) if value.tzinfo else value.replace(tzinfo=zone)


def day_in(value: datetime, tz: str) -> date:
    """The programme-local day of a stored moment."""
    return moment(value, tz).date()


def day_after(as_of: date, tz: str) -> datetime:
    """The first moment after a programme-local day: `day_in(x, tz) <= as_of` iff `x < it`."""
    # a midnight skipped by a clock change resolves to the change itself (fold=0)
    return datetime.combine(as_of + timedelta(days=1), time(), ZoneInfo(tz))


def _first_deadlines(events: Iterable[Any], tz: str) -> dict[int, date | None]:
    """Per measure id: the deadline its first recorded import gave it."""
    first: dict[int, date | None] = {}
    for entity_id, after_text, at in events:
        if entity_id is None or entity_id in first or not after_text:
            continue
        after = json.loads(after_text)
        if isinstance(after, dict) and "deadline" in after:
            first[entity_id] = recorded_deadline(after["deadline"], day_in(at, tz))
    return first


async def _latest_notes(conn: Any, programme_id: int, end: datetime) -> dict[int, Any]:
    """Per measure id: (note, created_at) of its latest update up to `end` with a note."""
    ranked = (
        rows_of(
            col(U.measure_id),
            col(U.note),
            col(U.created_at),
            func.row_number()
            .over(
                partition_by=col(U.measure_id),
                order_by=(col(U.created_at).desc(), col(U.id).desc()),
            )
            .label("rank"),
        )
        .where(col(U.programme_id) == programme_id, col(U.created_at) < end, col(U.note) != "")
        .subquery()
    )
    query = rows_of(ranked.c.measure_id, ranked.c.note, ranked.c.created_at)
    found = {m: (note, at) for m, note, at in (await conn.execute(query.where(ranked.c.rank == 1)))}
    # a note of spaces alone is no note: look further back for those few measures
    blank = [m for m, (note, _) in found.items() if not note.strip()]
    if blank:
        older = (
            rows_of(col(U.measure_id), col(U.note), col(U.created_at))
            .where(
                col(U.programme_id) == programme_id,
                col(U.created_at) < end,
                col(U.measure_id).in_(blank),
            )
            .order_by(col(U.measure_id), col(U.created_at).desc(), col(U.id).desc())
        )
        for m in blank:
            del found[m]
        for m, note, at in await conn.execute(older):
            if m not in found and note.strip():
                found[m] = (note, at)
    return found


async def _next_steps(conn: Any, programme_id: int, end: datetime) -> dict[int, str]:
    """Per measure id: the next step of its latest note up to `end` that has one."""
    query = (
        rows_of(col(U.measure_id), col(U.note))
        .where(col(U.programme_id) == programme_id, col(U.created_at) < end, _MAY_HOLD_STEP)
        .order_by(col(U.measure_id), col(U.created_at).desc(), col(U.id).desc())
    )
    steps: dict[int, str] = {}
    for m, note in await conn.execute(query):
        if m not in steps and note.strip():
            step = split_next_step(note)[1]
            if step:  # the latest plan stands until the owner writes another
                steps[m] = step
    return steps


async def extras(
    session: AsyncSession, *, programme_id: int, as_of: date, tz: str
) -> dict[str, Extras]:
    """Per live measure's code: latest note and next step up to `as_of`, evidence, first deadline."""
    # rows, not ORM objects: 100,000 updates at scale; the day's end is compared in SQL, in UTC
    end = day_after(as_of, tz)
    conn = await session.connection()
    notes = await _latest_notes(conn, programme_id, end)
    looked = await lookbacks.latest_answers(session, programme_id=programme_id, before=end)
    steps = await _next_steps(conn, programme_id, end)
    f = EvidenceFile
    files: dict[int, int] = dict(
        (
            await conn.execute(
                rows_of(col(f.measure_id), func.count())
                .where(col(f.programme_id) == programme_id, col(f.created_at) < end)
                .group_by(col(f.measure_id))
            )
        ).all()
    )
    a = AuditEvent
    first = _first_deadlines(
        await conn.execute(
            rows_of(col(a.entity_id), col(a.after), col(a.at))
            .where(
                and_(col(a.programme_id) == programme_id, col(a.entity) == "measure"),
                col(a.action) == "measure.import",
            )
            .order_by(col(a.id))
        ),
        tz,
    )
    live = rows_of(
        col(Measure.id), col(Measure.code), col(Measure.deadline), col(Measure.original_deadline),
        col(Measure.owner_id), col(Measure.leader_id), col(Measure.co_leaders),
    ).where(col(Measure.programme_id) == programme_id, col(Measure.removed_at).is_(None))  # fmt: skip
    out: dict[str, Extras] = {}
    measures: Sequence[Any] = (await conn.execute(live)).all()
    cells = await _people_cells(conn, programme_id, measures)
    for m, code, deadline, kept, *_ in measures:
        note, at = notes.get(m, ("", None))
        said = Answer(None, at, "", note=note) if at is not None else None
        lookback = looked.get(m)
        word = latest_word(said, lookback if lookback and lookback.note.strip() else None)
        # an extension records the deadline it replaced; else the first import's deadline
        original = kept or first.get(m, deadline)
        out[code] = Extras(
            note=split_next_step(word.note)[0] if word else "",
            noted_on=day_in(word.at, tz) if word else None,
            lookback=word.lookback if word else "",
            next_step=steps.get(m, ""),
            evidence=files.get(m, 0),
            original_deadline=original if original != deadline else None,
            owners=cells.get(m, ("", ""))[0],
            leaders=cells.get(m, ("", ""))[1],
        )
    return out


async def _people_cells(
    conn: Any, programme_id: int, measures: Sequence[Any]
) -> dict[int, tuple[str, str]]:
    """Per measure id: its owner and leader cells as a ledger writes them, so they read back.

    Every owner (the lead owner first) and every leader, each phone in brackets: 周强（138…）、孙磊.
    """
    people = {
        pid: (name, contact)
        for pid, name, contact in await conn.execute(
            rows_of(col(Person.id), col(Person.name), col(Person.contact)).where(
                col(Person.programme_id) == programme_id
            )
        )
    }
    by_name = {name: contact for name, contact in people.values()}
    co: dict[int, list[int]] = {}
    links = rows_of(col(CoOwner.measure_id), col(CoOwner.person_id)).where(
        col(CoOwner.programme_id) == programme_id
    )
    for mid, pid in await conn.execute(links.order_by(col(CoOwner.id))):
        co.setdefault(mid, []).append(pid)

    def cell(names: list[str]) -> str:
        return "、".join(f"{n}（{by_name[n]}）" if by_name.get(n) else n for n in names if n)

    out: dict[int, tuple[str, str]] = {}
    for m, _, _, _, owner_id, leader_id, co_leaders in measures:
        owners = [people[p][0] for p in (owner_id, *co.get(m, ())) if p in people]
        leaders = [people[leader_id][0]] if leader_id in people else []
        leaders += [n for n in co_leaders.split("、") if n]
        # a lone name without a phone is the measure's own fact: nothing to add
        o, ld = cell(owners), cell(leaders)
        out[m] = (o if o not in owners else "", ld if ld not in leaders else "")
    return out
