"""Coordinator invites: a placeholder person per link, named by whoever redeems it."""

from __future__ import annotations

import secrets
from datetime import datetime

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Role
from storage import audit
from storage.invites import invite_for
from storage.models import Person
from storage.models_people import Invite
from storage.people import grant, person_named

PLACEHOLDER = "#"  # names from the ledger never start so; the new coordinator names themselves


def unnamed(name: str) -> bool:
    """The person is a coordinator invited by link who has not given a name yet."""
    return name.startswith(PLACEHOLDER)


async def invite(
    session: AsyncSession, *, programme_id: int, count: int, actor: str, now: datetime, days: int
) -> list[Invite]:
    """count single-use links, each binding a new coordinator."""
    out = []
    for _ in range(count):
        person = await person_named(
            session, programme_id=programme_id, name=PLACEHOLDER + secrets.token_hex(4)
        )
        assert person.id is not None
        await grant(session, programme_id=programme_id, person_id=person.id, role=Role.COORDINATOR)
        out.append(
            await invite_for(
                session, programme_id=programme_id, person_id=person.id, now=now, days=days
            )
        )
        audit.record(
            session,
            programme_id=programme_id,
            actor=actor,
            action="person.invite_coordinator",
            entity="person",
            entity_id=person.id,
            after={"name": person.name},
            now=now,
        )
    return out


async def name(
    session: AsyncSession, *, person_id: int, name: str, actor: str, now: datetime
) -> Person | None:
    """Give an unnamed coordinator their name; None when another person has it already."""
    person = await session.get(Person, person_id)
    assert person is not None
    taken = (
        await session.exec(
            select(Person).where(Person.programme_id == person.programme_id, Person.name == name)
        )
    ).first()
    if taken is not None:
        return None
    before = person.name
    person.name = name
    session.add(person)
    audit.record(
        session,
        programme_id=person.programme_id,
        actor=actor,
        action="person.name",
        entity="person",
        entity_id=person.id,
        before={"name": before},
        after={"name": name},
        now=now,
    )
    return person
