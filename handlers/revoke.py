"""/revoke NAME: unbind a bound person (told, history kept), or revoke an unbound one's links."""

from __future__ import annotations

from telegram import Update

from bot.context import CadenceContext
from core.domain.model import Role
from core.i18n import tr
from handlers.gate import Where, gate
from handlers.handover import pick
from handlers.people_admin import last_coordinator
from storage import handover, people, roles
from storage import invites as invite_links
from usecases import notices


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def revoke(update: Update, context: CadenceContext) -> None:
    """/revoke NAME: unbind a bound person (told, history kept), or revoke an unbound one's links."""
    assert update.effective_message is not None and context.programme is not None
    t, s, name = context.t, context.session, " ".join(context.args or []).strip()
    found, _ = pick(name, await people.people(s, programme_id=context.programme_id))
    if not name or len(found) != 1 or found[0].id is None:
        await update.effective_message.reply_text(
            t._("Usage: /revoke NAME, with the person's name as in the ledger.")
        )
        return
    person, person_id, now = found[0], found[0].id, context.svc.clock.now()
    message = update.effective_message
    if person.telegram_user_id is None:
        count = await invite_links.revoke(
            s, programme_id=context.programme_id, person_id=person_id, now=now
        )
        said = t.n_(
            "{n} invite link of {name} revoked.",
            "{n} invite links of {name} revoked.",
            count,
            name=person.name,
        )
        context.reply(lambda: message.reply_text(said))  # "revoked" once it is
        return
    others = [
        p
        for p in await roles.bound_coordinators(s, programme_id=context.programme_id)
        if p.id != person.id
    ]
    held = (await people.roles_by_person(s, programme_id=context.programme_id)).get(
        person_id or 0, set()
    )
    if Role.COORDINATOR in held and not others:
        await update.effective_message.reply_text(last_coordinator(t, person.name))
        return
    old_user = await handover.unbind(s, person=person, actor=context.actor, now=now)
    assert old_user is not None
    said = t._(
        "{name} is no longer bound to their Telegram account, and was told; their history is "
        "kept. If someone takes over, use /handover {name}.",
        name=person.name,
    )
    context.reply(lambda: message.reply_text(said))  # "no longer bound" once it is
    locale = (await people.locales_of(context.session, user_ids=[old_user])).get(old_user)
    tt = tr(locale or context.programme.locale)
    notices.tell(
        context.session, programme_id=context.programme_id, about=f"revoke:{person.id}",
        chat_id=old_user, now=context.svc.clock.now(), locale=tt.locale,
        text=tt._(
            "The task force ended your access to programme {programme} as {name}. What you "
            "reported stays in the ledger's history.",
            programme=context.programme.name,
            name=person.name,
        ),
    )  # fmt: skip
