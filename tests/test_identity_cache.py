"""The gate's identity cache: read once, emptied by any write to people, roles, preferences or programmes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import event, update
from sqlmodel import col, select

from core.domain.model import Role
from storage import people, programmes
from storage.db import Database
from storage.models import Person, Programme
from storage.models_people import UserPref

NOW = datetime(2024, 9, 30, 2, 0, tzinfo=UTC)
USER = 4242


async def test_identity_is_read_once_and_every_identity_write_empties_the_cache(
    db_url: str,
) -> None:
    db = Database(db_url)
    statements: list[str] = []
    event.listen(db.engine.sync_engine, "before_cursor_execute", lambda *a: statements.append(a[2]))
    try:
        async with db.session() as s:
            programme = await programmes.create(s, name="P", actor="test", now=NOW)
            assert programme.id is not None
            pid = programme.id
            person = await people.person_named(s, programme_id=pid, name="甲")
            assert person.id is not None
            await people.bind(s, person=person, user_id=USER, display_name="甲", actor="t", now=NOW)
        cache = db.identities

        async def who() -> people.Identity:
            async with db.session() as s:
                return await people.identity(s, user_id=USER, cache=cache)

        async def write(*stmts: Any) -> None:
            async with db.session() as s:
                for stmt in stmts:
                    await s.exec(stmt)

        first = await who()
        assert [(m.programme_name, m.roles) for m in first.memberships] == [("P", frozenset())]
        assert (first.current_programme_id, first.locale, first.unreachable) == (pid, None, False)
        read = len(statements)
        assert await who() is first and len(statements) == read  # no statement at all

        # an ORM write (a role granted): the next read sees it
        async with db.session() as s:
            await people.grant(s, programme_id=pid, person_id=person.id, role=Role.OWNER)
        assert [m.roles for m in (await who()).memberships] == [frozenset({Role.OWNER})]

        # Core writes: the preference, the programme's name, the unreachable mark
        await write(
            update(UserPref).where(col(UserPref.telegram_user_id) == USER).values(locale="en")
        )
        assert (await who()).locale == "en"
        await write(update(Programme).where(col(Programme.id) == pid).values(name="Q"))
        assert [m.programme_name for m in (await who()).memberships] == ["Q"]
        assert (await who()).programmes[pid]["name"] == "Q"
        await write(update(Person).where(col(Person.id) == person.id).values(unreachable_since=NOW))
        assert (await who()).unreachable is True

        # another Database on the same URL (the CLI in this process) empties it too
        cached = await who()
        other = Database(db_url)
        try:
            async with other.session() as s:
                await people.set_pref(s, user_id=USER, locale="zh_CN")
        finally:
            await other.dispose()
        fresh = await who()
        assert fresh is not cached and fresh.locale == "zh_CN"

        # a write that rolls back leaves the cache empty, never stale
        try:
            async with db.session() as s:
                await s.exec(update(UserPref).values(locale="en"))
                raise RuntimeError("rolled back")
        except RuntimeError:
            pass
        assert (await who()).locale == "zh_CN"
    finally:
        await db.dispose()


async def test_a_read_that_overlapped_a_write_is_not_kept(db_url: str) -> None:
    db = Database(db_url)
    try:
        cache = db.identities
        generation = cache.generation
        cache.clear()  # a write ran while the identity was being read
        cache.put(USER, "stale", generation)
        assert cache.get(USER) is None
        cache.put(USER, "fresh", cache.generation)
        assert cache.get(USER) == "fresh"
    finally:
        await db.dispose()


async def test_a_transaction_on_an_invalidated_connection_still_rolls_back(
    db_url: str,
) -> None:
    # a task cancelled mid-statement (a stop during a fan-out) leaves its connection invalidated;
    # the cache's rollback hook must not raise there, or the rollback never happens and SQLite's
    # write lock stays held ("database is locked" for everyone else)
    db = Database(db_url)
    try:
        async with db.session() as s:
            await programmes.create(s, name="P", actor="test", now=NOW)
        cache = db.identities
        generation = cache.generation
        session = db._factory()
        await session.exec(update(Programme).values(name="Q"))
        conn = await session.connection()
        await conn.invalidate()
        await session.rollback()  # raised PendingRollbackError from the cache's hook
        await session.close()
        assert cache.generation > generation
        async with db.session() as s:  # nothing held: another writer goes ahead at once
            await s.exec(update(Programme).values(name="R"))
        async with db.session() as s:
            names = (await s.exec(select(Programme.name))).all()
        assert names == ["R"]
    finally:
        await db.dispose()
