"""SQLite statements take one trip to aiosqlite's thread each, and behave as SQLAlchemy's own adapter's."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import aiosqlite.core
import pytest
import pytest_asyncio
from sqlalchemy import exc, insert, update
from sqlmodel import col, select

from storage import programmes
from storage.db import Database
from storage.models import Area

NOW = datetime(2024, 9, 30, 2, 0, tzinfo=UTC)


@pytest_asyncio.fixture
async def db(sqlite_url: str) -> AsyncIterator[Database]:
    database = Database(sqlite_url)
    try:
        yield database
    finally:
        await database.dispose()


@pytest.fixture
def trips(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Each hand-off to an aiosqlite thread, by the function handed off."""
    seen: list[str] = []
    original = aiosqlite.core.Connection._execute

    async def counted(self: Any, fn: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(getattr(fn, "__name__", type(fn).__name__))
        return await original(self, fn, *args, **kwargs)  # type: ignore[no-untyped-call]

    monkeypatch.setattr(aiosqlite.core.Connection, "_execute", counted)
    return seen


async def test_a_statement_is_one_trip_with_its_rows_counts_and_errors(
    db: Database, trips: list[str]
) -> None:
    async with db.session() as s:
        p = await programmes.create(s, name="P", actor="test", now=NOW)
    pid = p.id or 0
    async with db.session() as s:
        await s.exec(select(Area.id).limit(1))  # the connection's first use: connect, pragmas
    trips.clear()
    async with db.session() as s:
        rows = [{"programme_id": pid, "number": n, "name": f"区{n}"} for n in (1, 2, 3)]
        await s.exec(insert(Area), params=rows)  # executemany
        assert trips == ["<lambda>"]  # one trip for three rows
        names = (await s.exec(select(Area.name).order_by(col(Area.number)))).all()
        assert names == ["区1", "区2", "区3"]
        assert len(trips) == 2  # the select: one trip, rows and all (was four: cursor,
        # execute, fetchall, close)
        changed = await s.exec(
            update(Area).where(col(Area.number) > 1).values(number=Area.number + 10)
        )
        assert changed.rowcount == 2
        area = Area(programme_id=pid, number=4, name="区4")
        s.add(area)
        await s.flush()
        assert area.id is not None  # the new row's id came back
        assert len(trips) == 4
    assert len(trips) == 5  # and the commit
    with pytest.raises(exc.IntegrityError):
        async with db.session() as s:
            s.add(Area(programme_id=pid + 1000, number=9, name="无主"))  # no such programme
            await s.flush()
