"""Several replicas behind one webhook: each update first reads its conversations afresh."""

from __future__ import annotations

from typing import Any

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import CadenceContext
from storage.persistence import DbPersistence


async def refresh(update: Update, context: CadenceContext) -> None:
    """Load this update's conversation states: the previous step may have gone to another replica."""
    persistence = context.application.persistence
    if not isinstance(persistence, DbPersistence) or not persistence.shared:
        return
    for group in context.application.handlers.values():
        for handler in group:
            if isinstance(handler, ConversationHandler) and handler.persistent:
                await _refresh_one(handler, update, persistence)


async def _refresh_one(
    handler: ConversationHandler[Any], update: Update, persistence: DbPersistence
) -> None:
    try:
        key = handler._get_key(update)  # PTB builds the key; ours must match
    except RuntimeError:  # an update without the chat or user this handler keys on
        return
    assert handler.name is not None
    state = await persistence.conversation(handler.name, key)
    # written without tracking: nothing changed here that PTB should write back
    conversations = handler._conversations  # PTB keeps no public setter
    if state is None:
        getattr(conversations, "data", conversations).pop(key, None)
    elif hasattr(conversations, "update_no_track"):
        conversations.update_no_track({key: state})
    else:
        conversations[key] = state
