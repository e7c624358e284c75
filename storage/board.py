"""What the leaders' board reads beyond the pictures: a measure's evidence and requests."""

from __future__ import annotations

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Role
from storage.models import EvidenceFile, Person, RoleGrant, SignoffRequest, UserPref


async def evidence(session: AsyncSession, *, measure_id: int) -> list[EvidenceFile]:
    """Every file attached to the measure, oldest first."""
    rows = await session.exec(
        select(EvidenceFile)
        .where(EvidenceFile.measure_id == measure_id)
        .order_by(col(EvidenceFile.created_at), col(EvidenceFile.id))
    )
    return list(rows.all())


async def requests(session: AsyncSession, *, measure_id: int) -> list[tuple[SignoffRequest, str]]:
    """The measure's sign-off and extension requests, newest first, with who decided each."""
    rows = await session.exec(
        select(SignoffRequest, Person.name)
        .outerjoin(Person, col(Person.id) == SignoffRequest.decided_by)
        .where(SignoffRequest.measure_id == measure_id)
        .order_by(col(SignoffRequest.created_at).desc(), col(SignoffRequest.id).desc())
    )
    return [(r, name or "") for r, name in rows.all()]


async def menu_people(session: AsyncSession) -> dict[int, str | None]:
    """Every bound leader and coordinator of any programme: Telegram id -> chosen language."""
    rows = await session.exec(
        select(Person.telegram_user_id, UserPref.locale, UserPref.tg_locale)
        .join(RoleGrant, col(RoleGrant.person_id) == Person.id)
        .outerjoin(UserPref, col(UserPref.telegram_user_id) == Person.telegram_user_id)
        .where(
            col(Person.telegram_user_id).is_not(None),
            col(RoleGrant.role).in_([Role.LEADER.value, Role.COORDINATOR.value]),
        )
    )
    return {uid: chosen or seen for uid, chosen, seen in rows.all() if uid is not None}
