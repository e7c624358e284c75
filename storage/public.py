"""群众监督: programmes' public link keys, the items sent, and their handling."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.public import PublicTally
from storage import audit
from storage.models import Area, Measure, Programme
from storage.models_public import PublicItem, PublicLink

ENTITY = "public_item"


async def link_key(session: AsyncSession, *, programme_id: int) -> str | None:
    """The key of the programme's public link, if it has one yet."""
    row = (
        await session.exec(select(PublicLink).where(PublicLink.programme_id == programme_id))
    ).first()
    return row.key if row else None


def add_link(session: AsyncSession, *, programme_id: int, key: str, now: datetime) -> None:
    """Store the programme's public link key."""
    session.add(PublicLink(programme_id=programme_id, key=key, created_at=now))


async def by_key(session: AsyncSession, *, key: str) -> Programme | None:
    """The programme whose public link has this key."""
    query = select(Programme).join(PublicLink, col(PublicLink.programme_id) == Programme.id)
    return (await session.exec(query.where(PublicLink.key == key))).first()


async def only_programme(session: AsyncSession) -> Programme | None:
    """The deployment's programme when it has exactly one."""
    found = (await session.exec(select(Programme).limit(2))).all()
    return found[0] if len(found) == 1 else None


async def sent_since(session: AsyncSession, *, user_id: int, since: datetime) -> int:
    """How many items this Telegram user sent since a moment, in any programme."""
    query = select(func.count()).where(
        PublicItem.sender_user_id == user_id, col(PublicItem.received_at) >= since
    )
    return int((await session.exec(query)).one())


async def add_item(
    session: AsyncSession,
    *,
    programme_id: int,
    sender_user_id: int,
    sender_name: str | None,
    locale: str,
    text: str,
    photos: list[str],
    measure_id: int | None,
    area_id: int | None,
    now: datetime,
) -> PublicItem:
    """Store an item under the programme's next number, with its audit event (no sender named)."""
    last = (
        await session.exec(
            select(func.max(PublicItem.number)).where(PublicItem.programme_id == programme_id)
        )
    ).one()
    item = PublicItem(
        programme_id=programme_id,
        number=int(last or 0) + 1,
        sender_user_id=sender_user_id,
        sender_name=sender_name,
        locale=locale,
        text=text,
        photos="\n".join(photos),
        measure_id=measure_id,
        area_id=area_id,
        received_at=now,
    )
    session.add(item)
    await session.flush()
    audit.record(
        session, programme_id=programme_id, actor="public", action="public.receive",
        entity=ENTITY, entity_id=item.id, now=now,
        after={"number": item.number, "measure_id": measure_id, "area_id": area_id,
               "photos": len(photos), "named": sender_name is not None},
    )  # fmt: skip
    return item


async def item(session: AsyncSession, *, item_id: int) -> PublicItem | None:
    """One item by id."""
    return await session.get(PublicItem, item_id)


def mark(
    session: AsyncSession,
    *,
    item: PublicItem,
    step: str,
    actor: str,
    person_id: int,
    now: datetime,
    answer: str | None = None,
) -> None:
    """Record a step of the task force (accept, forward, answer) on an item, with its audit event."""
    after: dict[str, object] = {"number": item.number, "by": person_id}
    if step == "accept":
        item.accepted_at, item.accepted_by = now, person_id
    elif step == "forward":
        item.forwarded_at, item.forwarded_to = now, person_id
    else:
        item.answered_at, item.answered_by, item.answer = now, person_id, answer
        after["answer"] = answer
    session.add(item)
    audit.record(
        session, programme_id=item.programme_id, actor=actor, action=f"public.{step}",
        entity=ENTITY, entity_id=item.id, now=now, after=after,
    )  # fmt: skip


async def about(session: AsyncSession, *, item: PublicItem) -> tuple[Measure | None, Area | None]:
    """The measure and the area an item names, if any."""
    measure = await session.get(Measure, item.measure_id) if item.measure_id else None
    area = await session.get(Area, item.area_id) if item.area_id else None
    return measure, area


async def unanswered(session: AsyncSession, *, programme_id: int) -> list[tuple[int, datetime]]:
    """(number, received at) of the programme's items not answered yet, oldest first."""
    rows = await session.exec(
        select(col(PublicItem.number), col(PublicItem.received_at))
        .where(PublicItem.programme_id == programme_id, col(PublicItem.answered_at).is_(None))
        .order_by(col(PublicItem.number))
    )
    return list(rows.all())


async def tally(
    session: AsyncSession, *, programme_id: int, start: datetime, end: datetime
) -> PublicTally:
    """Items received in [start, end), those of them answered before end, and all open at end."""
    items = (
        await session.exec(
            select(col(PublicItem.received_at), col(PublicItem.answered_at)).where(
                PublicItem.programme_id == programme_id, col(PublicItem.received_at) < end
            )
        )
    ).all()
    received = [a for r, a in items if r >= start]
    return PublicTally(
        received=len(received),
        answered=sum(1 for a in received if a is not None and a < end),
        open=sum(1 for _, a in items if a is None or a >= end),
    )


async def areas(session: AsyncSession, *, programme_id: int) -> list[Area]:
    """The programme's areas in ledger order."""
    rows = await session.exec(
        select(Area).where(Area.programme_id == programme_id).order_by(col(Area.number))
    )
    return list(rows.all())
