"""Co-units' shares: a liaison invited and bound to a co-unit's part, and their answer to it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import ANSWERABLE
from storage import invites, measures, shares
from storage.models import Measure, Person
from usecases.actor import Actor


class NoShare(StrEnum):
    """Why no share could be bound."""

    UNIT = "unit"  # no co-unit of that name among the open measures
    MEASURE = "measure"  # no open measure with that code naming the unit


@dataclass(frozen=True)
class Invited:
    """The reply to the coordinator: whose share, which measures, and a link unless bound."""

    person: Person
    unit: str
    codes: tuple[str, ...]
    token: str | None  # None: the person already uses the bot


async def invite(
    session: AsyncSession,
    *,
    programme_id: int,
    unit: str,
    code: str | None,
    actor: str,
    now: datetime,
    days: int,
) -> Invited | NoShare:
    """Bind the co-unit's liaison to its share of one measure (or of all), with a link if needed."""
    live = [
        (m, f)
        for m, f in await measures.facts(session, programme_id=programme_id)
        if f.status in ANSWERABLE and unit in f.co_units
    ]
    found = await shares.unit_named(session, programme_id=programme_id, name=unit)
    if not live or found is None:
        return NoShare.UNIT
    chosen = [m for m, f in live if code is None or f.code.casefold() == code.casefold()]
    if not chosen:
        return NoShare.MEASURE
    person = await shares.liaison_of(session, programme_id=programme_id, unit_id=found.id or 0)
    measure = chosen[0] if code is not None else None
    await shares.bind(session, person=person, unit=found, measure=measure, actor=actor, now=now)
    token = None
    if person.telegram_user_id is None:
        assert person.id is not None
        link = await invites.invite_for(
            session, programme_id=programme_id, person_id=person.id, now=now, days=days
        )
        token = link.token
    return Invited(person, unit, tuple(m.code for m in chosen), token)


@dataclass(frozen=True)
class Share:
    """A liaison's words on their co-unit's part of a measure."""

    measure_id: int
    note: str
    percent: int | None = None


async def answer(
    session: AsyncSession, *, programme_id: int, actor: Actor, share: Share, now: datetime
) -> tuple[Measure, str] | None:
    """Record the share's answer (never the measure's own: no status, no light); the measure and
    co-unit, or None when the caller answers no share of that open measure now."""
    mine = await shares.open_shares(session, programme_id=programme_id, person_id=actor.person_id)
    found = next(
        ((m, u) for m, u in mine.get(actor.person_id, []) if m.id == share.measure_id), None
    )
    if found is None:
        return None
    m, unit = found
    unit_row = await shares.unit_named(session, programme_id=programme_id, name=unit)
    assert unit_row is not None and unit_row.id is not None
    await shares.record(
        session, measure=m, unit_id=unit_row.id, person_id=actor.person_id, note=share.note,
        percent=share.percent, actor=actor.audit, now=now,
    )  # fmt: skip
    return m, unit
