"""Roles that follow the ledger: withdrawn when the ledger no longer names the person."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Role
from core.domain.roles import RoleChange, RoleLoss, ledger_roles, role_change, roles_to_drop
from storage import audit
from storage.models import CoOwner, Measure, Person, RoleGrant
from storage.people import changed, roles_by_person, with_role


async def _ledger_given(session: AsyncSession, *, programme_id: int) -> dict[int, frozenset[Role]]:
    """Each person's roles as the live measures give them (co-owners own too)."""
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
    # further leaders are stored by name (Measure.co_leaders, joined with 、)
    named = await session.exec(
        select(Measure.co_leaders).where(
            Measure.programme_id == programme_id,
            col(Measure.removed_at).is_(None),
            Measure.co_leaders != "",
        )
    )
    wanted = {n for joined in named.all() for n in joined.split("、") if n}
    ids = (
        await session.exec(
            select(Person.id).where(
                Person.programme_id == programme_id, col(Person.name).in_(wanted)
            )
        )
        if wanted
        else None
    )
    co_leaders = [(None, pid) for pid in (ids.all() if ids is not None else [])]
    return ledger_roles([*live.all(), *((pid, None) for pid in co_owners.all()), *co_leaders])


async def _ledger_held(session: AsyncSession, *, programme_id: int) -> dict[int, set[Role]]:
    """Roles held as the ledger gave them: grants made by hand in /people are not the ledger's."""
    rows = await session.exec(
        select(RoleGrant).where(
            RoleGrant.programme_id == programme_id, col(RoleGrant.by_hand).is_(False)
        )
    )
    out: dict[int, set[Role]] = {}
    for g in rows.all():
        out.setdefault(g.person_id, set()).add(Role(g.role))
    return out


async def follow_ledger(
    session: AsyncSession, *, programme_id: int, actor: str, now: datetime
) -> list[RoleLoss]:
    """Withdraw owner and leader roles the live measures no longer give; audit each withdrawal."""
    given = await _ledger_given(session, programme_id=programme_id)
    held = await _ledger_held(session, programme_id=programme_id)
    drops = roles_to_drop(held, given)
    every = await roles_by_person(session, programme_id=programme_id)
    losses = []
    for person_id, lost in sorted(drops.items()):
        await session.exec(
            delete(RoleGrant).where(
                col(RoleGrant.programme_id) == programme_id,
                col(RoleGrant.person_id) == person_id,
                col(RoleGrant.role).in_([r.value for r in lost]),
            )
        )
        before = sorted(r.value for r in every[person_id])
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


async def bound_coordinators(session: AsyncSession, *, programme_id: int) -> list[Person]:
    """The coordinators who can act: bound to a Telegram account."""
    return [
        p
        for p in await with_role(session, programme_id=programme_id, role=Role.COORDINATOR)
        if p.telegram_user_id is not None
    ]


async def set_role(
    session: AsyncSession, *, person: Person, role: Role, on: bool, actor: str, now: datetime
) -> RoleChange:
    """Grant (on) or remove a coordinator or leader role by hand; audited when it changes."""
    assert person.id is not None
    pid = person.programme_id
    held = (await roles_by_person(session, programme_id=pid)).get(person.id, set())
    others = [p for p in await bound_coordinators(session, programme_id=pid) if p.id != person.id]
    given = (await _ledger_given(session, programme_id=pid)).get(person.id, frozenset())
    outcome = role_change(
        held=held, role=role, on=on, by_ledger=given, coordinators_left=len(others)
    )
    if outcome is RoleChange.GRANTED:
        session.add(RoleGrant(programme_id=pid, person_id=person.id, role=role.value, by_hand=True))
        changed(session, person.id)
    elif outcome is RoleChange.REMOVED:
        await session.exec(
            delete(RoleGrant).where(
                col(RoleGrant.programme_id) == pid,
                col(RoleGrant.person_id) == person.id,
                col(RoleGrant.role) == role.value,
            )
        )
    else:
        return outcome
    after = held | {role} if on else held - {role}
    audit.record(
        session,
        programme_id=pid,
        actor=actor,
        action="person.roles",
        entity="person",
        entity_id=person.id,
        before={"roles": sorted(r.value for r in held)},
        after={"roles": sorted(r.value for r in after)},
        now=now,
    )
    return outcome
