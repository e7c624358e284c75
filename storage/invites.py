"""Invite links: issued, revoked and redeemed; the rules are in core.domain.invites."""

from __future__ import annotations

import secrets
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.invites import Redeem, invited_roles, redemption
from core.domain.model import Role
from storage import audit
from storage.models import Person
from storage.models_people import Invite
from storage.people import bind, people, roles_by_person


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


async def redeem(
    session: AsyncSession, *, token: str, user_id: int, display_name: str, now: datetime
) -> tuple[Redeem, Person | None]:
    """Redeem an invite token; the person is the one bound, or for DUPLICATE the user's other one."""
    invite = (await session.exec(select(Invite).where(Invite.token == token))).first()
    if invite is None:
        return Redeem.UNKNOWN, None
    person = await session.get(Person, invite.person_id)
    assert person is not None and invite.id is not None
    other = (
        await session.exec(
            select(Person).where(
                Person.programme_id == person.programme_id,
                Person.telegram_user_id == user_id,
                Person.id != person.id,
            )
        )
    ).first()
    outcome = redemption(
        used=invite.used_at is not None,
        revoked=invite.revoked_at is not None,
        expires_at=invite.expires_at,
        bound_to=person.telegram_user_id,
        user_id=user_id,
        now=now,
        other_person=other is not None,
    )
    if outcome is Redeem.DUPLICATE:
        return outcome, other
    if outcome is Redeem.BOUND:
        if not await claim_invite(session, invite_id=invite.id, now=now):
            return Redeem.USED, None  # another redemption of this link won the race
        await bind(
            session,
            person=person,
            user_id=user_id,
            display_name=display_name,
            actor=f"tg:{user_id}",
            now=now,
        )
    return outcome, person if outcome.welcome else None


async def claim_invite(session: AsyncSession, *, invite_id: int, now: datetime) -> bool:
    """Mark the invite used if nobody did meanwhile: one conditional UPDATE, so one winner."""
    result = await session.exec(
        update(Invite)
        .where(
            col(Invite.id) == invite_id,
            col(Invite.used_at).is_(None),
            col(Invite.revoked_at).is_(None),
        )
        .values(used_at=now)
    )
    return bool(result.rowcount == 1)


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


async def not_opened(
    session: AsyncSession, *, programme_id: int, issued_before: datetime
) -> list[tuple[Person, datetime]]:
    """Unbound people whose latest link was issued before then and never opened, with its date.

    A link revoked on purpose (/revoke) is no reminder: that person is left out.
    """
    rows = await session.exec(
        select(Invite, Person)
        .join(Person, col(Person.id) == Invite.person_id)
        .where(Invite.programme_id == programme_id, col(Person.telegram_user_id).is_(None))
        .order_by(col(Invite.created_at), col(Invite.id))
    )
    latest: dict[int, tuple[Invite, Person]] = {}
    for invite, person in rows.all():
        latest[invite.person_id] = (invite, person)  # the newest wins
    return sorted(
        (
            (person, invite.created_at)
            for invite, person in latest.values()
            if invite.used_at is None
            and invite.revoked_at is None
            and _aware(invite.created_at) < issued_before
        ),
        key=lambda pair: pair[0].name,
    )


def _aware(moment: datetime) -> datetime:
    """SQLite hands stored moments back without their zone (they are UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


async def fresh_link(session: AsyncSession, *, person: Person, now: datetime, days: int) -> Invite:
    """The person's one live link: every earlier one revoked, a new one issued."""
    assert person.id is not None
    await revoke(session, programme_id=person.programme_id, person_id=person.id, now=now)
    await session.flush()  # the revoked links are no longer live for invite_for
    return await invite_for(
        session, programme_id=person.programme_id, person_id=person.id, now=now, days=days
    )


async def reissue(
    session: AsyncSession, *, person: Person, actor: str, now: datetime, days: int
) -> Invite:
    """A fresh link for someone who never opened theirs; the old ones stop working."""
    assert person.id is not None
    invite = await fresh_link(session, person=person, now=now, days=days)
    audit.record(
        session,
        programme_id=person.programme_id,
        actor=actor,
        action="person.reissue",
        entity="person",
        entity_id=person.id,
        after={"invite_id": invite.id},
        now=now,
    )
    return invite
