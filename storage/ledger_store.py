"""Apply a parsed ledger to a programme: plan (preview) and write, all or nothing."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.ledger import LedgerRow
from core.domain.ledger_plan import (
    ImportPlan,
    by_code,
    diff,
    kept_row,
    plan_import,
    row_values,
    stored_for,
)
from storage import audit, roles
from storage.audit import BULK
from storage.ledger_current import stored_ledger
from storage.ledger_names import Names, Todo, names_co_owners
from storage.models import CoOwner, Measure, ProgressUpdate

# a long import says how far it is after each batch of so many rows; each batch is a few
# statements (insert, update, co-owners, notes, audit), whatever the number of rows in it
PROGRESS_ROWS = 500
_MEASURE = Measure.__table__  # type: ignore[attr-defined]


async def plan(
    session: AsyncSession,
    *,
    programme_id: int,
    rows: Sequence[LedgerRow],
    current: dict[str, dict[str, Any]] | None = None,
    keep_chat: bool = True,
) -> ImportPlan:
    """Compare the file with the ledger as stored (pass `current` when already loaded)."""
    if current is None:
        current = await stored_ledger(session, programme_id)
    return plan_import(rows, current, keep_chat=keep_chat)


def _chunks(items: Sequence[Any], size: int = BULK) -> Iterator[Sequence[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


class _Writer:
    """Writes the measures of one import in batches: a few statements per batch, not per row."""

    def __init__(
        self, session: AsyncSession, names: Names, *, importer_id: int | None, now: datetime,
        today: date,
    ) -> None:  # fmt: skip
        self.s, self.names, self.importer_id = session, names, importer_id
        self.pid, self.now, self.today = names.pid, now, today
        self.events: list[audit.Event] = []

    def values(self, row: LedgerRow, old: dict[str, Any] | None) -> dict[str, Any]:
        """The measure's columns as the row sets them."""
        if row.immediate:
            # 立行立改 is due the day it first came in; re-imports do not move it
            deadline = old["due"] if old is not None and old["immediate"] else self.today
        else:
            deadline = row.deadline
        return {
            "text": row.measure, **self.names.ids(row), "co_units": "、".join(row.co_units),
            "co_leaders": "、".join(row.co_leaders),
            "deadline": deadline, "immediate": row.immediate, "removed_at": None,
            "updated_at": self.now,
        }  # fmt: skip

    async def batch(self, todo: Sequence[Todo]) -> None:
        """Write one batch of rows: a few statements whatever its size."""
        inserts: list[dict[str, Any]] = []
        # an executemany needs the same columns in every row: one batch per set of columns
        updates: dict[tuple[str, ...], list[dict[str, Any]]] = {}
        due: dict[str, date | None] = {}
        for row, old, changes in todo:
            values = self.values(row, old)
            if old is not None and "deadline" not in changes:
                # kept (an extension in chat) or unchanged: the row's other change must not
                # write the file's deadline with it
                del values["deadline"], values["immediate"]
            due[row.code] = values.get("deadline")
            if row.original_deadline is not None:
                values["original_deadline"] = row.original_deadline
            if old is None or "status" in changes:
                # done in the file: closed before the programme began, so no closing date
                values |= {"status": row.status.value, "closed_on": None}
            if old is None:
                # every row of one INSERT has the same columns: a None is written as NULL
                values.setdefault("original_deadline", None)
                inserts.append({"programme_id": self.pid, "code": row.code, **values})
            else:
                updates.setdefault(tuple(sorted(values)), []).append({"id": old["id"], **values})
        ids = {row.code: old["id"] for row, old, _ in todo if old is not None}
        if inserts:
            # Core's INSERT of the table: the ORM's bulk insert sorts and copies every row first
            query = insert(_MEASURE).returning(_MEASURE.c.id, _MEASURE.c.code)
            ids |= {code: mid for mid, code in await self.s.exec(query, params=inserts)}
        for params in updates.values():
            if params:
                # by primary key; SQLAlchemy brings measures already loaded in the session in step
                await self.s.exec(update(Measure), params=params)
        await self._co_owners(todo, ids)
        notes = [
            {"programme_id": self.pid, "measure_id": ids[row.code], "person_id": self.importer_id,
             "health": None, "note": row.progress, "created_at": self.now}
            for row, _, changes in todo if "progress" in changes
        ]  # fmt: skip
        if notes:
            await self.s.exec(insert(ProgressUpdate.__table__), params=notes)  # type: ignore[attr-defined]
        for row, old, changes in todo:
            before = {k: old[k] for k in changes if k in old} if old else None
            after = dict(changes)
            if "deadline" in changes:
                # the trail records the date a deadline stands for, 立行立改 too, and the flag
                _dated(after, due[row.code], row.immediate)
                if old is not None and before is not None:
                    _dated(before, old["due"], old["immediate"])
            self.events.append(("measure.import", "measure", ids[row.code], before, after))

    async def _co_owners(self, todo: Sequence[Todo], ids: dict[str, int]) -> None:
        """Replace the co-owners of new measures and of those whose co-owners changed."""
        rewritten = [(row, ids[row.code]) for row, old, ch in todo if names_co_owners(old, ch)]
        stale = [ids[row.code] for row, old, ch in todo if old and names_co_owners(old, ch)]
        for chunk in _chunks(stale):
            await self.s.exec(delete(CoOwner).where(col(CoOwner.measure_id).in_(chunk)))
        people = self.names.people
        links = [
            {"programme_id": self.pid, "measure_id": mid, "person_id": people[name]}
            for row, mid in rewritten
            for name in row.co_owners
        ]
        if links:
            await self.s.exec(insert(CoOwner.__table__), params=links)  # type: ignore[attr-defined]


