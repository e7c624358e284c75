"""What the leaders' board reads beyond the pictures: a measure's evidence and requests."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import NamedTuple

from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.dispatches import DispatchFact, silent_run
from core.domain.model import Health, Role, Status
from storage import as_of
from storage.models import (
    DispatchItem,
    EvidenceFile,
    Person,
    Programme,
    RoleGrant,
    SignoffRequest,
    UserPref,
)


async def evidence(session: AsyncSession, *, measure_id: int) -> list[EvidenceFile]:
    """Every file attached to the measure, oldest first."""
    rows = await session.exec(
        select(EvidenceFile)
        .where(EvidenceFile.measure_id == measure_id)
        .order_by(col(EvidenceFile.created_at), col(EvidenceFile.id))
    )
    return list(rows.all())


async def requests(session: AsyncSession, *, measure_id: int) -> list[tuple[SignoffRequest, str]]:
    """The measure's sign-off and extension requests, newest first, with who decided each."""
    rows = await session.exec(
        select(SignoffRequest, Person.name)
        .outerjoin(Person, col(Person.id) == SignoffRequest.decided_by)
        .where(SignoffRequest.measure_id == measure_id)
        .order_by(col(SignoffRequest.created_at).desc(), col(SignoffRequest.id).desc())
    )
    return [(r, name or "") for r, name in rows.all()]


async def menu_people(session: AsyncSession) -> dict[int, str | None]:
    """Every bound leader and coordinator of any programme: Telegram id -> chosen language."""
    rows = await session.exec(
        select(Person.telegram_user_id, UserPref.locale, UserPref.tg_locale)
        .join(RoleGrant, col(RoleGrant.person_id) == Person.id)
        .outerjoin(UserPref, col(UserPref.telegram_user_id) == Person.telegram_user_id)
        .where(
            col(Person.telegram_user_id).is_not(None),
            col(RoleGrant.role).in_([Role.LEADER.value, Role.COORDINATOR.value]),
        )
    )
    return {uid: chosen or seen for uid, chosen, seen in rows.all() if uid is not None}


class Lamp(NamedTuple):
    """What a light reads of a measure at a past moment (core.domain.lights.Lamp)."""

    status: Status
    health: Health | None
    deadline: date | None
    immediate: bool
    silent_dispatches: int
    forecast: date | None


async def lamps_at(
    session: AsyncSession,
    *,
    programme: Programme,
    moments: Sequence[datetime],
    only: set[int] | None = None,
) -> list[list[Lamp]]:
    """The live measures' light inputs at each moment, as the trail up to it says: one load of
    the trail for every moment, and one query of silences each (what storage.as_of.facts_at
    rebuilds, without the names and answers a light does not read). Silences come from one load
    of the dispatch items, each moment judged by the domain's rule (core.domain.dispatches)."""
    assert programme.id is not None
    recorded = await as_of.events(session, programme=programme)
    first = await as_of.first_import(session, programme=programme)
    d = DispatchItem
    fields = (d.period, d.delivered, d.answered, d.short, d.delivered_at, d.answered_at)
    query = sa_select(col(d.measure_id), *(col(f) for f in fields)).where(
        col(d.programme_id) == programme.id
    )
    items: dict[int, list[DispatchFact]] = {}
    for mid, *values in (await (await session.connection()).execute(query)).all():
        items.setdefault(mid, []).append(DispatchFact(*values))
    out = []
    for at in moments:
        states = as_of._states_at(recorded, first, at)
        out.append(
            [
                Lamp(
                    s.status,
                    s.health,
                    s.deadline,
                    s.immediate,
                    silent_run(items.get(mid, []), at),
                    s.forecast,
                )
                for mid, s in states.items()
                if only is None or mid in only
            ]
        )
    return out
