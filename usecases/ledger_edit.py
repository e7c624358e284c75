"""Edit the ledger in chat (coordinators): add, change or retire a measure; its owners are told."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.ledger_edit import changes, missing, new_code
from core.i18n import Tr, tr
from core.render.ledger_edit import added_notice, changed_notice, retired_notice
from storage import ledger_edit, people
from storage.models import Measure, Person, Programme
from usecases.actor import Actor
from usecases.notices import tell


@dataclass(frozen=True)
class Change:
    """New values for fields of a live measure, and its values when the form showed them."""

    measure: Measure
    seen: Mapping[str, str]
    wanted: Mapping[str, str]


@dataclass(frozen=True)
class NewMeasure:
    """A measure to add: its code and every field the form asks for."""

    code: str
    values: Mapping[str, str]


@dataclass(frozen=True)
class Retirement:
    """A live measure to retire, and why."""

    measure: Measure
    seen: Mapping[str, str]
    reason: str


class Refused(StrEnum):
    """Why nothing was written."""

    TAKEN = "taken"  # the code is in the ledger already (a retired measure keeps its code)
    INCOMPLETE = "incomplete"  # a new measure lacks a field
    SAME = "same"  # no field changes
    STALE = "stale"  # the measure changed since the form showed it
    WAITING = "waiting"  # a request of its owner waits for a decision


@dataclass(frozen=True)
class Done:
    """The reply to the coordinator: which measure, what changed, how many owners were told."""

    code: str
    told: int = 0
    refused: Refused | None = None
    fields: Mapping[str, tuple[str, str]] = field(default_factory=dict)


async def _stale(
    session: AsyncSession, measure: Measure, seen: Mapping[str, str]
) -> dict[str, str] | None:
    """The measure's values now, or None when they are not the ones the form showed."""
    now = (await ledger_edit.current(session, measure=measure)).values
    return None if any(now.get(f) != v for f, v in seen.items()) else now


async def _tell(
    session: AsyncSession,
    programme: Programme,
    person_ids: list[int],
    actor: Actor,
    now: datetime,
    text: Callable[[Tr], str],
    measure_id: int,
) -> int:
    """Plan the notice to each bound person but the actor, in their language; how many."""
    assert programme.id is not None
    found = [await session.get(Person, pid) for pid in dict.fromkeys(person_ids)]
    bound = [p for p in found if p is not None and p.telegram_user_id and p.id != actor.person_id]
    locales = await people.locales_of(session, user_ids=[p.telegram_user_id or 0 for p in bound])
    for p in bound:
        t = tr(locales.get(p.telegram_user_id or 0) or programme.locale)
        tell(
            session, programme_id=programme.id, about=f"edit:{measure_id}", person=p,
            text=text(t), now=now,
        )  # fmt: skip
    return len(bound)


async def change(
    session: AsyncSession, *, programme: Programme, actor: Actor, change: Change, now: datetime
) -> Done:
    """Write the change; the owner, and on a change of owner the former one, are told."""
    m = change.measure
    assert m.id is not None
    stored = await _stale(session, m, change.seen)
    if stored is None:
        return Done(m.code, refused=Refused.STALE)
    fields = changes(stored, change.wanted)
    if not fields:
        return Done(m.code, refused=Refused.SAME)
    before = m.owner_id
    await ledger_edit.change(session, measure=m, wanted=fields, actor=actor.audit, now=now)
    told = await _tell(
        session, programme, [m.owner_id, before], actor, now,
        lambda t: changed_notice(t, programme.name, m.code, fields), m.id,
    )  # fmt: skip
    return Done(m.code, told, fields=fields)


async def add(
    session: AsyncSession, *, programme: Programme, actor: Actor, new: NewMeasure, now: datetime
) -> Done:
    """Add the measure unless its code is taken (retired ones too) or a field is missing."""
    assert programme.id is not None
    taken = await ledger_edit.codes(session, programme_id=programme.id)
    code, free = new_code(new.code, taken)
    if not free:
        return Done(code, refused=Refused.TAKEN)
    if missing(new.values):
        return Done(code, refused=Refused.INCOMPLETE)
    m = await ledger_edit.add(
        session, programme_id=programme.id, code=code, values=new.values, actor=actor.audit,
        now=now,
    )  # fmt: skip
    assert m.id is not None
    told = await _tell(
        session, programme, [m.owner_id], actor, now,
        lambda t: added_notice(t, programme.name, code, m.text, new.values["deadline"]), m.id,
    )  # fmt: skip
    return Done(code, told)


async def retire(
    session: AsyncSession, *, programme: Programme, actor: Actor, retirement: Retirement,
    now: datetime,
) -> Done:  # fmt: skip
    """Retire the measure from now on, unless a request of it waits; its owner is told why."""
    m = retirement.measure
    assert m.id is not None
    if await _stale(session, m, retirement.seen) is None:
        return Done(m.code, refused=Refused.STALE)
    if await ledger_edit.waiting(session, measure_id=m.id):
        # a sign-off or extension asked of the task force is decided first, not dropped
        return Done(m.code, refused=Refused.WAITING)
    await ledger_edit.retire(
        session, measure=m, reason=retirement.reason, actor=actor.audit, now=now
    )
    told = await _tell(
        session, programme, [m.owner_id], actor, now,
        lambda t: retired_notice(t, programme.name, m.code, m.text, retirement.reason), m.id,
    )  # fmt: skip
    return Done(m.code, told)
