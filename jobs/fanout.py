"""A dispatch's fan-out planned in batches while it is sent: the first message leaves at once.

The claim's transaction writes every item, the co-units' and leaders' messages and the first
owners' messages, and notes the owners left on the claim; each later batch is its own
transaction, which plans some of them and notes the rest. A stop or a crash between batches
leaves the claim saying who is left: the next start (or the reconciliation) plans them.
"""

from __future__ import annotations

import asyncio
import logging

from sqlalchemy.exc import IntegrityError
from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot

from bot.context import Services
from core.domain.model import Beat
from jobs.outbox import Delivery, sender_of
from jobs.outbox_feed import Feed
from storage import beats
from storage.models import SentBeat
from storage.outbox_plan import left_of, note_left
from usecases import dispatch

log = logging.getLogger(__name__)
_ACTIVE: set[tuple[int, int, str]] = set()  # (services, programme, period) being planned here
FIRST = 20  # owners planned with the claim: the first second of sending, out at once
BATCH = 100  # owners per later transaction: a short pause for the sender and for people's updates


async def plan_first(session: AsyncSession, *, record: SentBeat, planned: dispatch.Planned) -> None:
    """In the claim's transaction, after `dispatch(first=FIRST)`: note the owners left."""
    left = planned.fanout.left if planned.fanout else []
    note_left(record, owner_ids=left)
    session.add(record)


def planning(svc: Services, programme_id: int, period: str) -> bool:
    """Whether this process is planning that dispatch's fan-out right now."""
    return (id(svc), programme_id, period) in _ACTIVE


async def fan_out(bot: Bot, svc: Services, fanout: dispatch.Fanout, *, budget: float) -> Delivery:
    """Plan the owners left batch by batch while the sender delivers each as it is committed."""
    feed = Feed()
    pid = fanout.programme.id or 0
    sending = asyncio.ensure_future(
        sender_of(svc).deliver(bot, programme_id=pid, budget=budget, feed=feed)
    )
    active = (id(svc), pid, fanout.period)
    _ACTIVE.add(active)  # the reconciliation leaves it to this run
    failed: Exception | None = None
    try:
        await _plan_left(svc, fanout, feed)
    except Exception as exc:  # raised again once the sender is done
        failed = exc
    finally:
        _ACTIVE.discard(active)
        feed.close()  # the sender finishes what is planned; a stop leaves the rest to the resume
    # awaited even when planning failed: a sender left running on its own would race the next
    # start's for the same rows once their leases ran out (an owner dispatched twice)
    delivery = await sending
    if failed is not None:
        raise failed
    return delivery


async def _plan_left(svc: Services, fanout: dispatch.Fanout, feed: Feed) -> None:
    while fanout.left:
        await asyncio.sleep(0)  # the sender's requests and people's updates go between batches
        try:
            async with svc.database.session() as s:
                await plan_batch(s, fanout)
        except IntegrityError:  # another process planned them first: read what it left
            log.info("a batch of dispatch %s was planned elsewhere", fanout.period)
            async with svc.database.session() as s:
                fanout.left = await _left(s, fanout)
        feed.committed()


async def _left(session: AsyncSession, fanout: dispatch.Fanout) -> list[int]:
    record = await beats.find(
        session, programme_id=fanout.programme.id or 0, beat=Beat.DISPATCH, period=fanout.period
    )
    return left_of(record) if record is not None else []


async def plan_batch(session: AsyncSession, fanout: dispatch.Fanout) -> None:
    """Plan the next owners' messages and note who is left on the claim, in one transaction."""
    record = await beats.find(
        session, programme_id=fanout.programme.id or 0, beat=Beat.DISPATCH, period=fanout.period
    )
    if record is None:  # the claim is gone (a test's clean-up): nothing more to plan
        fanout.left = []
        return
    left = left_of(record)
    await dispatch.plan_owners(session, fanout, left[:BATCH])
    note_left(record, owner_ids=left[BATCH:])
    session.add(record)
    fanout.left = left[BATCH:]
