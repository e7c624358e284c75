"""Each coordinator's copy of a request, so that a decision can edit every one of them."""

from __future__ import annotations

from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import DecisionCopy, SignoffRequest


async def add_copy(
    session: AsyncSession,
    *,
    request: SignoffRequest,
    person_id: int,
    chat_id: int,
    message_id: int,
    locale: str,
) -> None:
    """Remember a coordinator's copy so a decision can edit it."""
    assert request.id is not None
    session.add(
        DecisionCopy(
            programme_id=request.programme_id,
            request_id=request.id,
            person_id=person_id,
            chat_id=chat_id,
            message_id=message_id,
            locale=locale,
        )
    )


async def copies(session: AsyncSession, *, request_id: int) -> list[DecisionCopy]:
    """Every copy of the request sent to a coordinator."""
    rows = await session.exec(select(DecisionCopy).where(DecisionCopy.request_id == request_id))
    return list(rows.all())
