"""The error handler: log it, tell the user something went wrong, keep running."""

from __future__ import annotations

import logging

from telegram import Update

from bot.context import CadenceContext

log = logging.getLogger("cadence")


async def on_error(update: object, context: CadenceContext) -> None:
    """Log the failure and apologise to the user, without details."""
    log.error("update failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(
                context.t._("Something went wrong. Nothing was saved; please try again.")
            )
        except Exception:  # the apology itself must never raise
            log.exception("could not report the error to the user")
