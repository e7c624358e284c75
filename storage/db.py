"""Async engine and sessions for SQLite (WAL) and PostgreSQL."""

from __future__ import annotations

import socket
import sys
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Executable, Result, event, exc
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import PoolResetState
from sqlalchemy.sql.dml import UpdateBase
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import sqlite_driver, writer


async def rows(
    session: AsyncSession, query: Executable, params: dict[str, Any] | None = None
) -> Result[*tuple[Any, ...]]:
    """A Core select's plain rows (with bound `params`) through the session, so its pending
    changes flush first.

    SQLModel deprecates `session.execute`; its `exec` runs any statement the same way but types
    only its own selects of up to four columns, hence one ignore here rather than at each caller.
    """
    return await session.exec(query, params=params)  # type: ignore[call-overload, no-any-return]


def to_async_url(url: str) -> str:
    """Map a plain `sqlite:///` or `postgresql://` URL to its async driver."""
    scheme, sep, rest = url.partition("://")
    if not sep:
        raise ValueError(f"not a database URL: {url!r}")
    base = scheme.split("+", 1)[0]
    if base == "sqlite":
        return f"sqlite+aiosqlite://{rest}"
    if base in ("postgresql", "postgres"):
        return f"postgresql+asyncpg://{rest}"
    raise ValueError(f"unsupported database: {scheme!r} (use sqlite or postgresql)")


def where(url: str) -> str:
    """The database a URL names, for people: kind and host (or file), never the password."""
    try:
        parsed = make_url(url)
    except exc.ArgumentError:
        return "an unreadable DATABASE_URL"
    kind = parsed.get_backend_name()
    if kind == "sqlite":
        return f"sqlite file {parsed.database or ':memory:'}"
    port = f":{parsed.port}" if parsed.port else ""
    return f"{kind} at {parsed.host or 'localhost'}{port}/{parsed.database or ''}"


def _lost() -> tuple[type[BaseException], ...]:
    """Errors that mean the database is gone; asyncpg's only once it is loaded (only it raises
    them), so a bot on SQLite does not import it (about 6 MB and 40 ms at start)."""
    # socket.gaierror: an unknown host (DNS) is as unreachable as a closed port
    lost: tuple[type[BaseException], ...] = (ConnectionError, TimeoutError, socket.gaierror)
    pg = sys.modules.get("asyncpg")
    if pg is None:
        return lost
    e = pg.exceptions
    return (
        *lost,
        e.ConnectionDoesNotExistError,
        e.CannotConnectNowError,
        e.InterfaceError,
        e.InvalidAuthorizationSpecificationError,
        e.InvalidCatalogNameError,
    )


def unreachable(error: BaseException | None) -> bool:
    """Whether an error (or what caused it) means the database cannot be reached."""
    seen, lost = 0, _lost()
    while error is not None and seen < 10:
        if isinstance(error, lost):
            return True
        if isinstance(error, exc.DBAPIError) and error.connection_invalidated:
            return True
        if "unable to open database file" in str(error):  # SQLite's way of saying it
            return True
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__
        seen += 1
    return False


def unreadable(error: BaseException | None) -> bool:
    """Whether an error (or what caused it) says the SQLite file is not a database we can read."""
    seen = 0
    while error is not None and seen < 10:
        if any(m in str(error) for m in ("file is not a database", "disk image is malformed")):
            return True
        error = getattr(error, "orig", None) or error.__cause__ or error.__context__
        seen += 1
    return False


def reason(error: BaseException) -> str:
    """The first line of the innermost error, for a one-line message."""
    inner = error
    while inner.__cause__ is not None or inner.__context__ is not None:
        inner = inner.__cause__ or inner.__context__  # type: ignore[assignment]
    text = str(getattr(inner, "orig", None) or inner).strip().splitlines()
    return text[0] if text else type(inner).__name__


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    # WAL lets the CLI read while the bot writes; foreign keys are off by default in SQLite
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA busy_timeout=5000")
    cur.close()


def _sqlite_reset(dbapi_conn: Any, _record: Any, state: PoolResetState) -> None:
    """Roll a connection back on its return to the pool only if it still has a transaction.

    After a commit there is nothing to undo, and the pool's unconditional rollback is one more
    round trip to the aiosqlite thread for every transaction.
    """
    if state.asyncio_safe and dbapi_conn.driver_connection.in_transaction:
        dbapi_conn.rollback()


# the tables an identity is read from: a write to any of them empties the identity cache
IDENTITY_TABLES = frozenset({"person", "rolegrant", "userpref", "programme"})


