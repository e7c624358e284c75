"""The error handler: log it, apologise truthfully in the user's language, tell the operators."""

from __future__ import annotations

import html
import logging
import traceback
from datetime import datetime, timedelta

from telegram import CallbackQuery, Update
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Conflict

from bot.context import CadenceContext, Services
from core import logs
from core.i18n import Tr, tr
from handlers.gate import supported
from storage import programmes
from storage.db import reason, unreachable, where
from storage.models_people import UserPref

log = logging.getLogger("cadence")
DB_REPORT_EVERY = timedelta(minutes=1)  # a dead database fails every update: say so once a minute
MAX_TEXT = 4096
MAX_PART = 500  # one exception message in a forwarded traceback; the frames matter more


async def _stop_polling(context: CadenceContext) -> None:
    """Another instance polls with our token: say so once, stop polling, and stop the process."""
    app = context.application
    if context.svc.conflict:
        return
    context.svc.conflict = True
    log.error(
        "409 Conflict: another instance is polling with this token; stopping this one. "
        "Run one polling instance per token, or use webhook mode for several replicas."
    )
    if app.updater is not None and app.updater.running:
        await app.updater.stop()
    if context.svc.run_polling:
        app.stop_running()


async def on_error(update: object, context: CadenceContext) -> None:
    """Log the failure, apologise to the user without details, forward it to the error chat."""
    if isinstance(context.error, Conflict):
        await _stop_polling(context)
        return
    error, svc = context.error, context.svc
    db_lost = error is not None and unreachable(error)
    if db_lost and error is not None:
        if _due(svc, svc.clock.now()):
            line = f"database unreachable ({where(svc.database.url)}): {reason(error)}"
            log.error("%s; retrying on every update, next report in a minute", line)
            await _forward(context, line)
    else:
        job = context.job
        log.error("update failed" if job is None else f"job {job.name} failed", exc_info=error)
        await _forward(context, _traceback(error))
    if isinstance(update, Update) and _first_failure(context.svc, update.update_id):
        # a later handler group of the same update (its persistence, say) fails too when the
        # database is down: one apology per update
        await _apologise(update, context, look_up=not db_lost)


def _first_failure(svc: Services, update_id: int) -> bool:
    """Whether this is the update's first failure (the last few hundred ids are remembered)."""
    seen = svc.apologised
    if update_id in seen:
        return False
    seen.append(update_id)
    return True


def _due(svc: Services, now: datetime) -> bool:
    """Whether the database outage should be reported now (and remember that it was)."""
    last = svc.last_db_report
    if last is not None and now - last < DB_REPORT_EVERY:
        return False
    svc.last_db_report = now
    return True


def _traceback(error: BaseException | None) -> str:
    """The traceback, each exception's message cut so a long one cannot push the frames out."""
    if error is None:
        return "?"
    parts = traceback.TracebackException.from_exception(error).format()
    return "".join(p if len(p) <= MAX_PART else f"{p[:MAX_PART]}… [cut]\n" for p in parts)


async def _forward(context: CadenceContext, detail: str) -> None:
    """Send the failure, token redacted, to CADENCE_ERROR_CHAT_ID when one is set."""
    settings = context.svc.settings
    if settings.cadence_error_chat_id is None:
        return
    token = settings.telegram_bot_token
    detail = logs.redact(detail, logs.secrets_of(token.get_secret_value() if token else None))
    where_ = logs.current()
    head = tr(settings.cadence_locale)._(
        "Unexpected error (programme {programme}, update {update}, user {user}):",
        programme=where_.programme,
        update=where_.update_id,
        user=where_.user_id,
    )
    room = MAX_TEXT - len(head) - len("\n<pre></pre>") - 20
    body = html.escape(detail[-room:] if len(detail) > room else detail)
    while len(body) > room:  # escaping lengthens it; keep the end, where the error is
        body = body[len(body) - room :]
    block = f"<pre>{body}</pre>"  # markup, not words: the heading above is translated
    try:
        await context.bot.send_message(
            settings.cadence_error_chat_id, f"{head}\n{block}", parse_mode=ParseMode.HTML
        )
    except Exception:  # reporting must never raise
        log.exception("could not forward the error to the error chat")


async def _language(update: Update, context: CadenceContext, *, look_up: bool) -> Tr:
    """The user's language as the gate would pick it, without trusting the database to answer."""
    user, chat = update.effective_user, update.effective_chat
    chosen: str | None = None
    fallback: str | None = None
    if look_up and chat is not None:
        try:
            async with context.svc.database.session() as s:
                if chat.type == ChatType.PRIVATE and user is not None:
                    pref = await s.get(UserPref, user.id)
                    chosen = (pref.locale or pref.tg_locale) if pref else None
                else:
                    programme = await programmes.for_chat(s, chat_id=chat.id)
                    fallback = programme.locale if programme else None
        except Exception:  # the database may be why we are here
            log.warning("no language preference for the apology", exc_info=True)
    private = chat is not None and chat.type == ChatType.PRIVATE
    telegram = supported(user.language_code) if user is not None and private else None
    return tr(chosen or telegram or fallback or context.svc.settings.cadence_locale)


async def _apologise(update: Update, context: CadenceContext, *, look_up: bool) -> None:
    """Say the update failed and to try again; nothing about what was or was not saved."""
    if update.effective_message is None and update.callback_query is None:
        return
    t = await _language(update, context, look_up=look_up)
    text = t._("Sorry, something went wrong while handling that. Please try again.")
    try:
        if update.callback_query is not None and await _alerted(update.callback_query, text):
            return
        if update.effective_message is not None:
            await update.effective_message.reply_text(text)
    except Exception:  # the apology itself must never raise
        log.exception("could not report the error to the user")


async def _alerted(query: CallbackQuery, text: str) -> bool:
    """Whether the press could be answered with the text; a press answered before the failure
    (an import says at once that it started) cannot, so the chat is told instead."""
    try:
        await query.answer(text, show_alert=True)
    except BadRequest:
        return False
    return True
