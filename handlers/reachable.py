"""Unreachable means unreachable now: a person who writes again gets their held messages."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.constants import ChatType

from bot.context import CadenceContext
from jobs.outbox import sender_of
from storage import outbox

log = logging.getLogger(__name__)


async def seen(update: Update, context: CadenceContext) -> None:
    """Any private update clears the person's unreachable mark and sends what was held for them."""
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None or chat.type != ChatType.PRIVATE:
        return
    svc = context.svc
    async with svc.database.session() as s:
        programmes = await outbox.unhold(s, user_id=user.id, now=svc.clock.now())
    if not programmes:
        return
    log.info("user %s is reachable again (programmes %s)", user.id, programmes)
    sender = sender_of(svc)
    for pid in programmes:
        context.application.create_task(sender.deliver(context.bot, programme_id=pid))
