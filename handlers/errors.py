"""The error handler: log it, tell the user something went wrong, keep running."""

from __future__ import annotations

import logging

from telegram import Update
from telegram.error import Conflict

from bot.context import CadenceContext

log = logging.getLogger("cadence")


async def _stop_polling(context: CadenceContext) -> None:
    """Another instance polls with our token: say so once, stop polling, and stop the process."""
    app = context.application
    if context.svc.extra.get("conflict"):
        return
    context.svc.extra["conflict"] = True
    log.error(
        "409 Conflict: another instance is polling with this token; stopping this one. "
        "Run one polling instance per token, or use webhook mode for several replicas."
    )
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if context.svc.extra.get("run_polling"):
        app.stop_running()


async def on_error(update: object, context: CadenceContext) -> None:
    """Log the failure and apologise to the user, without details."""
    if isinstance(context.error, Conflict):
        await _stop_polling(context)
        return
    log.error("update failed", exc_info=context.error)
    if isinstance(update, Update) and update.effective_message is not None:
        try:
            await update.effective_message.reply_text(
                context.t._("Something went wrong. Nothing was saved; please try again.")
            )
        except Exception:  # the apology itself must never raise
            log.exception("could not report the error to the user")