def _dated(values: dict[str, Any], due: date | None, immediate: bool) -> None:
    """An audited deadline as its date (ISO), and whether it is 立行立改."""
    values["deadline"] = due.isoformat() if due is not None else None
    values["immediate"] = immediate


def _todo(row: LedgerRow, old: dict[str, Any] | None, keep_chat: bool) -> Todo | None:
    """The row with what it changes; None when it changes nothing."""
    row = kept_row(row, old, keep_chat)  # edited in chat: the chat's values stay
    values = row_values(row)
    if old is None:
        return row, None, {k: v for k, v in values.items() if v}
    changes = diff(old, values, keep_chat=keep_chat)
    return (row, old, changes) if changes else None


async def apply(
    session: AsyncSession,
    *,
    programme_id: int,
    rows: Sequence[LedgerRow],
    actor: str,
    now: datetime,
    today: date,
    remove_missing: bool = False,
    importer_id: int | None = None,
    keep_chat: bool = True,
    progress: Callable[[int, int], Awaitable[None]] | None = None,
) -> ImportPlan:
    """Write the rows (the caller's transaction makes it all or nothing).

    Statuses changed in chat since the last import are kept unless keep_chat is False;
    `progress(done, total)` is awaited after each batch of PROGRESS_ROWS rows written, but the last.
    """
    current = await stored_ledger(session, programme_id)
    result = await plan(
        session, programme_id=programme_id, rows=rows, current=current, keep_chat=keep_chat
    )
    folded = by_code(current)

    def todo(chunk: Sequence[LedgerRow]) -> list[Todo]:
        return [
            t for row in chunk if (t := _todo(row, stored_for(row, current, folded), keep_chat))
        ]

    names = Names(session, programme_id)
    await names.load()
    # the rows' changes are worked out again batch by batch, not held for the whole file at
    # once (a dict per row: 50 MB at 50,000 rows); the names need only whether co-owners change
    await names.create([(row, names_co_owners(old, ch)) for row, old, ch in todo(rows)], rows)
    w = _Writer(session, names, importer_id=importer_id, now=now, today=today)
    for start in range(0, len(rows), PROGRESS_ROWS):
        batch = todo(rows[start : start + PROGRESS_ROWS])
        await w.batch(batch)
        result.owners |= {
            row.code: names.people[row.owner] for row, old, _ in batch if old is not None
        }
        await audit.record_many(
            session, programme_id=programme_id, actor=actor, now=now, events=w.events
        )
        w.events.clear()
        done = start + PROGRESS_ROWS
        if progress is not None and done < len(rows):
            await progress(done, len(rows))
    events = names.contacts(rows)
    if remove_missing:
        gone = [current[code]["id"] for code in result.missing]
        for chunk in _chunks(gone):
            removed = update(Measure).where(col(Measure.id).in_(chunk)).values(removed_at=now)
            await session.exec(removed)
        events += [
            ("measure.remove", "measure", current[code]["id"],
             {"code": code, "removed": False}, {"code": code, "removed": True})
            for code in result.missing
        ]  # fmt: skip
    await audit.record_many(session, programme_id=programme_id, actor=actor, now=now, events=events)
    result.roles_lost = await roles.follow_ledger(
        session, programme_id=programme_id, actor=actor, now=now
    )
    return result
