"""What the leaders' board reads beyond the pictures: a measure's evidence and requests."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select as sa_select
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.dispatches import DispatchFact, latest_first, silent_run_sorted
from core.domain.model import Health, Role, Status
from storage import as_of
from storage.models import DispatchItem, EvidenceFile, Person, Programme, RoleGrant, SignoffRequest
from storage.models_people import UserPref


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


async def menu_people(
    session: AsyncSession, *, person_ids: Collection[int] | None = None
) -> dict[int, str | None]:
    """Every bound leader and coordinator of any programme (or of these people): Telegram id ->
    chosen language."""
    where = [] if person_ids is None else [col(Person.id).in_(person_ids)]
    rows = await session.exec(
        select(Person.telegram_user_id, UserPref.locale, UserPref.tg_locale)
        .join(RoleGrant, col(RoleGrant.person_id) == Person.id)
        .outerjoin(UserPref, col(UserPref.telegram_user_id) == Person.telegram_user_id)
        .where(
            col(Person.telegram_user_id).is_not(None),
            col(RoleGrant.role).in_([Role.LEADER.value, Role.COORDINATOR.value]),
            *where,
        )
    )
    return {uid: chosen or seen for uid, chosen, seen in rows.all() if uid is not None}


@dataclass(frozen=True, slots=True)
class Lamp:
    """What a light reads of a measure at a past moment (core.domain.lights.Lamp); its silence
    is counted only when the light asks for it (a red or closed measure never does)."""

    status: Status
    health: Health | None
    deadline: date | None
    immediate: bool
    forecast: date | None
    asked: Sequence[DispatchFact]  # latest first
    at: datetime

    @property
    def silent_dispatches(self) -> int:
        return silent_run_sorted(self.asked, self.at)


async def lamps_at(
    session: AsyncSession,
    *,
    programme: Programme,
    moments: Sequence[datetime],
    only: set[int] | None = None,
) -> list[list[Lamp]]:
    """The live measures' light inputs at each moment, as the trail up to it says: one load of
    the trail replayed once, moment after moment (what storage.as_of.facts_at rebuilds, without
    the names and answers a light does not read). Silences come from one load of the dispatch
    items, each moment judged by the domain's rule (core.domain.dispatches); moments in order."""
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
    asked = {mid: latest_first(mine) for mid, mine in items.items()}
    return [
        [
            Lamp(s.status, s.health, s.deadline, s.immediate, s.forecast, asked.get(mid, ()), at)
            for mid, s in states.items()
            if only is None or mid in only
        ]
        for at, states in zip(moments, as_of.states_each(recorded, first, moments), strict=True)
    ]
