"""What the oracle's tests share: a database per test, Hypothesis settings, the programme read back."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from functools import partial
from typing import Any
from unittest import mock

import pytest_asyncio
from hypothesis import HealthCheck, Phase, settings
from sqlalchemy import event
from sqlalchemy.ext.asyncio import create_async_engine

from storage import db as storage_db
from storage.db import Database

# a fixed seed and a fixed number of histories in CI; each history is played once and every
# property (a to e) checked on it (test_properties.py). ORACLE_EXAMPLES=2000 ORACLE_RANDOM=1
# ORACLE_SHRINK=1 to search harder and minimise
EXAMPLES = int(os.environ.get("ORACLE_EXAMPLES", "200"))
RANDOM = os.environ.get("ORACLE_RANDOM") is not None
# the histories are split into shards, each a test of its own with its own fixed seed, so that
# pytest-xdist's workers share them (test_properties.py)
SHARDS = max(1, min(int(os.environ.get("ORACLE_SHARDS", "8")), EXAMPLES))
ORACLE = settings(
    max_examples=EXAMPLES,
    derandomize=not RANDOM,
    deadline=None,
    database=None,
    report_multiple_bugs=False,  # the first failure is enough: the known ones stay as examples
    # shrinking a failure takes minutes: the known ones are kept shrunk as examples already
    phases=list(Phase)
    if os.environ.get("ORACLE_SHRINK")
    else [
        Phase.explicit,
        Phase.generate,
    ],  # failures found stay as @example cases in the tests, not in a local folder
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,  # one database per test: each history its programme
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def _no_sync(dbapi_conn: Any, _record: Any) -> None:
    sqlite = "sqlite" in type(dbapi_conn).__module__
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA synchronous=OFF" if sqlite else "SET synchronous_commit TO off")
    cursor.close()


async def _inline(fn: Callable[..., Any], *args: Any, **kw: Any) -> Any:
    return fn(*args, **kw)


def _inline_sqlite(dbapi_conn: Any, _record: Any) -> None:
    # aiosqlite's thread still opens the connection; each statement, commit and rollback then runs
    # on the event loop's own thread: the oracle plays one step at a time, so nothing waits
    # on SQLite meanwhile, and the hand-offs to that thread were a third of its wall time on a
    # loaded machine (benchmarks/RESULTS.md)
    dbapi_conn.driver_connection._execute = _inline


def open_database(url: str) -> Database:
    """The product's Database on a throwaway database, made cheaper to play histories on."""
    if not url.startswith("sqlite"):
        database = Database(url)
    else:
        # the loop's thread may use the connection aiosqlite's thread opened
        engine = partial(create_async_engine, connect_args={"check_same_thread": False})
        with mock.patch.object(storage_db, "create_async_engine", engine):
            database = Database(url)
        event.listen(database.engine.sync_engine, "connect", _inline_sqlite)
    # no wait for the disk at each commit (what is tested is the counting)
    event.listen(database.engine.sync_engine, "connect", _no_sync)
    return database


@pytest_asyncio.fixture
async def oracle_db(db_url: str) -> AsyncIterator[Database]:
    """One migrated database (SQLite, and PostgreSQL when configured) for all of a test's histories."""
    database = open_database(db_url)
    try:
        yield database
    finally:
        await database.dispose()
