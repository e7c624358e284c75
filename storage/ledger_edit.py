"""A coordinator's edit of the ledger in chat: add, change or retire a measure, each audited."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select as columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.ledger import LedgerRow
from core.domain.ledger_words import split_units
from core.domain.model import Status
from core.domain.roles import RoleLoss
from storage import audit, roles
from storage.decisions import PENDING
from storage.ledger_names import Names
from storage.models import Area, Measure, Person, Problem, SignoffRequest, Unit


@dataclass(frozen=True)
class Current:
    """A measure's editable values as plain text (deadline: ISO, or "" for long-term)."""

    values: dict[str, str]
    owner_id: int
    leader: str
    co_leaders: tuple[str, ...]


async def codes(session: AsyncSession, *, programme_id: int) -> list[str]:
    """Every code of the programme, retired ones too: a code is never given twice."""
    query = columns(col(Measure.code)).where(col(Measure.programme_id) == programme_id)
    return [c for (c,) in (await (await session.connection()).execute(query)).all()]


async def by_code(session: AsyncSession, *, programme_id: int, code: str) -> Measure | None:
    """A live measure of the programme by its exact code."""
    rows = await session.exec(
        select(Measure).where(
            Measure.programme_id == programme_id,
            Measure.code == code,
            col(Measure.removed_at).is_(None),
        )
    )
    return rows.first()


async def current(session: AsyncSession, *, measure: Measure) -> Current:
    """The measure's values as the edit form shows and compares them."""
    area = await session.get(Area, measure.area_id)
    problem = await session.get(Problem, measure.problem_id)
    unit = await session.get(Unit, measure.lead_unit_id)
    owner = await session.get(Person, measure.owner_id)
    leader = await session.get(Person, measure.leader_id) if measure.leader_id else None
    values = {
        "text": measure.text,
        "area": area.name if area else "",
        "problem": problem.name if problem else "",
        "lead_unit": unit.name if unit else "",
        "co_units": measure.co_units,
        "owner": owner.name if owner else "",
        "deadline": measure.deadline.isoformat() if measure.deadline else "",
    }
    co_leaders = tuple(x for x in measure.co_leaders.split("、") if x)
    return Current(values, measure.owner_id, leader.name if leader else "", co_leaders)


def _row(
    code: str, values: Mapping[str, str], leader: str, co_leaders: tuple[str, ...]
) -> LedgerRow:
    """The values as a ledger row, so the names it gives are made as an import makes them."""
    due = values.get("deadline") or ""
    return LedgerRow(
        row=0, code=code, area=values["area"], problem=values["problem"], measure=values["text"],
        leader=leader, lead_unit=values["lead_unit"], co_units=split_units(values["co_units"]),
        owner=values["owner"], deadline=date.fromisoformat(due) if due else None,
        status=Status.NOT_STARTED, co_leaders=co_leaders,
    )  # fmt: skip


def _audited(values: Mapping[str, str]) -> dict[str, object]:
    """Values as the trail records them: a deadline as its date or None, never 立行立改."""
    out: dict[str, object] = dict(values)
    if "deadline" in out:
        out["deadline"] = values["deadline"] or None
        out["immediate"] = False
    return out


async def _names(session: AsyncSession, programme_id: int, row: LedgerRow) -> Names:
    """Areas, problems, units, people and roles the row names, created where new."""
    names = Names(session, programme_id)
    await names.load()
    # False: co-owners are not the form's to rewrite
    await names.create([(row, False)], [])
    return names


async def change(
    session: AsyncSession,
    *,
    measure: Measure,
    wanted: Mapping[str, tuple[str, str]],
    actor: str,
    now: datetime,
) -> list[RoleLoss]:
    """Write the changed fields, one `measure.edit` event; the roles follow the ledger."""
    assert measure.id is not None
    now_values = await current(session, measure=measure)
    values = now_values.values | {f: after for f, (_, after) in wanted.items()}
    row = _row(measure.code, values, now_values.leader, now_values.co_leaders)
    names = await _names(session, measure.programme_id, row)
    ids = names.ids(row)
    measure.text = row.measure
    measure.lead_unit_id, measure.owner_id = ids["lead_unit_id"], ids["owner_id"]
    measure.co_units = values["co_units"]
    if "deadline" in wanted:
        measure.deadline, measure.immediate = row.deadline, False
    measure.updated_at = now
    session.add(measure)
    audit.record(
        session, programme_id=measure.programme_id, actor=actor, action="measure.edit",
        entity="measure", entity_id=measure.id, now=now,
        before=_audited({f: b for f, (b, _) in wanted.items()}),
        after=_audited({f: a for f, (_, a) in wanted.items()}),
    )  # fmt: skip
    await session.flush()
    return await roles.follow_ledger(
        session, programme_id=measure.programme_id, actor=actor, now=now
    )


async def add(
    session: AsyncSession,
    *,
    programme_id: int,
    code: str,
    values: Mapping[str, str],
    actor: str,
    now: datetime,
) -> Measure:
    """A new measure, not started, and its `measure.add` event (what the replay starts it from)."""
    full = {"co_units": "", **values}
    row = _row(code, full, "", ())
    names = await _names(session, programme_id, row)
    measure = Measure(
        programme_id=programme_id, code=code, text=row.measure, co_units=full["co_units"],
        deadline=row.deadline, updated_at=now, **names.ids(row),
    )  # fmt: skip
    session.add(measure)
    await session.flush()
    after = _audited(full) | {"code": code, "leader": "", "status": Status.NOT_STARTED.value}
    audit.record(
        session, programme_id=programme_id, actor=actor, action="measure.add", entity="measure",
        entity_id=measure.id, now=now, after=after,
    )  # fmt: skip
    return measure


async def retire(
    session: AsyncSession, *, measure: Measure, reason: str, actor: str, now: datetime
) -> list[RoleLoss]:
    """Out of the ledger from now on, its history kept; the reason goes into the trail."""
    measure.removed_at = now
    measure.updated_at = now
    session.add(measure)
    audit.record(
        session, programme_id=measure.programme_id, actor=actor, action="measure.retire",
        entity="measure", entity_id=measure.id, now=now,
        before={"code": measure.code, "removed": False},
        after={"code": measure.code, "removed": True, "reason": reason},
    )  # fmt: skip
    await session.flush()
    return await roles.follow_ledger(
        session, programme_id=measure.programme_id, actor=actor, now=now
    )


async def waiting(session: AsyncSession, *, measure_id: int) -> bool:
    """Whether a sign-off or extension request of the measure waits for a decision."""
    query = columns(col(SignoffRequest.id)).where(
        col(SignoffRequest.measure_id) == measure_id, col(SignoffRequest.state) == PENDING
    )
    return (await (await session.connection()).execute(query.limit(1))).first() is not None
