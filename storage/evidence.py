"""Evidence files by identity: the same file elsewhere in the programme, hashes found later."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import or_
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.evidence import Fingerprint
from storage import audit
from storage.models import EvidenceFile, Measure


async def look_alikes(
    session: AsyncSession, *, programme_id: int, files: Sequence[EvidenceFile]
) -> list[Fingerprint]:
    """Every evidence file of the programme with the same file_unique_id or SHA-256 as one of
    these (theirs included), with its measure's code; core.domain.evidence says which match."""
    ids = {f.file_unique_id for f in files}
    hashes = {f.sha256 for f in files if f.sha256}
    if not ids:
        return []
    rows = await session.exec(
        select(Measure.code, EvidenceFile.file_unique_id, EvidenceFile.sha256)
        .join(Measure, col(Measure.id) == EvidenceFile.measure_id)
        .where(
            EvidenceFile.programme_id == programme_id,
            or_(col(EvidenceFile.file_unique_id).in_(ids), col(EvidenceFile.sha256).in_(hashes)),
        )
    )
    return [Fingerprint(code, uid, sha) for code, uid, sha in rows.all()]


async def hashed_later(
    session: AsyncSession, *, evidence_id: int, sha256: str, actor: str, now: datetime
) -> None:
    """A file without a hash (not fetched at upload) gets the one the binder computed: audited."""
    row = await session.get(EvidenceFile, evidence_id)
    if row is None or row.sha256 is not None:
        return
    row.sha256 = sha256
    session.add(row)
    audit.record(
        session,
        programme_id=row.programme_id,
        actor=actor,
        action="evidence.hash",
        entity="evidence",
        entity_id=row.id,
        before={"sha256": None},
        after={"file_unique_id": row.file_unique_id, "sha256": sha256},
        now=now,
    )
