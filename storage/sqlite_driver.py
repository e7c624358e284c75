"""aiosqlite with one trip to its thread per statement, where SQLAlchemy's adapter makes four.

SQLAlchemy's adapter awaits aiosqlite for the cursor, the execute, the fetch and the close: four
hand-offs between the event loop and aiosqlite's thread for a statement SQLite runs in
microseconds. Each hand-off is a queue put, a thread wake-up and a loop wake-up, and on a busy
machine a wait for the scheduler: they were most of the oracle's time (benchmarks/RESULTS.md).
Here a statement is one function run in that thread, which does all four and returns the rows.
"""

from __future__ import annotations

import collections
import sqlite3
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from sqlalchemy.dialects.sqlite.aiosqlite import (
    AsyncAdapt_aiosqlite_connection,
    AsyncAdapt_aiosqlite_cursor,
    AsyncAdapt_aiosqlite_dbapi,
)
from sqlalchemy.util import EMPTY_DICT

Outcome = tuple[Any, int, int | None, list[Any] | None]  # description, rowcount, lastrowid, rows


def _run(conn: sqlite3.Connection, operation: str, parameters: Any, many: bool) -> Outcome:
    """In aiosqlite's thread: a cursor, the statement, its rows, the cursor closed."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(operation, parameters)
        elif parameters is None:
            cursor.execute(operation)
        else:
            cursor.execute(operation, parameters)
        rows = cursor.fetchall() if cursor.description else None
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class OneTripCursor(AsyncAdapt_aiosqlite_cursor):
    """A buffered cursor that runs each statement in a single trip to aiosqlite's thread."""

    __slots__ = ("_outcome",)

    def __init__(self, adapt_connection: AsyncAdapt_aiosqlite_connection) -> None:
        # no aiosqlite cursor (the base class awaits one): each statement makes and closes its own
        self._adapt_connection = adapt_connection
        self._connection = adapt_connection._connection
        self._cursor = None  # type: ignore[assignment]
        self._soft_closed_memoized = EMPTY_DICT
        self._rows = collections.deque()
        self._outcome: Outcome = (None, -1, None, None)

    @property
    def description(self) -> Any:
        return self._outcome[0]

    @property
    def rowcount(self) -> int:
        return self._outcome[1]

    @property
    def lastrowid(self) -> Any:
        return self._outcome[2]

    @property
    def arraysize(self) -> int:
        return 1

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        pass  # the rows are all fetched with the statement

    async def _async_soft_close(self) -> None:
        pass  # nothing is left open: the cursor was closed in the thread

    async def _trip(self, operation: Any, parameters: Any, many: bool) -> None:
        async with self._adapt_connection._execute_mutex:
            conn = self._connection
            # aiosqlite's own queue (SQLAlchemy's adapter uses it too, for isolation_level)
            self._outcome = await conn._execute(
                lambda: _run(conn._conn, operation, parameters, many)
            )
            rows = self._outcome[3]
            self._rows = collections.deque(rows) if rows else collections.deque()

    async def _execute_async(self, operation: Any, parameters: Any) -> Any:
        await self._trip(operation, parameters, many=False)

    async def _executemany_async(self, operation: Any, seq_of_parameters: Sequence[Any]) -> Any:
        await self._trip(operation, seq_of_parameters, many=True)


class OneTripConnection(AsyncAdapt_aiosqlite_connection):
    """SQLAlchemy's aiosqlite connection, with the one-trip cursor."""

    __slots__ = ()
    _cursor_cls = OneTripCursor  # type: ignore[assignment]  # a subclass; mypy sees Any bases


class OneTripDBAPI(AsyncAdapt_aiosqlite_dbapi):
    """What the engine gets as its DBAPI module (create_engine's documented `module`)."""

    def connect(self, *arg: Any, **kw: Any) -> OneTripConnection:
        adapted = super().connect(*arg, **kw)
        return OneTripConnection(self, adapted._connection)


def module() -> OneTripDBAPI:
    """The DBAPI module for create_async_engine(..., module=...)."""
    import aiosqlite

    sqlite: ModuleType = sqlite3
    return OneTripDBAPI(aiosqlite, sqlite)
