"""People, roles, invites and who a Telegram user is."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.invites import Redeem, invited_roles, redemption
from bot.domain.model import Role
from storage import audit
from storage.models import Invite, Person, Programme, RoleGrant, Unit, UserPref


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


async def invite_for(
    session: AsyncSession, *, programme_id: int, person_id: int, now: datetime, days: int
) -> Invite:
    """A live invite for the person: the existing one, or a new random token."""
    live = (
        await session.exec(
            select(Invite).where(
                Invite.programme_id == programme_id,
                Invite.person_id == person_id,
                col(Invite.used_at).is_(None),
                col(Invite.revoked_at).is_(None),
                col(Invite.expires_at) > now,
            )
        )
    ).first()
    if live is not None:
        return live
    invite = Invite(
        programme_id=programme_id,
        person_id=person_id,
        token=secrets.token_urlsafe(18),
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    session.add(invite)
    await session.flush()
    return invite


async def revoke(session: AsyncSession, *, programme_id: int, person_id: int, now: datetime) -> int:
    """Revoke every live invite of a person; returns how many."""
    rows = await session.exec(
        select(Invite).where(
            Invite.programme_id == programme_id,
            Invite.person_id == person_id,
            col(Invite.used_at).is_(None),
            col(Invite.revoked_at).is_(None),
        )
    )
    count = 0
    for invite in rows.all():
        invite.revoked_at = now
        session.add(invite)
        count += 1
    return count


async def locales_of(session: AsyncSession, *, user_ids: Sequence[int]) -> dict[int, str]:
    """Each user's language: chosen, else Telegram's (when we have it)."""
    rows = await session.exec(select(UserPref).where(col(UserPref.telegram_user_id).in_(user_ids)))
    return {p.telegram_user_id: loc for p in rows.all() if (loc := p.locale or p.tg_locale)}


async def redeem(
    session: AsyncSession, *, token: str, user_id: int, display_name: str, now: datetime
) -> tuple[Redeem, Person | None]:
    """Redeem an invite token: bind the Telegram user to the invite's person when the rules allow."""
    invite = (await session.exec(select(Invite).where(Invite.token == token))).first()
    if invite is None:
        return Redeem.UNKNOWN, None
    person = await session.get(Person, invite.person_id)
    assert person is not None
    outcome = redemption(
        used=invite.used_at is not None,
        revoked=invite.revoked_at is not None,
        expires_at=invite.expires_at,
        bound_to=person.telegram_user_id,
        user_id=user_id,
        now=now,
    )
    if outcome is Redeem.BOUND:
        invite.used_at = now
        session.add(invite)
        await bind(
            session,
            person=person,
            user_id=user_id,
            display_name=display_name,
            actor=f"tg:{user_id}",
            now=now,
        )
    return outcome, person if outcome.welcome else None


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


async def invite_rows(
    session: AsyncSession,
    *,
    programme_id: int,
    now: datetime,
    days: int,
    role_label: Callable[[Role], str],
) -> list[tuple[str, str, str]]:
    """(name, roles, token) for every unbound owner or leader, reusing live invites."""
    roles = await roles_by_person(session, programme_id=programme_id)
    out = []
    for person in await people(session, programme_id=programme_id):
        held = invited_roles(
            roles.get(person.id or 0, set()), bound=person.telegram_user_id is not None
        )
        if not held:
            continue
        assert person.id is not None
        invite = await invite_for(
            session, programme_id=programme_id, person_id=person.id, now=now, days=days
        )
        out.append((person.name, ", ".join(role_label(r) for r in sorted(held)), invite.token))
    return out