class IdentityCache:
    """Who each Telegram user is, for a few seconds; any write to an identity table empties it.

    Writes in this process (ORM flushes and Core statements alike) empty it when they run and
    again when they commit; a write by another process (the CLI) shows within TTL seconds.
    """

    TTL = 10.0

    def __init__(self) -> None:
        self._items: dict[int, tuple[float, Any]] = {}
        self.generation = 0  # bumped by every clear: a read that overlapped a write is not kept

    def get(self, user_id: int) -> Any | None:
        """The cached value, if fresh."""
        hit = self._items.get(user_id)
        if hit is None or time.monotonic() - hit[0] > self.TTL:
            return None
        return hit[1]

    def put(self, user_id: int, value: Any, generation: int) -> None:
        """Keep a value read while the cache was at this generation (else it may be stale)."""
        if generation == self.generation:
            self._items[user_id] = (time.monotonic(), value)

    def clear(self) -> None:
        """Forget everything."""
        self._items.clear()
        self.generation += 1


_IDENTITIES: dict[str, IdentityCache] = {}


def identity_cache(engine: AsyncEngine) -> IdentityCache:
    """The cache of the database this engine reaches (engines of one URL in a process share it)."""
    return _IDENTITIES.setdefault(str(engine.url), IdentityCache())


def _watch_identity_writes(engine: AsyncEngine) -> None:
    cache = identity_cache(engine)

    def executed(conn: Connection, clause: Any, *_args: Any) -> None:
        table = getattr(clause, "table", None)
        if isinstance(clause, UpdateBase) and getattr(table, "name", None) in IDENTITY_TABLES:
            cache.clear()
            conn.info["identity_written"] = True  # and again once it is committed

    def ended(conn: Connection) -> None:
        # an invalidated connection (a task cancelled mid-statement) raises on `info`: raising in
        # this hook would stop the rollback itself and leave SQLite's write lock held
        if conn.invalidated:
            cache.clear()  # what it wrote cannot be told: forget everything
        elif conn.info.pop("identity_written", False):
            cache.clear()

    event.listen(engine.sync_engine, "after_execute", executed)
    event.listen(engine.sync_engine, "commit", ended)
    event.listen(engine.sync_engine, "rollback", ended)


def make_engine(url: str) -> AsyncEngine:
    """Create the engine for a plain or async URL, making the SQLite folder if needed."""
    async_url = to_async_url(url)
    if async_url.startswith("sqlite"):
        path = async_url.partition(":///")[2]
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        # one trip to aiosqlite's thread per statement instead of four (storage/sqlite_driver.py)
        engine = create_async_engine(
            async_url, pool_reset_on_return=None, module=sqlite_driver.module()
        )
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "reset", _sqlite_reset)
    else:
        engine = create_async_engine(async_url, pool_pre_ping=True)
    _watch_identity_writes(engine)
    writer.watch(engine)  # one writing transaction of this process at a time (storage/writer.py)
    return engine


def _busy(session: AsyncSession) -> bool:
    """Whether ending the session has work to do: a connection to give back or changes to flush.

    An update answered from the identity cache never touches the database; its session then
    costs no commit (each is a round trip to the aiosqlite thread).
    """
    sync = session.sync_session
    if sync.new or sync.dirty or sync.deleted:
        return True
    transaction = sync.get_transaction()
    # SQLAlchemy keeps a transaction's connections private; assume one if that ever changes
    return transaction is not None and bool(getattr(transaction, "_connections", True))


class Database:
    """The engine plus a session factory; one session per update or job."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        self._factory = async_sessionmaker(self.engine, class_=AsyncSession, expire_on_commit=False)
        self.identities = identity_cache(self.engine)
        self.identities.clear()  # a new user of the database (a test's fresh one, the CLI)
        self._pacing: Database | None = None

    def pacing(self) -> Database:
        """Where every process's shared pacing budget lives: this database on PostgreSQL; beside
        a SQLite file, a file of its own (`NAME.pacing`), since an update holds the database's
        one write lock while its reply is sent, and a claim must not wait for it."""
        if self._pacing is None:
            parsed = make_url(self.url)
            path = parsed.database or ""
            if parsed.get_backend_name() != "sqlite" or path in ("", ":memory:"):
                self._pacing = self
            else:
                self._pacing = Database(f"sqlite:///{path}.pacing")
        return self._pacing

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        """A session that commits on success and rolls back on error."""
        session = self._factory()
        try:
            yield session
            if _busy(session):
                await session.commit()
        except BaseException:
            if _busy(session):
                await session.rollback()
            raise
        finally:
            if _busy(session):
                await session.close()

    async def ping(self) -> None:
        """Fail fast at start when the database cannot be reached."""
        async with self.engine.connect() as conn:
            await conn.exec_driver_sql("SELECT 1")

    async def dispose(self) -> None:
        """Close every pooled connection."""
        self.identities.clear()
        if self._pacing is not None and self._pacing is not self:
            await self._pacing.dispose()
        self._pacing = None
        await self.engine.dispose()
