"""Sign-off requests a re-import overtook: the file gave the measure another status."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Status
from storage import audit
from storage.decisions import PENDING, SIGNOFF
from storage.models import Measure, SignoffRequest

WITHDRAWN = "withdrawn"


def stale(request: SignoffRequest, measure: Measure) -> bool:
    """An open sign-off request whose measure no longer awaits sign-off: nothing to decide."""
    return (
        request.state == PENDING
        and request.kind == SIGNOFF
        and measure.status != Status.PENDING_SIGNOFF.value
    )


def withdraw(
    session: AsyncSession, request: SignoffRequest, measure: Measure, *, actor: str, now: datetime
) -> None:
    """Close the request without a decision, in the measure's history."""
    assert measure.id is not None
    request.state, request.decided_at = WITHDRAWN, now
    session.add(request)
    audit.record(
        session,
        programme_id=measure.programme_id,
        actor=actor,
        action="measure.signoff_withdraw",
        entity="measure",
        entity_id=measure.id,
        before={"request": request.id, "state": PENDING},
        after={"request": request.id, "state": WITHDRAWN, "status": measure.status},
        now=now,
    )


async def withdraw_stale(
    session: AsyncSession, *, programme_id: int, actor: str, now: datetime
) -> list[tuple[SignoffRequest, Measure]]:
    """Withdraw every open sign-off request whose measure an import moved out of 待销号."""
    rows = await session.exec(
        select(SignoffRequest, Measure)
        .join(Measure, col(Measure.id) == SignoffRequest.measure_id)
        .where(
            SignoffRequest.programme_id == programme_id,
            SignoffRequest.state == PENDING,
            SignoffRequest.kind == SIGNOFF,
            Measure.status != Status.PENDING_SIGNOFF.value,
        )
        .order_by(col(SignoffRequest.id))
    )
    found = list(rows.all())
    for request, measure in found:
        withdraw(session, request, measure, actor=actor, now=now)
    return found
