"""Ask for an extension (申请延期): the request, and its copies to every coordinator."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from storage import decisions
from storage.models import Measure, Programme
from usecases.actor import Actor
from usecases.copies import plan_copies


@dataclass(frozen=True)
class Extension:
    """A later deadline for a measure the owner may answer for, and why."""

    measure: Measure
    new_deadline: date
    reason: str


@dataclass(frozen=True)
class Asked:
    """The reply to the owner: the request is with the task force."""

    code: str


async def ask(
    session: AsyncSession,
    *,
    programme: Programme,
    actor: Actor,
    extension: Extension,
    now: datetime,
) -> Asked:
    """Store the request; the coordinators' copies are planned in this transaction."""
    m = extension.measure
    request = await decisions.request_extension(
        session,
        measure=m,
        person_id=actor.person_id,
        actor=actor.audit,
        now=now,
        new_deadline=extension.new_deadline,
        reason=extension.reason,
    )
    await session.flush()
    assert request.id is not None
    await plan_copies(session, programme=programme, request_id=request.id, now=now)
    return Asked(code=m.code)
