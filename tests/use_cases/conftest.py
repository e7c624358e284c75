"""The use cases' fast tests: a migrated SQLite copy per test, a seeded programme, no Telegram."""

from __future__ import annotations

import asyncio
import hashlib
import os
import shutil
import tempfile
from collections.abc import AsyncIterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest_asyncio
from conftest import HEAD, SH
from oracle.harness import open_database
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

import storage
from core.domain.ledger import LedgerRow
from core.domain.model import Role, Status
from storage import ledger_store, outbox, people, programmes
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Measure, OutboxMessage, Person, Programme
from usecases import dispatch as dispatch_job
from usecases.actor import Actor

NOW = datetime(2025, 3, 10, 9, 30, tzinfo=SH)  # a Monday, a working day
COORDINATORS = ("专班甲", "专班乙")
_TEMPLATES = Path(tempfile.gettempdir()) / "cadence-fast-templates"


async def _template() -> Path:
    """A database migrated to HEAD, kept between runs (each mutant is a pytest run of its own)."""
    # keyed by the migrations' text, not only the head: an edited migration builds a new one
    versions = Path(storage.__file__).parent / "migrations" / "versions"
    digest = hashlib.sha256(b"".join(p.read_bytes() for p in sorted(versions.glob("*.py"))))
    path = _TEMPLATES / f"{HEAD}-{digest.hexdigest()[:12]}.db"
    if not path.exists():
        _TEMPLATES.mkdir(exist_ok=True)
        fresh = _TEMPLATES / f"{HEAD}.{os.getpid()}.db"
        await asyncio.to_thread(upgrade, f"sqlite:///{fresh}")  # alembic runs its own loop
        os.replace(fresh, path)  # whole or absent: two runs may build it at once
    return path


def row(
    code: str, owner: str, *, deadline: date | None = date(2025, 6, 30), **kw: object
) -> LedgerRow:
    """A ledger row of the one area, led by 分管领导."""
    fields: dict[str, object] = {
        "row": 2,
        "code": code,
        "area": "作风建设",
        "problem": "问题一",
        "measure": f"整改措施{code}",
        "leader": "分管领导",
        "lead_unit": "办公室",
        "co_units": (),
        "owner": owner,
        "deadline": deadline,
        "status": Status.IN_PROGRESS,
    } | kw
    return LedgerRow(**fields)  # type: ignore[arg-type]


@dataclass
class World:
    """A programme with its ledger imported, everyone bound to a Telegram id."""

    db: Database
    programme_id: int

    async def programme(self, s: AsyncSession) -> Programme:
        p = await s.get(Programme, self.programme_id)
        assert p is not None
        return p

    async def measure(self, s: AsyncSession, code: str) -> Measure:
        q = select(Measure).where(Measure.programme_id == self.programme_id, Measure.code == code)
        return (await s.exec(q)).one()

    async def person(self, s: AsyncSession, name: str) -> Person:
        q = select(Person).where(Person.programme_id == self.programme_id, Person.name == name)
        return (await s.exec(q)).one()

    async def actor(self, s: AsyncSession, name: str) -> Actor:
        p = await self.person(s, name)
        return Actor(person_id=p.id or 0, name=p.name, audit=f"tg:{p.telegram_user_id}")

    async def outbox(self, s: AsyncSession) -> list[OutboxMessage]:
        q = select(OutboxMessage).order_by(col(OutboxMessage.id))
        return list((await s.exec(q)).all())

    async def import_rows(self, rows: list[LedgerRow], at: datetime = NOW) -> None:
        async with self.db.session() as s:
            await ledger_store.apply(
                s, programme_id=self.programme_id, rows=rows, actor="test", now=at,
                today=at.astimezone(SH).date(),
            )  # fmt: skip
            everyone = await s.exec(select(Person).where(Person.programme_id == self.programme_id))
            for n, person in enumerate(everyone.all(), start=1):
                if person.telegram_user_id is None:
                    person.telegram_user_id = 8_000_000 + 100 * self.programme_id + n
                    s.add(person)


@pytest_asyncio.fixture
async def world() -> AsyncIterator[World]:
    """Measures 1.1 (owner 张三) and 1.2 (李四), two coordinators; nothing sent yet."""
    folder = Path(tempfile.mkdtemp(prefix="cadence-fast-"))
    shutil.copyfile(await _template(), folder / "cadence.db")
    db = open_database(f"sqlite:///{folder / 'cadence.db'}")
    try:
        async with db.session() as s:
            p = await programmes.create(s, name="整改专班", actor="test", now=NOW)
            pid = p.id or 0
        w = World(db, pid)
        await w.import_rows([row("1.1", "张三"), row("1.2", "李四")])
        async with db.session() as s:
            for n, name in enumerate(COORDINATORS, start=1):
                person = Person(programme_id=pid, name=name, telegram_user_id=9_000_000 + n)
                s.add(person)
                await s.flush()
                await people.grant(
                    s, programme_id=pid, person_id=person.id or 0, role=Role.COORDINATOR
                )
        yield w
    finally:
        await db.dispose()
        shutil.rmtree(folder, ignore_errors=True)


async def run_dispatch(
    world: World, period: str, at: datetime, seen: dispatch_job.Seen | None = None
) -> dispatch_job.Planned:
    """The dispatch beat's planning, then every message of it delivered (the sender's record)."""
    async with world.db.session() as s:
        p = await world.programme(s)
        planned = await dispatch_job.dispatch(
            s, programme=p, period=period, now=at, expires=at + timedelta(days=7), seen=seen
        )
    async with world.db.session() as s:
        q = select(OutboxMessage).where(
            OutboxMessage.beat == "dispatch", OutboxMessage.period == period
        )
        for n, message in enumerate((await s.exec(q)).all(), start=1):
            await outbox.mark_sent(s, row=message, message_id=n, at=at)
    return planned
