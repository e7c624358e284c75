"""Record an institutional outcome (建章立制) for a measure: a rule, its number and date, a file."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.outcomes import may_record
from storage import outcomes
from storage.answers import Evidence
from storage.models import Measure
from usecases.actor import Actor


class Refusal(StrEnum):
    """Why nothing was recorded."""

    UNKNOWN = "unknown"  # no such measure in the ledger (or not any more)
    NOT_YOURS = "not_yours"  # neither its owner nor a coordinator


@dataclass(frozen=True)
class NewOutcome:
    """What the owner or coordinator typed and sent, already checked."""

    measure_id: int
    title: str
    number: str
    issued_on: date
    file: Evidence | None = None


@dataclass(frozen=True)
class Duplicate:
    """The number is already recorded in the programme: for which measure, under which title."""

    code: str
    title: str


@dataclass(frozen=True)
class Recorded:
    """The reply: recorded for this measure."""

    code: str
    title: str
    number: str
    with_file: bool


async def measure_for(
    session: AsyncSession, *, programme_id: int, actor: Actor, coordinator: bool, code: str = "",
    measure_id: int = 0,
) -> Measure | Refusal:  # fmt: skip
    """The live measure (by code or id) the actor may record an outcome for, or why not."""
    found = await outcomes.measure_with_owners(
        session, programme_id=programme_id, code=code, measure_id=measure_id
    )
    if found is None:
        return Refusal.UNKNOWN
    m, owners = found
    if not may_record(person_id=actor.person_id, owners=owners, coordinator=coordinator):
        return Refusal.NOT_YOURS
    return m


async def record(
    session: AsyncSession,
    *,
    programme_id: int,
    actor: Actor,
    coordinator: bool,
    outcome: NewOutcome,
    now: datetime,
) -> Recorded | Duplicate | Refusal:
    """Check again who may (roles can change mid-way) and that the number is new, then store."""
    m = await measure_for(
        session,
        programme_id=programme_id,
        actor=actor,
        coordinator=coordinator,
        measure_id=outcome.measure_id,
    )
    if isinstance(m, Refusal):
        return m
    held = await outcomes.with_number(session, programme_id=programme_id, number=outcome.number)
    if held is not None:
        return Duplicate(code=held[1], title=held[0].title)
    await outcomes.record(
        session,
        measure=m,
        person_id=actor.person_id,
        actor=actor.audit,
        title=outcome.title,
        number=outcome.number,
        issued_on=outcome.issued_on,
        file=outcome.file,
        now=now,
    )
    return Recorded(
        code=m.code, title=outcome.title, number=outcome.number, with_file=outcome.file is not None
    )
