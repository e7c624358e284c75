"""The outbox: every message a beat plans, written with its claim, then taken, sent and recorded."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy import and_, delete, func, literal, or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage import current_state
from storage.models import DispatchItem, OutboxMessage, Person

QUEUED, HELD, SENT, FAILED = "queued", "held", "sent", "failed"


def ids_of(row: OutboxMessage) -> list[int]:
    """The measures a message is about."""
    return [int(x) for x in row.measure_ids.split(",") if x]


async def queued(
    session: AsyncSession,
    *,
    now: datetime,
    programme_id: int | None = None,
    beat: str | None = None,
) -> list[tuple[int, int]]:
    """(id, chat) of messages still to send whose period has not ended, in planning order."""
    query = select(OutboxMessage.id, OutboxMessage.chat_id).where(
        OutboxMessage.state == QUEUED, col(OutboxMessage.expires_at) > now
    )
    if programme_id is not None:
        query = query.where(OutboxMessage.programme_id == programme_id)
    if beat is not None:
        query = query.where(OutboxMessage.beat == beat)
    rows = await session.exec(query.order_by(col(OutboxMessage.id)))
    return [(i, c) for i, c in rows.all() if i]


async def take(
    session: AsyncSession, *, row_id: int, lease_until: datetime, wall: datetime
) -> OutboxMessage | None:
    """Lease a queued message for one attempt, in one statement; None when another sender holds
    it or it is done."""
    result = await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.id) == row_id,
            col(OutboxMessage.state) == QUEUED,
            or_(
                col(OutboxMessage.leased_until).is_(None),
                col(OutboxMessage.leased_until) < wall,
            ),
        )
        .values(attempts=OutboxMessage.attempts + 1, leased_until=lease_until)
        .returning(OutboxMessage)
        # the row as written: an object this session already holds is refreshed, not kept
        .execution_options(populate_existing=True)
    )
    return result.scalars().first()


async def get(session: AsyncSession, *, row_id: int) -> OutboxMessage | None:
    """One message."""
    return await session.get(OutboxMessage, row_id)


async def mark_sent(
    session: AsyncSession, *, row: OutboxMessage, message_id: int, at: datetime
) -> None:
    """Record a delivery; a dispatch's items now answer to replies to it and count as delivered."""
    await mark_all_sent(session, sent=[(row, message_id)], at=at)


async def mark_all_sent(
    session: AsyncSession, *, sent: Sequence[tuple[OutboxMessage, int]], at: datetime
) -> None:
    """Record deliveries (row, Telegram's message id) in one transaction; the kept state of the
    dispatches' measures is refreshed once for all of them."""
    delivered: dict[int, set[int]] = {}  # programme -> measures a dispatch was delivered about
    for row, message_id in sent:
        if await _mark_sent(session, row=row, message_id=message_id, at=at):
            delivered.setdefault(row.programme_id, set()).update(ids_of(row))
    for programme_id, ids in sorted(delivered.items()):
        # delivered: the silence it starts or continues is kept
        await current_state.refresh(session, programme_id=programme_id, measure_ids=ids)


async def _mark_sent(
    session: AsyncSession, *, row: OutboxMessage, message_id: int, at: datetime
) -> bool:
    """One delivery; whether it was a dispatch's, about some measures."""
    row.state, row.message_id, row.sent_at, row.leased_until = SENT, message_id, at, None
    row.payload = None  # a sent file lives on in Telegram; the database need not keep a copy
    session.add(row)
    ids = ids_of(row)
    if row.beat not in ("dispatch", "nudge") or not ids:
        return False
    values: dict[str, object] = {"chat_id": row.chat_id, "message_id": message_id}
    if row.beat == "dispatch":
        # the first delivery dates it: a forced re-send does not move it to another month
        values["delivered"] = True
        first = DispatchItem.__table__.c.delivered_at  # type: ignore[attr-defined]
        values["delivered_at"] = func.coalesce(first, literal(at, type_=first.type))
    await session.exec(
        update(DispatchItem)
        .where(
            col(DispatchItem.programme_id) == row.programme_id,
            col(DispatchItem.period) == row.period,
            col(DispatchItem.measure_id).in_(ids),
        )
        .values(**values)
    )
    return row.beat == "dispatch"


async def release(session: AsyncSession, *, row: OutboxMessage, error: str = "") -> None:
    """Give a leased message back to the queue after a transient failure."""
    row.state, row.error, row.leased_until = QUEUED, error[:500], None
    session.add(row)


