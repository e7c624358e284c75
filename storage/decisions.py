"""Sign-off (销号) requests and coordinators' decisions: the first decision wins."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.evidence import Fingerprint
from core.domain.extension import approved
from core.domain.lifecycle import Event, next_status
from core.domain.model import Status
from storage import audit, evidence
from storage.models import EvidenceFile, Measure, Person, SignoffRequest, Unit

PENDING, APPROVED, REJECTED = "pending", "approved", "rejected"
SIGNOFF, EXTENSION = "signoff", "extension"


@dataclass(frozen=True)
class RequestView:
    """A request with what a coordinator needs to decide it."""

    request: SignoffRequest
    measure: Measure
    owner: str
    unit: str
    files: list[EvidenceFile]
    decided_by: str = ""
    # the programme's files with the same identity as these (a file reused for another measure)
    look_alikes: list[Fingerprint] = field(default_factory=list)


async def _open(
    session: AsyncSession,
    measure: Measure,
    *,
    kind: str,
    person_id: int,
    report: str,
    now: datetime,
    new_deadline: date | None = None,
) -> SignoffRequest:
    """A new undecided request of either kind, with its id."""
    assert measure.id is not None
    request = SignoffRequest(
        programme_id=measure.programme_id,
        measure_id=measure.id,
        kind=kind,
        requested_by=person_id,
        report=report,
        new_deadline=new_deadline,
        created_at=now,
    )
    session.add(request)
    await session.flush()
    return request


def _audit(
    session: AsyncSession,
    measure: Measure,
    *,
    actor: str,
    action: str,
    before: Mapping[str, object],
    after: Mapping[str, object],
    now: datetime,
) -> None:
    """The measure's audit event for a request or a decision."""
    audit.record(
        session,
        programme_id=measure.programme_id,
        actor=actor,
        action=action,
        entity="measure",
        entity_id=measure.id,
        before=before,
        after=after,
        now=now,
    )


async def request_signoff(
    session: AsyncSession,
    *,
    measure: Measure,
    person_id: int,
    actor: str,
    now: datetime,
    report: str,
    update_id: int,
) -> SignoffRequest:
    """The owner asks for sign-off with a report and the files of the answer just saved."""
    before = measure.status
    measure.status = next_status(Status(before), Event.REQUEST_SIGNOFF).value
    measure.updated_at = now
    session.add(measure)
    request = await _open(
        session, measure, kind=SIGNOFF, person_id=person_id, report=report, now=now
    )
    files = (
        await session.exec(select(EvidenceFile).where(EvidenceFile.update_id == update_id))
    ).all()
    for f in files:
        f.signoff_id = request.id
        session.add(f)
    after = {"status": measure.status, "request": request.id, "report": report, "files": len(files)}
    _audit(
        session,
        measure,
        actor=actor,
        action="measure.signoff_request",
        before={"status": before},
        after=after,
        now=now,
    )
    return request


async def request_extension(
    session: AsyncSession,
    *,
    measure: Measure,
    person_id: int,
    actor: str,
    now: datetime,
    new_deadline: date,
    reason: str,
) -> SignoffRequest:
    """The owner asks for a later deadline (申请延期); the status does not change."""
    request = await _open(
        session,
        measure,
        kind=EXTENSION,
        person_id=person_id,
        report=reason,
        now=now,
        new_deadline=new_deadline,
    )
    _audit(
        session,
        measure,
        actor=actor,
        action="measure.extension_request",
        before={"deadline": measure.deadline},
        after={"deadline": new_deadline, "request": request.id, "reason": reason},
        now=now,
    )
    return request


async def view(session: AsyncSession, *, request_id: int) -> RequestView | None:
    """The request with its measure, owner, unit, evidence and decider."""
    request = await session.get(SignoffRequest, request_id)
    if request is None:
        return None
    measure = await session.get(Measure, request.measure_id)
    assert measure is not None
    owner = await session.get(Person, measure.owner_id)
    unit = await session.get(Unit, measure.lead_unit_id)
    decider = await session.get(Person, request.decided_by) if request.decided_by else None
    files = (
        await session.exec(
            select(EvidenceFile)
            .where(EvidenceFile.signoff_id == request_id)
            .order_by(col(EvidenceFile.id))
        )
    ).all()
    return RequestView(
        request=request,
        measure=measure,
        owner=owner.name if owner else "",
        unit=unit.name if unit else "",
        files=list(files),
        decided_by=decider.name if decider else "",
        look_alikes=await evidence.look_alikes(
            session, programme_id=request.programme_id, files=files
        ),
    )


