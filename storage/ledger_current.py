"""The ledger as stored, in the plain values a file row gives: what an import compares with."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import select as columns
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.ledger_plan import CHAT_FIELDS, IMMEDIATE
from storage import audit
from storage.models import Area, AuditEvent, CoOwner, Measure, Person, Problem, ProgressUpdate, Unit

MEASURE = [
    col(c)
    for c in (
        Measure.id, Measure.code, Measure.text, Measure.area_id, Measure.problem_id,
        Measure.leader_id, Measure.co_leaders, Measure.lead_unit_id, Measure.co_units, Measure.owner_id,
        Measure.deadline, Measure.original_deadline, Measure.immediate, Measure.status, Measure.removed_at,
    )
]  # fmt: skip
CHAT = ("measure.add", "measure.edit", "measure.retire")  # a coordinator's edits in chat


async def _names(session: AsyncSession, programme_id: int) -> dict[tuple[str, int], str]:
    names: dict[tuple[str, int], str] = {}
    for label, query in (
        ("area", select(Area.id, Area.name).where(Area.programme_id == programme_id)),
        ("problem", select(Problem.id, Problem.name).where(Problem.programme_id == programme_id)),
        ("unit", select(Unit.id, Unit.name).where(Unit.programme_id == programme_id)),
        ("person", select(Person.id, Person.name).where(Person.programme_id == programme_id)),
    ):
        for item_id, name in (await session.exec(query)).all():
            names[(label, item_id or 0)] = name
    return names


async def _extras(
    session: AsyncSession, programme_id: int
) -> tuple[dict[int, list[int]], dict[int, str]]:
    """Co-owner ids and the latest progress note, per measure id."""
    co: dict[int, list[int]] = {}
    query = select(CoOwner.measure_id, CoOwner.person_id).where(
        CoOwner.programme_id == programme_id
    )
    for measure_id, person_id in (await session.exec(query.order_by(col(CoOwner.id)))).all():
        co.setdefault(measure_id, []).append(person_id)
    notes: dict[int, str] = {}
    updates = select(ProgressUpdate.measure_id, ProgressUpdate.note).where(
        ProgressUpdate.programme_id == programme_id
    )
    for measure_id, note in (await session.exec(updates.order_by(col(ProgressUpdate.id)))).all():
        notes[measure_id] = note
    return co, notes


async def _imported(
    session: AsyncSession, programme_id: int
) -> tuple[dict[int, str], dict[int, str | None], dict[int, set[str]]]:
    """Per measure id, the status and the deadline its last import that set one gave it, and
    the fields edited in chat (retired: "removed") since an import last set them."""
    rows = await session.exec(
        select(AuditEvent.entity_id, AuditEvent.action, AuditEvent.after)
        .where(
            AuditEvent.programme_id == programme_id,
            col(AuditEvent.action).in_(("measure.import", *CHAT)),
        )
        .order_by(col(AuditEvent.seq))
    )
    found: dict[int, str] = {}
    due: dict[int, str | None] = {}
    chat: dict[int, set[str]] = {}
    for measure_id, action, after in rows.all():
        values = audit.load(after) or {}
        if measure_id is None:
            continue
        if action == "measure.retire":
            chat.setdefault(measure_id, set()).add("removed")
            continue
        if action in CHAT:
            chat.setdefault(measure_id, set()).update(k for k in values if k in CHAT_FIELDS)
            continue
        chat.get(measure_id, set()).difference_update(values)
        if values.get("status"):
            found[measure_id] = values["status"]
        if "deadline" in values:
            # compared as a file row gives it: 立行立改 by its word, not its date
            due[measure_id] = IMMEDIATE if values.get("immediate") else values["deadline"]
    return found, due, chat


async def stored_ledger(session: AsyncSession, programme_id: int) -> dict[str, dict[str, Any]]:
    """Existing measures by code, as the same plain values a row gives."""
    names = await _names(session, programme_id)
    co, notes = await _extras(session, programme_id)
    imported, imported_due, chat = await _imported(session, programme_id)
    # plain rows, not ORM objects: the import then writes measures in bulk, past the identity map
    query: Any = columns(*MEASURE).where(col(Measure.programme_id) == programme_id)
    measures: Sequence[Any] = (await session.exec(query)).all()
    out: dict[str, dict[str, Any]] = {}
    for m in measures:
        deadline = m.deadline.isoformat() if m.deadline else None
        out[m.code] = {
            "text": m.text,
            "area": names[("area", m.area_id)],
            "problem": names[("problem", m.problem_id)],
            "leader": names.get(("person", m.leader_id or -1), ""),
            "co_leaders": m.co_leaders,
            "lead_unit": names[("unit", m.lead_unit_id)],
            "co_units": m.co_units,
            "owner": names[("person", m.owner_id)],
            "co_owners": "、".join(names[("person", p)] for p in co.get(m.id or 0, [])),
            "deadline": IMMEDIATE if m.immediate else deadline,
            "status": m.status,
            "progress": notes.get(m.id or 0, ""),
            "original_deadline": m.original_deadline.isoformat() if m.original_deadline else None,
            "removed": m.removed_at is not None,
            "imported_status": imported.get(m.id or 0),
            "chat": sorted(chat.get(m.id or 0, ())),
            **(
                {"imported_deadline": imported_due[m.id or 0]}
                if (m.id or 0) in imported_due
                else {}
            ),
            # what the import writes with, beside the values it compares
            "id": m.id,
            "immediate": m.immediate,
            "due": m.deadline,
        }
    return out
