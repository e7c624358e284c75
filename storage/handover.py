"""Hand-over: a ledger person passes to a new Telegram user; the audit keeps both."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import audit
from storage.invites import fresh_link, revoke
from storage.models import AuditEvent, Person
from storage.models_people import Invite


def _let_go(session: AsyncSession, person: Person) -> tuple[int | None, dict[str, object]]:
    """Unbind the person from their Telegram user: the old user id, and the audit's before."""
    old_user = person.telegram_user_id
    before: dict[str, object] = {
        "telegram_user_id": old_user,
        "telegram_name": person.telegram_name,
    }
    person.telegram_user_id = None
    person.telegram_name = None
    person.unreachable_since = None
    session.add(person)
    return old_user, before


async def hand_over(
    session: AsyncSession, *, person: Person, actor: str, now: datetime, days: int
) -> tuple[int | None, Invite]:
    """Unbind the person (returns the old user id) and issue one fresh single-use link."""
    assert person.id is not None
    old_user, before = _let_go(session, person)
    invite = await fresh_link(session, person=person, now=now, days=days)
    audit.record(
        session,
        programme_id=person.programme_id,
        actor=actor,
        action="person.handover",
        entity="person",
        entity_id=person.id,
        before=before,
        after={"telegram_user_id": None, "invite_id": invite.id},
        now=now,
    )
    return old_user, invite


async def unbind(session: AsyncSession, *, person: Person, actor: str, now: datetime) -> int | None:
    """/revoke on a bound person: unbind them and revoke their links; returns the old user id."""
    assert person.id is not None
    old_user, before = _let_go(session, person)
    await revoke(session, programme_id=person.programme_id, person_id=person.id, now=now)
    audit.record(
        session,
        programme_id=person.programme_id,
        actor=actor,
        action="person.unbind",
        entity="person",
        entity_id=person.id,
        before=before,
        after={"telegram_user_id": None},
        now=now,
    )
    return old_user


async def last_let_go(session: AsyncSession, *, user_id: int) -> AuditEvent | None:
    """The latest hand-over or unbinding that took a place from this Telegram user, if any."""
    # the user id sits in the event's JSON: narrowed in SQL, confirmed on the decoded value
    rows = await session.exec(
        select(AuditEvent)
        .where(
            col(AuditEvent.action).in_(("person.handover", "person.unbind")),
            col(AuditEvent.before).contains(f'"telegram_user_id": {user_id}'),
        )
        .order_by(col(AuditEvent.at).desc(), col(AuditEvent.id).desc())
    )
    for found in rows.all():
        before = audit.load(found.before)
        if isinstance(before, dict) and before.get("telegram_user_id") == user_id:
            return found
    return None