async def pending(session: AsyncSession, *, programme_id: int) -> list[int]:
    """Ids of the programme's undecided requests, oldest first."""
    rows = await session.exec(
        select(SignoffRequest.id)
        .where(SignoffRequest.programme_id == programme_id, SignoffRequest.state == PENDING)
        .order_by(col(SignoffRequest.created_at), col(SignoffRequest.id))
    )
    return [i for i in rows.all() if i is not None]


async def pending_asked(session: AsyncSession, *, programme_id: int) -> list[tuple[str, datetime]]:
    """Undecided requests as (measure code, when asked)."""
    rows = await session.exec(
        select(Measure.code, SignoffRequest.created_at)
        .join(Measure, col(Measure.id) == SignoffRequest.measure_id)
        .where(SignoffRequest.programme_id == programme_id, SignoffRequest.state == PENDING)
    )
    return [(code, at) for code, at in rows.all()]


async def claim(
    session: AsyncSession,
    *,
    request_id: int,
    person_id: int,
    verdict: str,
    reason: str,
    now: datetime,
) -> bool:
    """Decide the request if nobody has: one conditional UPDATE, so two presses cannot both win."""
    result = await session.exec(
        update(SignoffRequest)
        .where(col(SignoffRequest.id) == request_id, col(SignoffRequest.state) == PENDING)
        .values(state=verdict, decided_by=person_id, decided_at=now, reason=reason)
    )
    won = bool(result.rowcount == 1)
    if won:
        request = await session.get(SignoffRequest, request_id)
        if request is not None:
            await session.refresh(request)
    return won


async def settle_measure(
    session: AsyncSession,
    *,
    request: SignoffRequest,
    actor: str,
    decider: str,
    today: date,
    now: datetime,
) -> Measure:
    """Apply a won decision to the measure (closed, or back in progress) and audit it."""
    measure = await session.get(Measure, request.measure_id)
    assert measure is not None and measure.id is not None
    if request.kind == EXTENSION:
        return _settle_extension(session, request, measure, actor, decider, now)
    before = {"status": measure.status, "closed_on": measure.closed_on}
    approve = request.state == APPROVED
    event = Event.APPROVE if approve else Event.REJECT
    measure.status = next_status(Status(measure.status), event).value
    measure.closed_on = today if approve else None
    measure.updated_at = now
    session.add(measure)
    _audit(
        session,
        measure,
        actor=actor,
        action="measure.signoff_approve" if approve else "measure.signoff_send_back",
        before=before,
        after={
            "status": measure.status,
            "closed_on": measure.closed_on,
            **_verdict(request, decider),
        },
        now=now,
    )
    return measure


def _verdict(request: SignoffRequest, decider: str) -> dict[str, object]:
    """What every decision's audit event names: the request, who decided, and why."""
    return {"request": request.id, "by": decider, "reason": request.reason}


async def programme_of_request(session: AsyncSession, *, request_id: int) -> int | None:
    """The programme a request belongs to, or None."""
    request = await session.get(SignoffRequest, request_id)
    return request.programme_id if request is not None else None


def _settle_extension(
    session: AsyncSession,
    request: SignoffRequest,
    measure: Measure,
    actor: str,
    decider: str,
    now: datetime,
) -> Measure:
    """An approved extension moves the deadline and keeps the first one; a refusal changes nothing."""
    assert measure.id is not None
    before = {"deadline": measure.deadline, "original_deadline": measure.original_deadline}
    approve = request.state == APPROVED
    if approve:
        assert request.new_deadline is not None
        measure.deadline, measure.original_deadline = approved(
            measure.deadline, measure.original_deadline, request.new_deadline
        )
        measure.updated_at = now
        session.add(measure)
    _audit(
        session,
        measure,
        actor=actor,
        action="measure.extension_approve" if approve else "measure.extension_refuse",
        before=before,
        after={
            "deadline": measure.deadline,
            "original_deadline": measure.original_deadline,
            **_verdict(request, decider),
        },
        now=now,
    )
    return measure
