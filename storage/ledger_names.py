"""The names a ledger import refers to (areas, problems, units, people, roles), loaded once."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any, TypeVar

from sqlalchemy import insert
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.ledger import LedgerRow
from core.domain.model import Role
from storage.audit import BULK, Event
from storage.models import Area, Person, Problem, RoleGrant, Unit

# (row, stored values or None for a new measure, the values that change)
Todo = tuple[LedgerRow, dict[str, Any] | None, dict[str, Any]]
M = TypeVar("M", Area, Problem, Unit, Person)


def names_co_owners(old: dict[str, Any] | None, changes: dict[str, Any]) -> bool:
    """True when the row's co-owners are (re)written: a new measure, or changed co-owners."""
    return old is None or "co_owners" in changes


class Names:
    """Every name of one programme by name; those first named by the import are created in bulk."""

    def __init__(self, session: AsyncSession, programme_id: int) -> None:
        self.s, self.pid = session, programme_id
        # areas, problems and units by name to their ids: plain ints, not ORM objects (an
        # independent ledger names a problem per row: 10,000 objects built for their ids alone)
        self.areas: dict[str, int] = {}
        self.problems: dict[tuple[str, str], int] = {}  # by (area name, problem name)
        self.units: dict[str, int] = {}
        # people by name to their ids; those stored before the import also as ORM objects, so a
        # change to them (a unit, a contact) is an ordinary update that keeps the session in step
        self.people: dict[str, int] = {}
        self.stored: dict[str, Person] = {}
        self.contact: dict[str, str | None] = {}  # each person's contact as the import leaves it
        self.held: set[tuple[int, str]] = set()  # (person id, role) granted already
        # names first seen in this import, as rows to insert in bulk (dicts keep ledger order)
        self.new_areas: dict[str, dict[str, Any]] = {}
        self.new_problems: dict[tuple[str, str], dict[str, Any]] = {}
        self.new_units: dict[str, dict[str, Any]] = {}
        self.new_people: dict[str, dict[str, Any]] = {}
        self.next_area = self.next_problem = 1  # areas and problems are numbered in ledger order

    async def load(self) -> None:
        """Read what the programme has, in one query per kind."""
        pid, s = self.pid, self.s
        areas = await s.exec(
            select(Area.id, Area.name, Area.number).where(Area.programme_id == pid)
        )
        by_id: dict[int, str] = {}
        for area_id, area_name, number in areas:
            self.areas[area_name] = area_key = _stored(area_id)
            by_id[area_key] = area_name
            self.next_area = max(self.next_area, number + 1)
        problems = select(Problem.id, Problem.area_id, Problem.name, Problem.number)
        for problem_id, area_id, problem_name, number in await s.exec(
            problems.where(Problem.programme_id == pid)
        ):
            self.problems[(by_id[_stored(area_id)], problem_name)] = _stored(problem_id)
            self.next_problem = max(self.next_problem, number + 1)
        units = await s.exec(select(Unit.id, Unit.name).where(Unit.programme_id == pid))
        self.units = {unit_name: _stored(unit_id) for unit_id, unit_name in units}
        people = await s.exec(select(Person).where(Person.programme_id == pid))
        self.stored = {p.name: p for p in people}
        self.people = {name: _stored(p.id) for name, p in self.stored.items()}
        self.contact = {name: p.contact for name, p in self.stored.items()}
        grants = select(RoleGrant.person_id, RoleGrant.role).where(RoleGrant.programme_id == pid)
        self.held = {(person, role) for person, role in await s.exec(grants)}

    async def create(
        self, todo: Sequence[tuple[LedgerRow, bool]], rows: Sequence[LedgerRow]
    ) -> None:
        """Create, in ledger order, every area, problem, unit, person and role the rows to write
        name (each row with whether its co-owners are written); `rows`: the whole file."""
        for row, _ in todo:
            self._area(row.area)
            for unit in (row.lead_unit, *row.co_units):
                self._unit(unit)
        # areas and units get their ids first: problems and people refer to them
        await self._ids(Area, self.new_areas, self.areas, ("name",))
        await self._ids(Unit, self.new_units, self.units, ("name",))
        wanted: list[tuple[str, Role]] = []
        for row, co_owners in todo:
            self._problem(row.area, row.problem)
            self._person(row.owner, self.units[row.lead_unit])
            wanted.append((row.owner, Role.OWNER))
            for leader in (row.leader, *row.co_leaders) if row.leader else ():
                self._person(leader)
                wanted.append((leader, Role.LEADER))
            if co_owners:
                for name in row.co_owners:
                    self._person(name)
                    wanted.append((name, Role.OWNER))
        for row in rows:
            for name, phone in row.contacts:
                self._person(name)
                if name in self.new_people:
                    # a new person is written with the last phone the file gives (contacts()
                    # audits each one in turn, as it does for people stored before)
                    self.new_people[name]["contact"] = phone
        await self._ids(Problem, self.new_problems, self.problems, ("area", "name"))
        await self._ids(Person, self.new_people, self.people, ("name",))
        await self.s.flush()  # people already stored who now have a unit
        grants: list[dict[str, Any]] = []
        for name, role in wanted:
            person_id = self.people[name]
            if (person_id, role.value) not in self.held:
                self.held.add((person_id, role.value))
                grants.append(
                    {"programme_id": self.pid, "person_id": person_id, "role": role.value}
                )
        for chunk in _chunks(grants):
            await self.s.exec(insert(RoleGrant.__table__), params=chunk)  # type: ignore[attr-defined]

    async def _ids(
        self, model: type[M], new: dict[Any, dict[str, Any]], into: dict[Any, int],
        key: tuple[str, ...],
    ) -> None:  # fmt: skip
        """Insert the new rows of one kind, BULK to a statement, and keep their ids by key."""
        # Core's INSERT of the table, not the ORM's: no objects built, and every row of a chunk
        # has the same keys (a None is bound as NULL), so one statement per chunk
        rows = list(new.items())
        table = model.__table__  # type: ignore[attr-defined]
        for start in range(0, len(rows), BULK):
            chunk = rows[start : start + BULK]
            # RETURNING's order is not promised (PostgreSQL), so the ids come back by name
            query = insert(table).returning(table.c.id, *(table.c[c] for c in _COLUMNS[key]))
            found = await self.s.exec(query, params=[row for _, row in chunk])
            ids = {tuple(r[1:]): r[0] for r in found}
            for k, row in chunk:
                into[k] = ids[tuple(row[c] for c in _COLUMNS[key])]
        new.clear()

    def contacts(self, rows: Sequence[LedgerRow]) -> list[Event]:
        """Phones written after names become (or update) the person's contact; one event each."""
        events: list[Event] = []
        for row in rows:
            for name, phone in row.contacts:
                before = self.contact.get(name)
                if before != phone:
                    after = {"contact": phone}
                    events.append(("person.contact", "person", self.people[name], {"contact": before}, after))  # fmt: skip
                    self.contact[name] = phone
                    if (p := self.stored.get(name)) is not None:
                        p.contact = phone
                        self.s.add(p)
        return events

    def person_id(self, name: str) -> int:
        """A person's id by name (stored before, or created by this import)."""
        return self.people[name]

    def ids(self, row: LedgerRow) -> dict[str, Any]:
        """The ids a measure row refers to."""
        leader = self.people[row.leader] if row.leader else None
        return {
            "area_id": self.areas[row.area],
            "problem_id": self.problems[(row.area, row.problem)],
            "lead_unit_id": self.units[row.lead_unit],
            "owner_id": self.people[row.owner],
            "leader_id": leader,
        }

    def _area(self, name: str) -> None:
        if name not in self.areas and name not in self.new_areas:
            row = {"programme_id": self.pid, "number": self.next_area, "name": name}
            self.new_areas[name] = row
            self.next_area += 1

    def _problem(self, area: str, name: str) -> None:
        if (area, name) not in self.problems and (area, name) not in self.new_problems:
            self.new_problems[(area, name)] = {
                "programme_id": self.pid,
                "area_id": self.areas[area],
                "name": name,
                "number": self.next_problem,
            }
            self.next_problem += 1

    def _unit(self, name: str) -> None:
        if name not in self.units and name not in self.new_units:
            self.new_units[name] = {"programme_id": self.pid, "name": name}

    def _person(self, name: str, unit_id: int | None = None) -> None:
        found, new = self.stored.get(name), self.new_people.get(name)
        if found is None and new is None:
            self.new_people[name] = {
                "programme_id": self.pid, "name": name, "unit_id": unit_id, "contact": None,
            }  # fmt: skip
        elif new is not None and new["unit_id"] is None:
            new["unit_id"] = unit_id
        elif found is not None and found.unit_id is None and unit_id is not None:
            found.unit_id = unit_id
            self.s.add(found)


# the columns that name a row of each kind, as its RETURNING gives them back
_COLUMNS = {("name",): ("name",), ("area", "name"): ("area_id", "name")}


def _stored(row_id: int | None) -> int:
    """A stored row's id (never None once read back)."""
    assert row_id is not None
    return row_id


def _chunks(rows: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    for start in range(0, len(rows), BULK):
        yield rows[start : start + BULK]
