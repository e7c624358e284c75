"""Institutional outcomes (建章立制): stored with their evidence, audited, read back as of a moment."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select as rows_of
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain import outcomes as domain
from core.domain.replay import OUTCOME, Recorded
from core.domain.replay import outcomes as replayed
from storage import audit
from storage.answers import Evidence
from storage.documents import day_in
from storage.models import AuditEvent, CoOwner, EvidenceFile, Measure, Programme
from storage.models_outcomes import InstitutionalOutcome


async def measure_with_owners(
    session: AsyncSession, *, programme_id: int, code: str = "", measure_id: int = 0
) -> tuple[Measure, list[int]] | None:
    """A live measure of the programme by code (or id), and its owner and co-owners."""
    query = select(Measure).where(
        Measure.programme_id == programme_id, col(Measure.removed_at).is_(None)
    )
    query = query.where(Measure.code == code) if code else query.where(Measure.id == measure_id)
    m = (await session.exec(query)).first()
    if m is None or m.id is None:
        return None
    co = await session.exec(select(CoOwner.person_id).where(CoOwner.measure_id == m.id))
    return m, [m.owner_id, *co.all()]


async def with_number(
    session: AsyncSession, *, programme_id: int, number: str
) -> tuple[InstitutionalOutcome, str] | None:
    """The outcome of the programme already recorded under this number, and its measure's code."""
    row = (
        await session.exec(
            select(InstitutionalOutcome, Measure.code)
            .join(Measure, col(Measure.id) == col(InstitutionalOutcome.measure_id))
            .where(
                InstitutionalOutcome.programme_id == programme_id,
                InstitutionalOutcome.number == number,
            )
        )
    ).first()
    return (row[0], row[1]) if row is not None else None


async def record(
    session: AsyncSession,
    *,
    measure: Measure,
    person_id: int,
    actor: str,
    title: str,
    number: str,
    issued_on: date,
    file: Evidence | None,
    now: datetime,
) -> InstitutionalOutcome:
    """Store the outcome and its file (evidence of the measure, as an answer's are) and audit it."""
    assert measure.id is not None
    evidence = None
    if file is not None:
        evidence = EvidenceFile(
            programme_id=measure.programme_id,
            measure_id=measure.id,
            file_id=file.file_id,
            file_unique_id=file.file_unique_id,
            name=file.name,
            kind=file.kind,
            mime_type=file.mime_type,
            size=file.size,
            created_at=now,
        )
        session.add(evidence)
        await session.flush()
    row = InstitutionalOutcome(
        programme_id=measure.programme_id,
        measure_id=measure.id,
        title=title,
        number=number,
        issued_on=issued_on,
        evidence_id=evidence.id if evidence else None,
        person_id=person_id,
        recorded_at=now,
    )
    return await audit.added(
        session,
        row,
        programme_id=measure.programme_id,
        measure_id=measure.id,
        actor=actor,
        action=OUTCOME,
        key="outcome",
        after={
            "title": title,
            "number": number,
            "issued_on": issued_on.isoformat(),
            "file": file.name if file else "",
        },
        now=now,
    )


async def _codes(session: AsyncSession, programme_id: int) -> dict[int, str]:
    query = rows_of(col(Measure.id), col(Measure.code)).where(
        col(Measure.programme_id) == programme_id
    )
    return {
        mid or 0: code for mid, code in (await (await session.connection()).execute(query)).all()
    }


async def recorded(
    session: AsyncSession, *, programme: Programme, at: datetime
) -> list[domain.Outcome]:
    """The outcomes recorded before `at`, as the audit trail tells them (the replay's)."""
    assert programme.id is not None
    e = AuditEvent
    query = (
        rows_of(col(e.entity_id), col(e.at), col(e.after))
        .where(col(e.programme_id) == programme.id, col(e.action) == OUTCOME, col(e.at) < at)
        .order_by(col(e.seq))
    )
    zone = ZoneInfo(programme.timezone)
    rows = (await (await session.connection()).execute(query)).all()
    return replayed(
        Recorded(mid, OUTCOME, when, when.astimezone(zone).date(), audit.load(after) or {})
        for mid, when, after in rows
        if mid is not None
    )


async def as_of(
    session: AsyncSession, *, programme: Programme, at: datetime, facts: Sequence[domain.Located]
) -> list[domain.Outcome]:
    """The outcomes recorded before `at` of the measures in `facts` (the ledger then), with
    their codes and areas, in ledger order."""
    assert programme.id is not None
    found = await recorded(session, programme=programme, at=at)
    return domain.placed(found, facts, await _codes(session, programme.id))


async def live(session: AsyncSession, *, programme: Programme) -> list[domain.Outcome]:
    """Every outcome as its table holds it (what the replay must give back), in record order."""
    o = InstitutionalOutcome
    query = (
        rows_of(
            col(o.measure_id), col(o.title), col(o.number), col(o.issued_on),
            col(o.recorded_at), col(EvidenceFile.name),
        )
        .outerjoin(EvidenceFile, col(EvidenceFile.id) == col(o.evidence_id))
        .where(col(o.programme_id) == programme.id)
        .order_by(col(o.id))
    )  # fmt: skip
    rows = (await (await session.connection()).execute(query)).all()
    return [
        domain.Outcome(
            measure_id=mid,
            title=title,
            number=number,
            issued_on=issued,
            recorded_on=day_in(at, programme.timezone),
            file=name or "",
        )
        for mid, title, number, issued, at, name in rows
    ]
