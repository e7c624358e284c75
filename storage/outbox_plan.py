"""Queueing outbox messages in the caller's transaction: what the beats plan, the sender sends."""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import insert, inspect
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.render.plain_keys import Keyboard
from storage import outbox
from storage.models import DispatchItem, OutboxMessage, Person, SentBeat


def plan(
    session: AsyncSession,
    *,
    programme_id: int,
    beat: str,
    period: str,
    key: str,
    chat_id: int,
    text: str,
    now: datetime,
    expires: datetime,
    person: Person | None = None,
    markup: Keyboard | None = None,
    measure_ids: list[int] | None = None,
    locale: str = "",
    file: tuple[str, str, bytes] | None = None,
) -> OutboxMessage:
    """Queue one message in the caller's transaction (held when its recipient is unreachable).

    `file`: (kind, filename, bytes) for a photo or document; `text` is then its caption.
    """
    kind, filename, payload = file or ("text", "", None)
    row = OutboxMessage(
        programme_id=programme_id,
        beat=beat,
        period=period,
        key=key,
        person_id=person.id if person else None,
        chat_id=chat_id,
        measure_ids=",".join(str(i) for i in measure_ids or []),
        locale=locale,
        text=text,
        markup=json.dumps(markup.to_dict(), ensure_ascii=False) if markup else "",
        kind=kind,
        filename=filename,
        payload=payload,
        state=outbox.HELD if person and person.unreachable_since else outbox.QUEUED,
        expires_at=expires,
        created_at=now,
    )
    session.add(row)
    return row


async def flush_and_forget(session: AsyncSession, rows: list[Any]) -> None:
    """Write planned rows in the caller's transaction and drop them from the session.

    A fan-out plans a thousand messages; flushing and letting go of them batch by batch keeps
    the rendered texts and their ORM state from piling up until the commit. The new rows go in
    one INSERT per table, in the order planned: the ORM inserts them one statement per row on
    SQLite (it must read each new id back, and SQLite's RETURNING order is not guaranteed),
    and nobody reads their ids here.
    """
    new: dict[type[Any], list[dict[str, Any]]] = defaultdict(list)
    for row in rows:
        if row in session.new:
            session.expunge(row)
            columns = inspect(type(row)).column_attrs
            new[type(row)].append({c.key: getattr(row, c.key) for c in columns if c.key != "id"})
    await session.flush()  # the rows updated (a forced dispatch's items), and anything else
    for model, params in new.items():
        await session.exec(insert(model), params=params)
    for row in rows:
        if row in session:
            session.expunge(row)
    rows.clear()


# A dispatch keeps no snapshot of its own (reviews do): while its fan-out is partly planned, the
# claim's snapshot lists the owners whose message is still to plan, written with each batch
PENDING = "pending"


def note_left(record: SentBeat, *, owner_ids: list[int]) -> None:
    """Keep, with the batch just planned, which owners are left ('' once all are planned)."""
    record.snapshot = json.dumps({PENDING: owner_ids}) if owner_ids else ""


def left_of(record: SentBeat) -> list[int]:
    """The owners a partly planned fan-out has still to plan."""
    if not record.snapshot.startswith('{"' + PENDING):
        return []
    return [int(i) for i in json.loads(record.snapshot)[PENDING]]


async def partly_planned(session: AsyncSession, *, beat: str) -> list[SentBeat]:
    """The claims of a beat whose fan-out a stop or a crash left partly planned."""
    query = select(SentBeat).where(
        SentBeat.beat == beat, col(SentBeat.snapshot).startswith('{"' + PENDING)
    )
    return list((await session.exec(query)).all())


async def items_of(
    session: AsyncSession, *, programme_id: int, period: str, measure_ids: list[int]
) -> list[DispatchItem]:
    """A period's dispatch items of some measures (a batch's, planned again or resumed)."""
    if not measure_ids:
        return []
    query = select(DispatchItem).where(
        DispatchItem.programme_id == programme_id,
        DispatchItem.period == period,
        col(DispatchItem.measure_id).in_(measure_ids),
    )
    return list((await session.exec(query)).all())
