"""Apply a parsed ledger to a programme: plan (preview) and write, all or nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date, datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.domain.ledger import LedgerRow
from bot.domain.ledger_plan import (
    IMMEDIATE,
    ImportPlan,
    closed_on,
    diff,
    plan_import,
    row_values,
)
from bot.domain.model import Role, Status
from storage import audit, roles
from storage.models import Area, CoOwner, Measure, Person, Problem, ProgressUpdate, Unit
from storage.people import grant, person_named, unit_named

PROGRESS_ROWS = 500  # a long import says how far it is every so many rows


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
    query = select(CoOwner).where(CoOwner.programme_id == programme_id)
    for c in (await session.exec(query.order_by(col(CoOwner.id)))).all():
        co.setdefault(c.measure_id, []).append(c.person_id)
    notes: dict[int, str] = {}
    updates = select(ProgressUpdate.measure_id, ProgressUpdate.note).where(
        ProgressUpdate.programme_id == programme_id
    )
    for measure_id, note in (await session.exec(updates.order_by(col(ProgressUpdate.id)))).all():
        notes[measure_id] = note
    return co, notes


async def _current(session: AsyncSession, programme_id: int) -> dict[str, dict[str, Any]]:
    """Existing measures by code, as the same plain values a row gives."""
    names = await _names(session, programme_id)
    co, notes = await _extras(session, programme_id)
    result = await session.exec(select(Measure).where(Measure.programme_id == programme_id))
    out: dict[str, dict[str, Any]] = {}
    for m in result.all():
        deadline = m.deadline.isoformat() if m.deadline else None
        out[m.code] = {
            "text": m.text,
            "area": names[("area", m.area_id)],
            "problem": names[("problem", m.problem_id)],
            "leader": names.get(("person", m.leader_id or -1), ""),
            "lead_unit": names[("unit", m.lead_unit_id)],
            "co_units": m.co_units,
            "owner": names[("person", m.owner_id)],
            "co_owners": "、".join(names[("person", p)] for p in co.get(m.id or 0, [])),
            "deadline": IMMEDIATE if m.immediate else deadline,
            "status": m.status,
            "progress": notes.get(m.id or 0, ""),
            "removed": m.removed_at is not None,
        }
    return out


async def plan(
    session: AsyncSession,
    *,
    programme_id: int,
    rows: Sequence[LedgerRow],
    current: dict[str, dict[str, Any]] | None = None,
) -> ImportPlan:
    """Compare the file with the ledger as stored (pass `current` when already loaded)."""
    if current is None:
        current = await _current(session, programme_id)
    return plan_import(rows, current)


class _Writer:
    """Writes rows of one import; areas and problems get the next number on first sight."""

    def __init__(
        self, session: AsyncSession, programme_id: int, actor: str, now: datetime, today: date
    ) -> None:
        self.s, self.pid, self.actor, self.now, self.today = (
            session,
            programme_id,
            actor,
            now,
            today,
        )
        self.areas: dict[str, Area] = {}
        self.problems: dict[tuple[int, str], Problem] = {}
        self.next_area = self.next_problem = 1

    async def load(self) -> None:
        """Read the areas and problems already numbered."""
        for a in (await self.s.exec(select(Area).where(Area.programme_id == self.pid))).all():
            self.areas[a.name] = a
            self.next_area = max(self.next_area, a.number + 1)
        query = select(Problem).where(Problem.programme_id == self.pid)
        for p in (await self.s.exec(query)).all():
            self.problems[(p.area_id, p.name)] = p
            self.next_problem = max(self.next_problem, p.number + 1)

    async def place(self, row: LedgerRow) -> tuple[int, int]:
        """The (area id, problem id) of a row, numbering new ones in ledger order."""
        area = self.areas.get(row.area)
        if area is None:
            area = Area(programme_id=self.pid, number=self.next_area, name=row.area)
            self.s.add(area)
            await self.s.flush()
            self.areas[row.area], self.next_area = area, self.next_area + 1
        assert area.id is not None
        problem = self.problems.get((area.id, row.problem))
        if problem is None:
            problem = Problem(
                programme_id=self.pid, area_id=area.id, name=row.problem, number=self.next_problem
            )
            self.s.add(problem)
            await self.s.flush()
            self.problems[(area.id, row.problem)] = problem
            self.next_problem += 1
        assert problem.id is not None
        return area.id, problem.id

    async def person(self, name: str, role: Role, unit_id: int | None = None) -> int:
        """A person of the ledger holding the role."""
        p = await person_named(self.s, programme_id=self.pid, name=name, unit_id=unit_id)
        assert p.id is not None
        await grant(self.s, programme_id=self.pid, person_id=p.id, role=role)
        return p.id

    async def contacts(self, rows: Sequence[LedgerRow]) -> None:
        """Phones written after names become (or update) the person's contact."""
        for row in rows:
            for name, phone in row.contacts:
                p = await person_named(self.s, programme_id=self.pid, name=name)
                if p.contact != phone:
                    before, after = {"contact": p.contact}, {"contact": phone}
                    self.audit("person.contact", "person", p.id, before, after)
                    p.contact = phone
                    self.s.add(p)

    def audit(self, action: str, entity: str, eid: int | None, before: Any, after: Any) -> None:
        """One audit event by the importer."""
        audit.record(
            self.s,
            programme_id=self.pid,
            actor=self.actor,
            action=action,
            entity=entity,
            entity_id=eid,
            before=before,
            after=after,
            now=self.now,
        )

    async def co_owners(self, measure: Measure, names: Sequence[str]) -> None:
        """Replace the measure's co-owners by those named in the file."""
        assert measure.id is not None
        query = select(CoOwner).where(CoOwner.measure_id == measure.id)
        for old in (await self.s.exec(query)).all():
            await self.s.delete(old)
        await self.s.flush()
        for name in names:
            pid = await self.person(name, Role.OWNER)
            self.s.add(CoOwner(programme_id=self.pid, measure_id=measure.id, person_id=pid))

    def progress(self, measure: Measure, note: str, importer_id: int | None) -> None:
        """The file's progress note becomes the measure's latest update, by the importer."""
        assert measure.id is not None
        self.s.add(
            ProgressUpdate(
                programme_id=self.pid,
                measure_id=measure.id,
                person_id=importer_id,
                health=None,
                note=note,
                created_at=self.now,
            )
        )


