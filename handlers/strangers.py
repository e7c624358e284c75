"""What the gate tells someone it does not know: what this bot is, and how one gets in."""

from __future__ import annotations

from datetime import UTC

from telegram import Update
from telegram.constants import ChatType

from bot.context import CadenceContext
from core.clock import today_in
from storage import audit, handover, history, programmes
from storage.models import Person


def stranger(context: CadenceContext) -> str:
    """What the bot is, and that an invite link from the task force binds the account."""
    return context.t._(
        "This is Cadence, the bot a rectification task force uses for its weekly dispatch, "
        "fortnightly review and monthly report. Your Telegram account is not bound to a "
        "programme: open the invite link the task force sent you, and it binds you in one step."
    )


async def refusal(update: Update, context: CadenceContext) -> str | None:
    """The longer answer for a stranger writing in private (None: keep the short refusal)."""
    chat, user = update.effective_chat, update.effective_user
    if update.callback_query is not None or chat is None or chat.type != ChatType.PRIVATE:
        return None
    assert user is not None
    s, t = context.session, context.t
    event = await handover.last_let_go(s, user_id=user.id)
    programme = await programmes.by_id(s, programme_id=event.programme_id) if event else None
    if event is None or programme is None:
        return stranger(context)
    names = await history.actor_names(s, programme_id=programme.id or 0)
    before = audit.load(event.before) or {}
    gone = await s.get(Person, event.entity_id or 0)
    at = event.at if event.at.tzinfo else event.at.replace(tzinfo=UTC)  # SQLite: naive UTC
    fields = {
        "date": t.when(
            today_in(at, programme.timezone),
            today_in(context.svc.clock.now(), programme.timezone),
        ),
        "by": names.get(event.actor) or t._("the task force"),
        "programme": programme.name,
        "name": gone.name if gone is not None else before.get("telegram_name") or "",
    }
    if event.action == "person.handover":
        return t._(
            "Since {date}, your place in programme {programme} as {name} has been with your "
            "successor: {by} handed it over. What you reported stays in the ledger's history. "
            "If you should still take part, ask the task force for a new invite link.",
            **fields,
        )
    return t._(
        "Since {date}, your account is no longer bound to programme {programme} as {name}: "
        "{by} ended it. What you reported stays in the ledger's history. If you should still "
        "take part, ask the task force for a new invite link.",
        **fields,
    )
