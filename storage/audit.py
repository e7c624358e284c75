"""Audit events: every change is recorded, chained by hash, never rewritten."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any, Protocol, TypeVar

from sqlalchemy import event, insert
from sqlalchemy.orm import Session
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.chain import GENESIS, Anchor, Break, Sealed, first_break, seal, seal_of
from storage.models import AuditEvent, Programme

PENDING = "audit_pending"  # session.info key: events in the order they were recorded
HEADS = "audit_heads"  # session.info key: each chain's (seq, hash) as this transaction left it


class _Row(Protocol):
    id: int | None


R = TypeVar("R", bound=_Row)


class AppendOnlyError(RuntimeError):
    """Some code tried to change or remove an audit event."""


def _dump(value: Any) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def load(value: str) -> Any:
    """The before/after value as it was recorded (None when empty)."""
    return json.loads(value) if value else None


def record(
    session: AsyncSession,
    *,
    programme_id: int,
    actor: str,
    action: str,
    entity: str,
    now: datetime,
    entity_id: int | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Add one audit event to the session (committed, and sealed, with the change it describes)."""
    audit_event = AuditEvent(
        programme_id=programme_id,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=_dump(before),
        after=_dump(after),
        at=now,
    )
    session.add(audit_event)
    session.sync_session.info.setdefault(PENDING, []).append(audit_event)
    return audit_event


async def added(
    session: AsyncSession,
    row: R,
    *,
    programme_id: int,
    measure_id: int,
    actor: str,
    action: str,
    key: str,
    after: dict[str, Any],
    now: datetime,
) -> R:
    """Insert a row of a measure's history and audit it there, naming the row's id by `key`."""
    session.add(row)
    await session.flush()  # the event names the row by its id
    after = {key: row.id, **after}
    record(
        session, programme_id=programme_id, actor=actor, action=action, entity="measure",
        entity_id=measure_id, after=after, now=now,
    )  # fmt: skip
    return row


def _chain_head(session: Session, programme_id: int) -> tuple[int, str]:
    """The chain's last (seq, hash): read (and on PostgreSQL locked) once per transaction, then
    kept in the session as this transaction's own events move it (nobody else can, meanwhile)."""
    heads: dict[int, tuple[int, str]] = session.info.setdefault(HEADS, {})
    if programme_id not in heads:
        heads[programme_id] = _read_head(session, programme_id)
    return heads[programme_id]


def _moved(session: Session, programme_id: int, head: tuple[int, str]) -> None:
    session.info.setdefault(HEADS, {})[programme_id] = head


@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_soft_rollback")  # any rollback, a savepoint's included
def _forget_heads(session: Session, *_args: object) -> None:
    """Read the heads again after a commit (another writer may move them next) or a rollback
    (what this transaction wrote may be undone)."""
    session.info.pop(HEADS, None)


def _read_head(session: Session, programme_id: int) -> tuple[int, str]:
    # plain rows from the flush's own connection (SQLModel deprecates Session.execute)
    conn = session.connection()
    if conn.dialect.name == "postgresql":
        # one writer per programme's chain at a time: the next seq and hash depend on the last
        conn.execute(select(Programme.id).where(Programme.id == programme_id).with_for_update())
    last = conn.execute(
        select(AuditEvent.seq, AuditEvent.hash)
        .where(AuditEvent.programme_id == programme_id, col(AuditEvent.id).is_not(None))
        .order_by(col(AuditEvent.seq).desc())
        .limit(1)
    ).first()
    return (int(last[0]), str(last[1])) if last else (0, GENESIS)


@event.listens_for(Session, "before_flush")
def _seal_new_events(session: Session, _context: object, _instances: object) -> None:
    """Refuse edits and deletions of events; number and seal the new ones in recorded order."""
    for obj in (*session.dirty, *session.deleted):
        if isinstance(obj, AuditEvent) and (obj in session.deleted or session.is_modified(obj)):
            raise AppendOnlyError("audit events are append-only")
    recorded: list[AuditEvent] = session.info.get(PENDING, [])
    fresh = [e for e in recorded if e in session.new]
    fresh += [e for e in session.new if isinstance(e, AuditEvent) and e not in fresh]
    session.info[PENDING] = []
    for e in fresh:
        seq, prev = _chain_head(session, e.programme_id)
        e.seq, e.prev_hash = seq + 1, prev
        e.hash = seal_of(e)
        _moved(session, e.programme_id, (e.seq, e.hash))


