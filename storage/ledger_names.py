"""The names a ledger import refers to (areas, problems, units, people, roles), loaded once."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.ledger import LedgerRow
from core.domain.model import Role
from storage.audit import Event
from storage.models import Area, Person, Problem, RoleGrant, Unit

# (row, stored values or None for a new measure, the values that change)
Todo = tuple[LedgerRow, dict[str, Any] | None, dict[str, Any]]


def names_co_owners(old: dict[str, Any] | None, changes: dict[str, Any]) -> bool:
    """True when the row's co-owners are (re)written: a new measure, or changed co-owners."""
    return old is None or "co_owners" in changes


class Names:
    """Every name of one programme by name; those first named by the import are created in bulk."""

    def __init__(self, session: AsyncSession, programme_id: int) -> None:
        self.s, self.pid = session, programme_id
        self.areas: dict[str, Area] = {}
        self.problems: dict[tuple[str, str], Problem] = {}  # by (area name, problem name)
        self.units: dict[str, Unit] = {}
        self.people: dict[str, Person] = {}
        self.held: set[tuple[int, str]] = set()  # (person id, role) granted already
        self.next_area = self.next_problem = 1  # areas and problems are numbered in ledger order

    async def load(self) -> None:
        """Read what the programme has, in one query per kind."""
        pid, s = self.pid, self.s
        self.areas = {
            a.name: a for a in (await s.exec(select(Area).where(Area.programme_id == pid)))
        }
        by_id = {a.id: a.name for a in self.areas.values()}
        self.next_area = max((a.number for a in self.areas.values()), default=0) + 1
        for p in await s.exec(select(Problem).where(Problem.programme_id == pid)):
            self.problems[(by_id[p.area_id], p.name)] = p
            self.next_problem = max(self.next_problem, p.number + 1)
        self.units = {u.name: u for u in await s.exec(select(Unit).where(Unit.programme_id == pid))}
        people = await s.exec(select(Person).where(Person.programme_id == pid))
        self.people = {p.name: p for p in people}
        grants = select(RoleGrant.person_id, RoleGrant.role).where(RoleGrant.programme_id == pid)
        self.held = {(person, role) for person, role in await s.exec(grants)}

    async def create(self, todo: Sequence[Todo], rows: Sequence[LedgerRow]) -> None:
        """Create, in ledger order, every area, problem, unit, person and role the rows name."""
        for row, _, _ in todo:
            self._area(row.area)
            for unit in (row.lead_unit, *row.co_units):
                self._unit(unit)
        await self.s.flush()  # areas and units get their ids: problems and people refer to them
        wanted: list[tuple[str, Role]] = []
        for row, old, changes in todo:
            self._problem(row.area, row.problem)
            self._person(row.owner, self.units[row.lead_unit].id)
            wanted.append((row.owner, Role.OWNER))
            for leader in (row.leader, *row.co_leaders) if row.leader else ():
                self._person(leader)
                wanted.append((leader, Role.LEADER))
            if names_co_owners(old, changes):
                for name in row.co_owners:
                    self._person(name)
                    wanted.append((name, Role.OWNER))
        for row in rows:
            for name, _ in row.contacts:
                self._person(name)
        await self.s.flush()
        grants: list[dict[str, Any]] = []
        for name, role in wanted:
            person_id = self.people[name].id
            assert person_id is not None
            if (person_id, role.value) not in self.held:
                self.held.add((person_id, role.value))
                grants.append(
                    {"programme_id": self.pid, "person_id": person_id, "role": role.value}
                )
        if grants:
            await self.s.exec(insert(RoleGrant), params=grants)

    def contacts(self, rows: Sequence[LedgerRow]) -> list[Event]:
        """Phones written after names become (or update) the person's contact; one event each."""
        events: list[Event] = []
        for row in rows:
            for name, phone in row.contacts:
                p = self.people[name]
                if p.contact != phone:
                    events.append(
                        (
                            "person.contact",
                            "person",
                            p.id,
                            {"contact": p.contact},
                            {"contact": phone},
                        )
                    )
                    p.contact = phone
                    self.s.add(p)
        return events

    def ids(self, row: LedgerRow) -> dict[str, Any]:
        """The ids a measure row refers to."""
        area = self.areas[row.area]
        leader = self.people[row.leader].id if row.leader else None
        return {
            "area_id": area.id,
            "problem_id": self.problems[(row.area, row.problem)].id,
            "lead_unit_id": self.units[row.lead_unit].id,
            "owner_id": self.people[row.owner].id,
            "leader_id": leader,
        }

    def _area(self, name: str) -> None:
        if name not in self.areas:
            self.areas[name] = Area(programme_id=self.pid, number=self.next_area, name=name)
            self.next_area += 1
            self.s.add(self.areas[name])

    def _problem(self, area: str, name: str) -> None:
        if (area, name) not in self.problems:
            area_id = self.areas[area].id
            assert area_id is not None
            problem = Problem(
                programme_id=self.pid, area_id=area_id, name=name, number=self.next_problem
            )
            self.next_problem += 1
            self.problems[(area, name)] = problem
            self.s.add(problem)

    def _unit(self, name: str) -> None:
        if name not in self.units:
            self.units[name] = Unit(programme_id=self.pid, name=name)
            self.s.add(self.units[name])

    def _person(self, name: str, unit_id: int | None = None) -> None:
        found = self.people.get(name)
        if found is None:
            self.people[name] = Person(programme_id=self.pid, name=name, unit_id=unit_id)
            self.s.add(self.people[name])
        elif found.unit_id is None and unit_id is not None:
            found.unit_id = unit_id
            self.s.add(found)