async def _write_row(
    w: _Writer, row: LedgerRow, measure: Measure | None, changes: dict[str, Any]
) -> Measure:
    """Create or update one measure from its row."""
    new = measure is None
    area_id, problem_id = await w.place(row)
    lead = await unit_named(w.s, programme_id=w.pid, name=row.lead_unit)
    for co in row.co_units:
        await unit_named(w.s, programme_id=w.pid, name=co)
    assert lead.id is not None
    owner_id = await w.person(row.owner, Role.OWNER, lead.id)
    leader_id = await w.person(row.leader, Role.LEADER) if row.leader else None
    if measure is None:
        measure = Measure(
            programme_id=w.pid, code=row.code, text=row.measure, area_id=area_id,
            problem_id=problem_id, lead_unit_id=lead.id, owner_id=owner_id, updated_at=w.now,
        )  # fmt: skip
    measure.text = row.measure
    measure.area_id, measure.problem_id = area_id, problem_id
    measure.leader_id, measure.lead_unit_id, measure.owner_id = leader_id, lead.id, owner_id
    measure.co_units = "、".join(row.co_units)
    if row.immediate:
        # 立行立改 is due the day it first came in; re-imports do not move it
        measure.deadline = measure.deadline if measure.immediate else w.today
    else:
        measure.deadline = row.deadline
    measure.immediate = row.immediate
    if measure.status != row.status.value:
        measure.closed_on = closed_on(row, w.today) if row.status is Status.CLOSED else None
    measure.status = row.status.value
    measure.removed_at = None
    measure.updated_at = w.now
    w.s.add(measure)
    await w.s.flush()
    if new or "co_owners" in changes:
        await w.co_owners(measure, row.co_owners)
    return measure


async def apply(
    session: AsyncSession,
    *,
    programme_id: int,
    rows: Sequence[LedgerRow],
    actor: str,
    now: datetime,
    today: date,
    remove_missing: bool = False,
    importer_id: int | None = None,
    progress: Callable[[int, int], Awaitable[None]] | None = None,
) -> ImportPlan:
    """Write the rows (the caller's transaction makes it all or nothing).

    `progress(done, total)` is awaited every PROGRESS_ROWS rows of a long import.
    """
    current = await _current(session, programme_id)
    result = await plan(session, programme_id=programme_id, rows=rows, current=current)
    measures = {
        m.code: m
        for m in (
            await session.exec(select(Measure).where(Measure.programme_id == programme_id))
        ).all()
    }
    w = _Writer(session, programme_id, actor, now, today)
    await w.load()
    for n, row in enumerate(rows, start=1):
        if progress is not None and n % PROGRESS_ROWS == 0:
            await progress(n, len(rows))
        values = row_values(row)
        old = current.get(row.code)
        changes = diff(old, values) if old else {k: v for k, v in values.items() if v}
        if old is not None and not changes:
            continue
        measure = await _write_row(w, row, measures.get(row.code), changes)
        if "progress" in changes:
            w.progress(measure, row.progress, importer_id)
        before = {k: old[k] for k in changes if k in old} if old else None
        w.audit("measure.import", "measure", measure.id, before, changes)
    await w.contacts(rows)
    if remove_missing:
        for code in result.missing:
            gone = measures[code]
            gone.removed_at = now
            session.add(gone)
            before, after = {"code": code, "removed": False}, {"code": code, "removed": True}
            w.audit("measure.remove", "measure", gone.id, before, after)
    result.roles_lost = await roles.follow_ledger(
        session, programme_id=programme_id, actor=actor, now=now
    )
    return result