async def finish(session: AsyncSession, *, row: OutboxMessage, state: str, error: str) -> None:
    """Hold (recipient unreachable) or fail (given up) a message, keeping why."""
    row.state, row.error, row.leased_until = state, error[:500], None
    session.add(row)


async def of_notice(session: AsyncSession, *, programme_id: int, about: str) -> list[OutboxMessage]:
    """The notices planned about one thing (usecases.notices: period is about@moment)."""
    query = select(OutboxMessage).where(
        OutboxMessage.programme_id == programme_id,  # the unique index's leading columns
        OutboxMessage.beat == "notice",
        col(OutboxMessage.period).startswith(f"{about}@"),
    )
    return list((await session.exec(query)).all())


async def items_for_message(
    session: AsyncSession, *, chat_id: int, message_id: int
) -> list[DispatchItem]:
    """The dispatch items a bot message listed (for replies to a dispatch or a reminder)."""
    rows = await session.exec(
        select(OutboxMessage).where(
            OutboxMessage.chat_id == chat_id, OutboxMessage.message_id == message_id
        )
    )
    row = rows.first()
    if row is None or not ids_of(row):
        return []
    found = await session.exec(
        select(DispatchItem)
        .where(
            DispatchItem.programme_id == row.programme_id,
            DispatchItem.period == row.period,
            col(DispatchItem.measure_id).in_(ids_of(row)),
        )
        .order_by(col(DispatchItem.id))
    )
    return list(found.all())


async def unhold(session: AsyncSession, *, user_id: int, now: datetime) -> list[int]:
    """A person wrote to the bot: reachable again, and their held messages go back to the queue."""
    persons = list(
        (
            await session.exec(
                select(Person).where(
                    Person.telegram_user_id == user_id, col(Person.unreachable_since).is_not(None)
                )
            )
        ).all()
    )
    if not persons:
        return []
    for p in persons:
        p.unreachable_since = None
        session.add(p)
    ids = [p.id for p in persons]
    await session.exec(
        update(OutboxMessage)
        .where(
            col(OutboxMessage.person_id).in_(ids),
            col(OutboxMessage.state) == HELD,
            col(OutboxMessage.expires_at) > now,
        )
        .values(state=QUEUED, chat_id=user_id)
    )
    return sorted({p.programme_id for p in persons})


async def expired(session: AsyncSession, *, now: datetime) -> list[OutboxMessage]:
    """Messages whose period ended before they could be sent, not yet reported."""
    rows = await session.exec(
        select(OutboxMessage).where(
            col(OutboxMessage.state).in_((QUEUED, HELD)),
            col(OutboxMessage.expires_at) <= now,
            and_(col(OutboxMessage.reported).is_(False)),
        )
    )
    return list(rows.all())


async def of_period(
    session: AsyncSession, *, programme_id: int, beats: Sequence[str], period: str
) -> list[OutboxMessage]:
    """Every message of some beats of a period."""
    rows = await session.exec(
        select(OutboxMessage).where(
            OutboxMessage.programme_id == programme_id,
            col(OutboxMessage.beat).in_(beats),
            OutboxMessage.period == period,
        )
    )
    return list(rows.all())


async def forget(session: AsyncSession, *, programme_id: int, beat: str, period: str) -> None:
    """Drop a period's messages of one beat, so a forced beat plans them afresh."""
    await session.exec(
        delete(OutboxMessage).where(
            col(OutboxMessage.programme_id) == programme_id,
            col(OutboxMessage.beat) == beat,
            col(OutboxMessage.period) == period,
        )
    )


async def counts(
    session: AsyncSession, *, programme_id: int, now: datetime, failed_since: datetime
) -> tuple[int, int, int]:
    """(queued, held, failed) of a programme: waiting to go, held for people who cannot be
    reached, and given up since then (beat messages only, not the notices about them)."""
    rows = await session.exec(
        select(OutboxMessage.state, OutboxMessage.expires_at, OutboxMessage.created_at).where(
            OutboxMessage.programme_id == programme_id,
            col(OutboxMessage.state).in_((QUEUED, HELD, FAILED)),
            OutboxMessage.beat != "giveup",
        )
    )
    found = [(state, _utc(expires), _utc(created)) for state, expires, created in rows.all()]
    return (
        sum(1 for state, expires, _ in found if state == QUEUED and expires > now),
        sum(1 for state, expires, _ in found if state == HELD and expires > now),
        sum(
            1
            for state, expires, created in found
            if (state == FAILED or expires <= now) and created >= failed_since
        ),
    )


def _utc(moment: datetime) -> datetime:
    """SQLite hands stored moments back without their zone (they are UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
