"""People, units, roles, binding to Telegram, and who a Telegram user is."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, Select, Table, cast, literal
from sqlalchemy import select as core_select
from sqlalchemy.orm import make_transient_to_detached
from sqlalchemy.orm.attributes import manager_of_class
from sqlalchemy.orm.util import identity_key
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Role
from storage import audit
from storage.db import IdentityCache
from storage.models import Person, Programme, RoleGrant, Unit
from storage.models_people import UserPref


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
    # the columns of each programme they belong to: the gate needs no second query for it
    programmes: Mapping[int, Mapping[str, Any]] = field(default_factory=dict)
    unreachable: bool = False  # marked unreachable in some programme: held messages wait

    def membership(self, programme_id: int | None) -> Membership | None:
        """The membership in that programme, if any."""
        return next((m for m in self.memberships if m.programme_id == programme_id), None)


# programme columns under their own names: "programme_id" is the membership's programme
_PROGRAMME = {
    c.key: c.label("programme_id" if c.key == "id" else f"programme_{c.key}")
    for c in Programme.__table__.c  # type: ignore[attr-defined]
}


def _table(model: type[SQLModel]) -> Table:
    table = model.__table__  # type: ignore[attr-defined]
    assert isinstance(table, Table)
    return table


def _identity_query(user_id: int) -> Select[Any]:
    """Preference, people, roles and their programmes of one user: one row per role held."""
    me = core_select(cast(literal(user_id), BigInteger).label("uid")).subquery("me")
    pref, person, grant, prog = (_table(t) for t in (UserPref, Person, RoleGrant, Programme))
    return (
        core_select(
            pref.c.locale,
            pref.c.tg_locale,
            pref.c.programme_id.label("current"),
            person.c.id.label("person_id"),
            person.c.name.label("person_name"),
            person.c.unreachable_since,
            grant.c.role,
            *_PROGRAMME.values(),
        )
        .select_from(me)
        .outerjoin(pref, pref.c.telegram_user_id == me.c.uid)
        .outerjoin(person, person.c.telegram_user_id == me.c.uid)
        .outerjoin(prog, prog.c.id == person.c.programme_id)
        .outerjoin(grant, grant.c.person_id == person.c.id)
    )


async def identity(
    session: AsyncSession, *, user_id: int, cache: IdentityCache | None = None
) -> Identity:
    """Who this Telegram user is, in every programme: cached, else one Core select."""
    if cache is not None:
        if (hit := cache.get(user_id)) is not None:
            assert isinstance(hit, Identity)
            return hit
        generation = cache.generation
    who = await _read_identity(session, user_id)
    if cache is not None:
        cache.put(user_id, who, generation)
    return who


async def _read_identity(session: AsyncSession, user_id: int) -> Identity:
    rows = (await (await session.connection()).execute(_identity_query(user_id))).all()
    found: dict[int, tuple[int, str, set[Role]]] = {}
    programmes: dict[int, dict[str, Any]] = {}
    unreachable = False
    for row in rows:
        if row.person_id is None:
            continue
        columns = row._mapping
        pid = columns["programme_id"]
        programmes.setdefault(pid, {k: columns[c.name] for k, c in _PROGRAMME.items()})
        entry = found.setdefault(row.person_id, (pid, row.person_name, set()))
        if row.role:
            entry[2].add(Role(row.role))
        unreachable = unreachable or row.unreachable_since is not None
    members = tuple(
        Membership(pid, programmes[pid]["name"], person_id, name, frozenset(roles))
        for person_id, (pid, name, roles) in sorted(found.items())
    )
    first = rows[0]
    return Identity(
        user_id=user_id,
        locale=first.locale,
        tg_locale=first.tg_locale,
        current_programme_id=first.current,
        memberships=members,
        programmes=programmes,
        unreachable=unreachable,
    )


def attach_programme(session: AsyncSession, who: Identity, programme_id: int) -> Programme | None:
    """The programme the identity query read, in the session without a query (None: not read)."""
    columns = who.programmes.get(programme_id)
    if columns is None:
        return None
    loaded = session.sync_session.identity_map.get(identity_key(Programme, programme_id))
    if isinstance(loaded, Programme):
        return loaded  # already loaded by this session (a button's look-up, say)
    # built as a query builds it (no validating constructor), then as if loaded: changes are UPDATEs
    programme = manager_of_class(Programme).new_instance()
    programme.__dict__.update(columns)
    make_transient_to_detached(programme)
    session.add(programme)
    return programme


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
    changed(session, person_id)
    return True


CHANGED = "cadence.people"  # session.info key: people bound or given a role in this transaction


def changed(session: AsyncSession, person_id: int | None) -> None:
    """Note a person whose binding or roles this transaction changed (their menu follows)."""
    if person_id is not None:
        session.info.setdefault(CHANGED, set()).add(person_id)


def changed_people(session: AsyncSession) -> set[int]:
    """The people this session's transaction bound or gave a role."""
    return set(session.info.get(CHANGED, ()))


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
    changed(session, person.id)
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
