"""/handover NAME: a liaison moves on; a new single-use link binds their successor."""

from __future__ import annotations

from telegram import Update

from bot.context import CadenceContext
from core.domain.model import Role
from core.i18n import Tr, tr
from handlers.gate import Where, gate
from handlers.invites_out import invite_link
from storage import handover, people
from storage.models import Person
from usecases import notices


def pick(name: str, everyone: list[Person]) -> tuple[list[Person], bool]:
    """Who a typed name means: the ledger name, a unique prefix of it, or a Telegram name
    (then True: say which ledger person that is)."""
    exact = [p for p in everyone if p.name == name]
    if exact:
        return exact, False
    prefixed = [p for p in everyone if p.name.startswith(name)]
    if prefixed:
        return prefixed, False
    return [p for p in everyone if p.telegram_name and p.telegram_name == name], True


def _tell_old(t: Tr, name: str, programme: str) -> str:
    """What the previous account reads."""
    return t._(
        "You no longer act as {name} in {programme}: the task force handed this role over. "
        "Thank you for your work.",
        name=name,
        programme=programme,
    )


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def handover_command(update: Update, context: CadenceContext) -> None:
    """Unbind a ledger person and give a fresh link for their successor."""
    message = update.effective_message
    assert message is not None and context.programme is not None
    t, s, name = context.t, context.session, " ".join(context.args or []).strip()
    found, by_telegram = pick(name, await people.people(s, programme_id=context.programme_id))
    if not name or not found:
        await message.reply_text(
            t._("Usage: /handover NAME, with the person's name as in the ledger (or its start).")
        )
        return
    if len(found) > 1:
        names = t.join(p.name for p in found[:10])
        await message.reply_text(
            t._(
                "{name} fits several people: {names}. Please write more of the name.",
                name=name,
                names=names,
            )
        )
        return
    person = found[0]
    now, days = context.svc.clock.now(), context.svc.settings.cadence_invite_days
    old_user, invite = await handover.hand_over(
        s, person=person, actor=context.actor, now=now, days=days
    )
    lines = []
    if by_telegram:
        lines.append(t._("{telegram} is {name} in the ledger.", telegram=name, name=person.name))
    lines.append(
        t._(
            "Hand-over of {name}: send this link to the successor (valid {days} days, works once):",
            name=person.name,
            days=days,
        )
    )
    lines.append(invite_link(context.bot.username, invite.token))
    if old_user is not None:
        lines.append(t._("The previous account was unbound and told."))
        locale = (await people.locales_of(s, user_ids=[old_user])).get(old_user)
        told = tr(locale or context.programme.locale)
        notices.tell(
            s, programme_id=context.programme_id, about=f"handover:{person.id}",
            chat_id=old_user, now=context.svc.clock.now(), locale=told.locale,
            text=_tell_old(told, person.name, context.programme.name),
        )  # fmt: skip
    said = "\n".join(lines)
    context.reply(lambda: message.reply_text(said))  # "handed over" once it is
