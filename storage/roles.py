"""Roles that follow the ledger: withdrawn when the ledger no longer names the person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.roles import RoleLoss, ledger_roles, roles_to_drop
from storage import audit
from storage.models import CoOwner, Measure, Person, RoleGrant
from storage.people import roles_by_person


async def follow_ledger(
    session: AsyncSession, *, programme_id: int, actor: str, now: datetime
) -> list[RoleLoss]:
    """Withdraw owner and leader roles the live measures no longer give; audit each withdrawal."""
    await session.flush()
    live = await session.exec(
        select(Measure.owner_id, Measure.leader_id).where(
            Measure.programme_id == programme_id, col(Measure.removed_at).is_(None)
        )
    )
    co_owners = await session.exec(
        select(CoOwner.person_id)
        .join(Measure, col(Measure.id) == CoOwner.measure_id)
        .where(CoOwner.programme_id == programme_id, col(Measure.removed_at).is_(None))
    )
    pairs = [*live.all(), *((pid, None) for pid in co_owners.all())]  # co-owners own too
    held = await roles_by_person(session, programme_id=programme_id)
    drops = roles_to_drop(held, ledger_roles(pairs))
    losses = []
    for person_id, lost in sorted(drops.items()):
        await session.exec(
            delete(RoleGrant).where(
                col(RoleGrant.programme_id) == programme_id,
                col(RoleGrant.person_id) == person_id,
                col(RoleGrant.role).in_([r.value for r in lost]),
            )
        )
        before = sorted(r.value for r in held[person_id])
        audit.record(
            session,
            programme_id=programme_id,
            actor=actor,
            action="person.roles",
            entity="person",
            entity_id=person_id,
            before={"roles": before},
            after={"roles": [r for r in before if r not in {x.value for x in lost}]},
            now=now,
        )
        person = await session.get(Person, person_id)
        assert person is not None
        losses.append(RoleLoss(person_id, person.name, lost))
    return losses
