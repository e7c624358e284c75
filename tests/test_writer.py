"""One writing transaction of the process at a time: a write waits for the previous writer's end,
reads never wait, and the writer may write again on another connection (storage/writer.py)."""

from __future__ import annotations

import asyncio

import pytest
from sqlalchemy import select as core_select
from sqlalchemy import text
from sqlmodel import col

from storage import people, writer
from storage.db import Database
from storage.models import Programme
from storage.models_people import UserPref


async def _soon(job: asyncio.Future[object] | asyncio.Task[object], seconds: float = 0.3) -> bool:
    done, _ = await asyncio.wait({job}, timeout=seconds)
    return bool(done)


def test_what_counts_as_a_write() -> None:
    assert writer.writes(UserPref.__table__.insert())  # type: ignore[attr-defined]
    assert writer.writes(core_select(col(Programme.id)).with_for_update())
    assert writer.writes(text("  update person set name = 'x'"))
    assert not writer.writes(core_select(col(Programme.id)))
    assert not writer.writes(text("SELECT 1"))
    from storage.models_delivery import SendGrant

    assert not writer.writes(SendGrant.__table__.delete())  # type: ignore[attr-defined]


async def test_a_second_writer_waits_for_the_first_to_commit_and_readers_do_not(
    db_url: str,
) -> None:
    db = Database(db_url)
    first_wrote, first_may_commit = asyncio.Event(), asyncio.Event()
    order: list[str] = []

    async def first() -> None:
        async with db.session() as s:
            await people.set_pref(s, user_id=1, locale="en")
            await s.flush()
            first_wrote.set()
            await first_may_commit.wait()
            order.append("first commits")

    async def second() -> None:
        async with db.session() as s:
            await people.set_pref(s, user_id=2, locale="en")
            await s.flush()
            order.append("second wrote")

    async def reader() -> int | None:
        async with db.session() as s:
            pref = await s.get(UserPref, 3)
            return None if pref is None else pref.telegram_user_id

    try:
        one = asyncio.ensure_future(first())
        await asyncio.wait_for(first_wrote.wait(), 5)
        two = asyncio.ensure_future(second())
        assert await asyncio.wait_for(reader(), 5) is None  # a read goes on meanwhile
        assert not await _soon(two)  # the second write waits, in asyncio, not in SQLite
        assert writer.writer(db.engine).locked
        first_may_commit.set()
        await asyncio.wait_for(asyncio.gather(one, two), 5)
        assert order == ["first commits", "second wrote"]
        assert not writer.writer(db.engine).locked  # freed at each commit
        async with db.session() as s:
            assert (await s.get(UserPref, 1)) is not None and (await s.get(UserPref, 2)) is not None
    finally:
        await db.dispose()


async def test_a_rolled_back_or_cancelled_writer_frees_the_lock(db_url: str) -> None:
    db = Database(db_url)
    started = asyncio.Event()

    async def stuck() -> None:
        async with db.session() as s:
            await people.set_pref(s, user_id=5, locale="en")
            await s.flush()
            started.set()
            await asyncio.Event().wait()  # until cancelled

    try:
        with pytest.raises(RuntimeError):
            async with db.session() as s:
                await people.set_pref(s, user_id=4, locale="en")
                await s.flush()
                raise RuntimeError("rolled back")
        task = asyncio.ensure_future(stuck())
        await asyncio.wait_for(started.wait(), 5)
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        async with db.session() as s, asyncio.timeout(5):  # no lock left held by the others
            await people.set_pref(s, user_id=6, locale="en")
            await s.flush()
        async with db.session() as s:
            assert (await s.get(UserPref, 4)) is None and (await s.get(UserPref, 5)) is None
            assert (await s.get(UserPref, 6)) is not None
    finally:
        await db.dispose()


async def test_the_writer_may_write_again_on_another_connection(db_url: str) -> None:
    if db_url.startswith("sqlite"):
        pytest.skip("SQLite has one write lock per file: a second connection waits in SQLite")
    db = Database(db_url)
    try:
        async with db.session() as outer:
            await people.set_pref(outer, user_id=7, locale="en")
            await outer.flush()
            async with db.session() as inner, asyncio.timeout(5):  # not waiting for itself
                await people.set_pref(inner, user_id=8, locale="en")
                await inner.flush()
        assert not writer.writer(db.engine).locked
    finally:
        await db.dispose()
