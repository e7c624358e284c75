"""One writing transaction of this process at a time per database, from its first write to its end.

With updates of different people side by side (issue 27), two transactions writing at once failed
in two ways: on PostgreSQL with `deadlock detected` (the audit chain locks the programme row after
the answer's own rows, so two answers of a programme took row locks in opposite orders), on
SQLite with `database is locked` (a write waited in SQLite's busy handler, which sleeps and gives
up after the busy timeout, for another transaction that was itself waiting for a pacing slot).
Here a transaction's first write waits in an asyncio queue instead, in arrival order, for the
previous writer of this process to end: one lock order, no busy-handler sleeps. Reads never wait.
A task that already writes through another connection goes on (it would otherwise wait for
itself). The shared pacing budget's claims stay outside: they are short and decide who may send.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from sqlalchemy import Connection, Select, TextClause, event
from sqlalchemy.ext.asyncio import AsyncEngine
from sqlalchemy.sql.dml import UpdateBase
from sqlalchemy.util import await_only
from sqlalchemy.util.concurrency import in_greenlet

log = logging.getLogger(__name__)

HELD = "writer_held"  # connection info key: the Writer this connection's transaction holds
WAIT = 10.0  # seconds a write waits at most; then it goes on and the database decides, as before
FREE = frozenset({"sendgrant"})  # tables written without the lock (jobs/budget's claims)
_WRITES = ("INSERT", "UPDATE", "DELETE", "REPLACE")


class Writer:
    """An asyncio lock that the task holding it may take again (once per connection it writes on)."""

    def __init__(self) -> None:
        self._lock = asyncio.Lock()
        self._owner: asyncio.Task[Any] | None = None
        self._depth = 0

    @property
    def locked(self) -> bool:
        """Whether some transaction holds it."""
        return self._lock.locked()

    async def acquire(self) -> bool:
        """Wait for the previous writer to end (the task holding it goes straight on); False
        when it did not end within WAIT seconds (a writer waiting for a task that waits here)."""
        task = asyncio.current_task()
        if task is not None and task is self._owner:
            self._depth += 1
            return True
        try:
            async with asyncio.timeout(WAIT):
                await self._lock.acquire()
        except TimeoutError:
            log.warning("a write waited %.0f s for this process's previous writer: going on", WAIT)
            return False
        self._owner, self._depth = task, 1
        return True

    def release(self) -> None:
        """One connection of the holder ended its transaction."""
        self._depth -= 1
        if self._depth <= 0:
            self._owner, self._depth = None, 0
            self._lock.release()


def writes(clause: Any) -> bool:
    """Whether a statement writes (or locks rows for writing) outside the budget's table."""
    if isinstance(clause, UpdateBase):
        return getattr(getattr(clause, "table", None), "name", None) not in FREE
    if isinstance(clause, Select):
        return clause._for_update_arg is not None
    if isinstance(clause, TextClause):
        return clause.text.lstrip().upper().startswith(_WRITES)
    return False


def writer(engine: AsyncEngine) -> Writer:
    """This event loop's writer lock of the engine (tests run many loops, one engine each)."""
    return _writer_of(engine.sync_engine.__dict__, asyncio.get_running_loop())


def _writer_of(holder: dict[str, Any], loop: asyncio.AbstractEventLoop) -> Writer:
    writers: dict[asyncio.AbstractEventLoop, Writer] = holder.setdefault("_cadence_writers", {})
    if loop not in writers:
        writers.clear()  # the engine's previous loop has ended: its lock cannot be waited on
        writers[loop] = Writer()
    return writers[loop]


def watch(engine: AsyncEngine) -> None:
    """Take the engine's writer lock before each transaction's first write, free it at its end."""
    sync_engine = engine.sync_engine
    holder = sync_engine.__dict__

    def before(conn: Connection, clause: Any, *_args: Any) -> None:
        if not in_greenlet() or not writes(clause):
            return
        info = conn.info
        if HELD in info:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        lock = _writer_of(holder, loop)
        if await_only(lock.acquire()):
            info[HELD] = lock

    def ended(conn: Connection) -> None:
        try:
            lock = conn.info.pop(HELD, None)
        except Exception:  # an invalidated connection: the pool's events below free it
            return
        if lock is not None:
            lock.release()

    def returned(_dbapi: Any, record: Any, *_args: Any) -> None:
        # a connection given back (or dropped) mid-transaction: a cancelled task's, say
        lock = record.info.pop(HELD, None) if record is not None else None
        if lock is not None:
            lock.release()

    event.listen(sync_engine, "before_execute", before)
    event.listen(sync_engine, "commit", ended)
    event.listen(sync_engine, "rollback", ended)
    event.listen(sync_engine.pool, "checkin", returned)
    event.listen(sync_engine.pool, "invalidate", returned)
