"""The evidence binder: files fetched through the Files port (getFile), zipped per measure, in parts."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.binder import Entry, parts, unique_paths
from core.domain.evidence import digest
from core.domain.model import MeasureFacts
from core.i18n import Tr
from core.render.binder import index_sheet, zip_part
from storage import evidence as evidence_files
from storage import measures
from storage.documents import day_in
from storage.models import EvidenceFile, Person, Programme, ProgressUpdate
from usecases.documents import Document
from usecases.ports import Files


async def entries(
    session: AsyncSession, *, programme: Programme, keep: Sequence[MeasureFacts] | None = None
) -> list[Entry]:
    """Every evidence file of the kept measures (all by default), in ledger order then upload order."""
    assert programme.id is not None
    rows = await measures.facts(session, programme_id=programme.id)
    codes = {f.code for f in keep} if keep is not None else None
    chosen = [(m, f) for m, f in rows if codes is None or f.code in codes]
    order = {m.id: i for i, (m, _) in enumerate(chosen)}
    files = (
        await session.exec(
            select(EvidenceFile, ProgressUpdate, Person)
            .join(ProgressUpdate, col(ProgressUpdate.id) == EvidenceFile.update_id, isouter=True)
            .join(Person, col(Person.id) == ProgressUpdate.person_id, isouter=True)
            .where(
                EvidenceFile.programme_id == programme.id,
                col(EvidenceFile.measure_id).in_(list(order)),
            )
            .order_by(col(EvidenceFile.id))
        )
    ).all()
    facts = {m.id: f for m, f in chosen}
    out = [
        Entry(
            code=facts[ev.measure_id].code,
            measure=facts[ev.measure_id].text,
            name=ev.name,
            uploader=person.name if person else "",
            uploaded_on=day_in(ev.created_at, programme.timezone),
            update=update.note if update else "",
            file_id=ev.file_id,
            size=ev.size,
            sha256=ev.sha256,
            evidence_id=ev.id or 0,
        )
        for ev, update, person in files
    ]
    position = {f.code: i for i, (_, f) in enumerate(chosen)}
    return sorted(out, key=lambda e: position[e.code])  # stable: upload order within a measure


async def binder(
    store: Files, entries: Sequence[Entry], t: Tr, name: str
) -> tuple[list[Document], dict[int, str]]:
    """The ZIP parts, each under the upload limit, each with the full index; and the SHA-256 of
    each file fetched, by entry."""
    paths = unique_paths(entries)
    got: dict[int, bytes] = {}
    failed: dict[int, str] = {}
    for i, e in enumerate(entries):
        result = await store.fetch(e.file_id, e.size)
        if isinstance(result, bytes):
            got[i] = result
        else:
            failed[i] = result
    kept = sorted(got)
    plan = parts([len(got[i]) for i in kept])
    part_of = {kept[j]: n for n, part in enumerate(plan, start=1) for j in part}
    hashes = {i: digest(data) for i, data in got.items()}
    index = index_sheet(t, entries, paths, part_of, failed, hashes)
    docs = []
    for n, part in enumerate(plan, start=1):
        files = [(paths[kept[j]], got[kept[j]]) for j in part]
        label = (
            name
            if len(plan) == 1
            else t._("{name}, part {n} of {total}", name=name, n=n, total=len(plan))
        )
        docs.append(Document(f"{label}.zip", zip_part(t, files, index)))
    return docs, hashes


async def evidence(
    files: Files,
    session: AsyncSession,
    *,
    programme: Programme,
    t: Tr,
    now: datetime,
    code: str | None = None,
    area: int | None = None,
) -> list[Document] | None:
    """The binder of one measure, one area or the whole ledger; None when nothing matches.
    A file first fetched now (not at upload) has its hash recorded, in the audit chain too."""
    assert programme.id is not None
    rows = await measures.facts(session, programme_id=programme.id)
    keep = [
        f
        for _, f in rows
        if (code is None or f.code.casefold() == code.casefold())
        and (area is None or f.area_number == area)
    ]
    if not keep:
        return None
    found = await entries(session, programme=programme, keep=keep)
    if not found:
        return []
    scope = keep[0].code if code else t._("area {n}", n=area) if area else ""
    name = t._("{programme} evidence", programme=t.stem(programme.name)) + (
        f" {scope}" if scope else ""
    )
    docs, hashes = await binder(files, found, t, name)
    for i, sha in hashes.items():
        if found[i].sha256 is None:
            await evidence_files.hashed_later(
                session, evidence_id=found[i].evidence_id, sha256=sha, actor="binder", now=now
            )
    return docs
