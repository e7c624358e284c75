"""A new programme, with the admin who made it as its first coordinator."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Role
from storage import people, programmes
from storage.models import Person, Programme


async def found(
    s: AsyncSession,
    *,
    name: str,
    user_id: int,
    display_name: str,
    actor: str,
    now: datetime,
    timezone: str,
    locale: str,
) -> tuple[Programme, Person]:
    """Create the programme; its founder is bound to it as a coordinator (the caller's transaction)."""
    programme = await programmes.create(
        s, name=name, actor=actor, now=now, timezone=timezone, locale=locale
    )
    assert programme.id is not None
    me = await people.person_named(s, programme_id=programme.id, name=display_name)
    assert me.id is not None
    await people.bind(
        s, person=me, user_id=user_id, display_name=display_name, actor=actor, now=now
    )
    await people.grant(s, programme_id=programme.id, person_id=me.id, role=Role.COORDINATOR)
    return programme, me
