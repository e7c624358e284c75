"""Unreachable means unreachable now: a person who writes again gets their held messages."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType

from bot.context import CadenceContext, Services
from storage import outbox

log = logging.getLogger(__name__)


async def seen(update: Update, context: CadenceContext) -> None:
    """Any private update clears the person's unreachable mark and sends what was held for them.

    Runs after the handlers: a gated update already did it in its own transaction (the gate
    reads the mark with the caller's identity), so only ungated ones pay a query here.
    """
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE or context.reached:
        return
    svc = context.svc
    async with svc.database.session() as s:
        programmes = await outbox.unhold(s, user_id=user.id, now=svc.clock.now())
    if programmes:
        await deliver(svc, user.id, programmes)


async def deliver(svc: Services, user_id: int, programmes: list[int]) -> None:
    """Send what was held for a person who can be reached again."""
    log.info("user %s is reachable again (programmes %s)", user_id, programmes)
    svc.courier.deliver_held(programmes)
