"""People, units, roles, binding to Telegram, and who a Telegram user is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.model import Role
from storage import audit
from storage.models import Person, Programme, RoleGrant, Unit, UserPref


@dataclass(frozen=True)
class Membership:
    """A Telegram user's place in one programme."""

    programme_id: int
    programme_name: str
    person_id: int
    person_name: str
    roles: frozenset[Role]


@dataclass(frozen=True)
class Identity:
    """Everything the gate needs about one Telegram user."""

    user_id: int
    locale: str | None
    current_programme_id: int | None
    tg_locale: str | None = None
    memberships: tuple[Membership, ...] = field(default_factory=tuple)

    def membership(self, programme_id: int | None) -> Membership | None:
        """The membership in that programme, if any."""
        return next((m for m in self.memberships if m.programme_id == programme_id), None)


async def identity(session: AsyncSession, *, user_id: int) -> Identity:
    """Load who this Telegram user is, in every programme."""
    rows = await session.exec(
        select(Person, Programme.name, RoleGrant.role)
        .join(Programme, col(Programme.id) == Person.programme_id)
        .join(RoleGrant, col(RoleGrant.person_id) == Person.id, isouter=True)
        .where(Person.telegram_user_id == user_id)
    )
    found: dict[int, tuple[Person, str, set[Role]]] = {}
    for person, programme_name, role in rows.all():
        assert person.id is not None
        entry = found.setdefault(person.id, (person, programme_name, set()))
        if role:
            entry[2].add(Role(role))
    pref = await session.get(UserPref, user_id)
    members = tuple(
        Membership(p.programme_id, name, pid, p.name, frozenset(roles))
        for pid, (p, name, roles) in sorted(found.items())
    )
    return Identity(
        user_id=user_id,
        locale=pref.locale if pref else None,
        tg_locale=pref.tg_locale if pref else None,
        current_programme_id=pref.programme_id if pref else None,
        memberships=members,
    )


async def set_pref(
    session: AsyncSession,
    *,
    user_id: int,
    locale: str | None = None,
    programme_id: int | None = None,
    tg_locale: str | None = None,
) -> None:
    """Remember a user's language and/or current programme."""
    pref = await session.get(UserPref, user_id) or UserPref(telegram_user_id=user_id)
    if locale is not None:
        pref.locale = locale
    if tg_locale is not None:
        pref.tg_locale = tg_locale
    if programme_id is not None:
        pref.programme_id = programme_id
    session.add(pref)


async def unit_named(session: AsyncSession, *, programme_id: int, name: str) -> Unit:
    """The unit with this name, created on first use."""
    found = (
        await session.exec(select(Unit).where(Unit.programme_id == programme_id, Unit.name == name))
    ).first()
    if found is None:
        found = Unit(programme_id=programme_id, name=name)
        session.add(found)
        await session.flush()
    return found


async def person(session: AsyncSession, *, programme_id: int, person_id: int) -> Person | None:
    """A person of the programme by id (None for another programme's)."""
    found = await session.get(Person, person_id)
    return found if found is not None and found.programme_id == programme_id else None


async def find_named(session: AsyncSession, *, programme_id: int, name: str) -> Person | None:
    """The person with this ledger name, if there is one."""
    rows = await session.exec(
        select(Person).where(Person.programme_id == programme_id, Person.name == name)
    )
    return rows.first()


async def person_named(
    session: AsyncSession, *, programme_id: int, name: str, unit_id: int | None = None
) -> Person:
    """The person with this ledger name, created on first use."""
    found = (
        await session.exec(
            select(Person).where(Person.programme_id == programme_id, Person.name == name)
        )
    ).first()
    if found is None:
        found = Person(programme_id=programme_id, name=name, unit_id=unit_id)
        session.add(found)
        await session.flush()
    elif found.unit_id is None and unit_id is not None:
        found.unit_id = unit_id
        session.add(found)
    return found


async def grant(session: AsyncSession, *, programme_id: int, person_id: int, role: Role) -> bool:
    """Give a role; False when the person already had it."""
    exists = (
        await session.exec(
            select(RoleGrant).where(
                RoleGrant.programme_id == programme_id,
                RoleGrant.person_id == person_id,
                RoleGrant.role == role.value,
            )
        )
    ).first()
    if exists is not None:
        return False
    session.add(RoleGrant(programme_id=programme_id, person_id=person_id, role=role.value))
    return True


async def roles_by_person(session: AsyncSession, *, programme_id: int) -> dict[int, set[Role]]:
    """Every person's roles in the programme."""
    rows = await session.exec(select(RoleGrant).where(RoleGrant.programme_id == programme_id))
    out: dict[int, set[Role]] = {}
    for g in rows.all():
        out.setdefault(g.person_id, set()).add(Role(g.role))
    return out


async def people(session: AsyncSession, *, programme_id: int) -> list[Person]:
    """Every person of the programme, by name."""
    rows = await session.exec(
        select(Person).where(Person.programme_id == programme_id).order_by(col(Person.name))
    )
    return list(rows.all())


async def with_role(session: AsyncSession, *, programme_id: int, role: Role) -> list[Person]:
    """People holding a role in the programme."""
    rows = await session.exec(
        select(Person)
        .join(RoleGrant, col(RoleGrant.person_id) == Person.id)
        .where(RoleGrant.programme_id == programme_id, RoleGrant.role == role.value)
        .order_by(col(Person.name))
    )
    return list(rows.all())


async def locales_of(session: AsyncSession, *, user_ids: Sequence[int]) -> dict[int, str]:
    """Each user's language: chosen, else Telegram's (when we have it)."""
    rows = await session.exec(select(UserPref).where(col(UserPref.telegram_user_id).in_(user_ids)))
    return {p.telegram_user_id: loc for p in rows.all() if (loc := p.locale or p.tg_locale)}


async def bind(
    session: AsyncSession,
    *,
    person: Person,
    user_id: int,
    display_name: str,
    actor: str,
    now: datetime,
) -> None:
    """Bind a person to a Telegram user (reachable again), audit it, and make it their programme."""
    before = person.telegram_user_id
    person.telegram_user_id = user_id
    person.telegram_name = display_name
    person.unreachable_since = None
    session.add(person)
    audit.record(
        session,
        programme_id=person.programme_id,
        actor=actor,
        action="person.bind",
        entity="person",
        entity_id=person.id,
        before={"telegram_user_id": before},
        after={"telegram_user_id": user_id},
        now=now,
    )
    await set_pref(session, user_id=user_id, programme_id=person.programme_id)


async def persons(session: AsyncSession, *, programme_id: int) -> dict[int, Person]:
    """Every person of a programme by id."""
    rows = await session.exec(select(Person).where(Person.programme_id == programme_id))
    return {p.id: p for p in rows.all() if p.id is not None}


async def unit_names(session: AsyncSession, *, programme_id: int) -> dict[int, str]:
    """Every unit of a programme by id."""
    rows = await session.exec(select(Unit).where(Unit.programme_id == programme_id))
    return {u.id: u.name for u in rows.all() if u.id is not None}