def sealed(e: AuditEvent) -> Sealed:
    """The chain's view of a stored event."""
    assert e.id is not None
    return Sealed(
        id=e.id,
        programme_id=e.programme_id,
        seq=e.seq,
        actor=e.actor,
        action=e.action,
        entity=e.entity,
        entity_id=e.entity_id,
        before=e.before,
        after=e.after,
        at=e.at,
        prev_hash=e.prev_hash,
        hash=e.hash,
    )


async def verify(session: AsyncSession, *, programme_id: int) -> tuple[int, Break | None]:
    """How many events the programme has, and the first that breaks the chain (None: intact)."""
    rows = (
        await session.exec(
            select(AuditEvent)
            .where(AuditEvent.programme_id == programme_id)
            .order_by(col(AuditEvent.seq), col(AuditEvent.id))
        )
    ).all()
    return len(rows), first_break(sealed(e) for e in rows)


async def anchor(session: AsyncSession, *, programme_id: int) -> Anchor:
    """The chain's count and head now, for the monthly report and /status to carry out."""
    last = (
        await session.exec(
            select(AuditEvent.seq, AuditEvent.hash)
            .where(AuditEvent.programme_id == programme_id)
            .order_by(col(AuditEvent.seq).desc())
            .limit(1)
        )
    ).first()
    return Anchor(int(last[0]), str(last[1])) if last else Anchor(0, GENESIS)


async def anchored(session: AsyncSession, *, programme_id: int) -> list[tuple[int, str]]:
    """Every event's (seq, hash), in order: what an anchor is checked against."""
    rows = await session.exec(
        select(AuditEvent.seq, AuditEvent.hash)
        .where(AuditEvent.programme_id == programme_id)
        .order_by(col(AuditEvent.seq), col(AuditEvent.id))
    )
    return [(int(seq), str(h)) for seq, h in rows.all()]


async def of_entity(
    session: AsyncSession, *, programme_id: int, entity: str, entity_ids: Sequence[int]
) -> list[AuditEvent]:
    """Events about some entities, in the order they happened."""
    rows = await session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.programme_id == programme_id,
            AuditEvent.entity == entity,
            col(AuditEvent.entity_id).in_(entity_ids),
        )
        .order_by(col(AuditEvent.seq))
    )
    return list(rows.all())


Event = tuple[str, str, int | None, Any, Any]  # action, entity, entity id, before, after
BULK = 1000  # rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits


async def record_many(
    session: AsyncSession, *, programme_id: int, actor: str, now: datetime, events: Sequence[Event]
) -> None:
    """Seal many events of one programme in order and insert them in bulk (a big import's)."""
    if not events:
        return
    await session.flush()  # events recorded before these are sealed first: the chain keeps order
    seq, prev = await session.run_sync(_chain_head, programme_id)
    rows: list[dict[str, Any]] = []
    for action, entity, entity_id, before, after in events:
        seq += 1
        row: dict[str, Any] = {
            "programme_id": programme_id,
            "seq": seq,
            "actor": actor,
            "action": action,
            "entity": entity,
            "entity_id": entity_id,
            "before": _dump(before),
            "after": _dump(after),
            "at": now,
            "prev_hash": prev,
        }
        row["hash"] = prev = seal(**row)
        rows.append(row)
    for start in range(0, len(rows), BULK):
        await session.exec(insert(AuditEvent), params=rows[start : start + BULK])
    session.sync_session.info.setdefault(HEADS, {})[programme_id] = (seq, prev)


def chain_head(session: Session, programme_id: int) -> tuple[int, str]:
    """The chain's (seq, hash) as this transaction leaves it, for session.run_sync."""
    return _chain_head(session, programme_id)
