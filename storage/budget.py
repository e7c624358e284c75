"""The pacing budget every process on one database shares: slots claimed in batches, one statement set."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy import bindparam, case, delete, func, insert, text, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.db import Database, rows
from storage.models_delivery import SendGrant
from storage.timeouts import this_process

LOCK_KEY = 0x43_61_64_65  # "Cade": the advisory lock that takes claims one at a time on PostgreSQL

# Core statements on the table, built once with bound values: a claim runs before every reply,
# and building them (and the ORM's bulk-delete bookkeeping) was most of its CPU
_GRANTS = SendGrant.__table__  # type: ignore[attr-defined]
_LOCK = text("SELECT pg_advisory_xact_lock(:key)").bindparams(key=LOCK_KEY)
_EXPIRED = delete(_GRANTS).where(_GRANTS.c.until_ms <= bindparam("now_ms"))
_HELD = select(func.coalesce(func.sum(_GRANTS.c.slots), 0), func.min(_GRANTS.c.until_ms)).where(
    _GRANTS.c.until_ms > bindparam("now_ms")
)
_GRANT = (
    insert(_GRANTS)
    .values(process=bindparam("process"), slots=bindparam("slots"), until_ms=bindparam("until"))
    .returning(_GRANTS.c.id)
)


async def ready(db: Database) -> None:
    """Create the budget's table in a SQLite side file (a migrated database has it already)."""
    if db.engine.dialect.name == "sqlite":
        async with db.engine.begin() as conn:
            await conn.run_sync(lambda c: SendGrant.__table__.create(c, checkfirst=True))  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Claim:
    """What a claim got: a grant (None if no slot was free) and when the next held slot frees."""

    grant: int | None
    slots: int
    held: int  # slots every holder held before this claim
    soonest_ms: int | None  # the earliest end of a grant still held, if any


async def claim(
    session: AsyncSession,
    *,
    want: int,
    limit: int,
    now_ms: int,
    hold_ms: int,
    settle: Sequence[tuple[int, int, int | None]] = (),
) -> Claim:
    """Take up to `want` slots while all holders together hold at most `limit`, until now + hold.

    `settle` gives this process's earlier grants (id, slots used, end if known) their real size
    and end (a slot is free one second after Telegram answered), written first so that they
    count no longer than they must.
    Claims run one at a time: PostgreSQL by a transaction-scoped advisory lock; SQLite because
    the first statement writes, so it waits (busy timeout) for the file's one write lock.
    """
    if session.bind is not None and session.bind.dialect.name == "postgresql":
        await rows(session, _LOCK)
    until = col(SendGrant.until_ms)
    await rows(session, _EXPIRED, {"now_ms": now_ms})
    if settle:  # one statement for them all
        ids = col(SendGrant.id)
        ends = {grant: end for grant, _, end in settle if end is not None}
        await rows(
            session,
            update(SendGrant)
            .where(ids.in_([grant for grant, _, _ in settle]))
            .values(
                slots=case({grant: n for grant, n, _ in settle}, value=ids),
                until_ms=case(ends, value=ids, else_=until) if ends else until,
            ),
        )
    held, soonest = (await rows(session, _HELD, {"now_ms": now_ms})).one()
    n = min(want, limit - int(held))
    if n <= 0:
        return Claim(None, 0, int(held), soonest)
    values = {"process": this_process(), "slots": n, "until": now_ms + hold_ms}
    grant = (await rows(session, _GRANT, values)).scalar_one()
    return Claim(int(grant), n, int(held), soonest)
