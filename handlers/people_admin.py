"""/people and /revoke: who is bound, roles granted and removed by hand, fresh links, unbinding."""

from __future__ import annotations

import logging

from telegram import Message, Update

from bot.context import CadenceContext
from core.domain.model import Role
from core.domain.roles import RoleChange
from core.i18n import Tr, tr
from core.render import labels
from core.render.callback_codec import Button
from core.render.callbacks_people import PeoplePage, PersonCard, Reissue, RoleSwitch
from core.render.people import Someone, card_keyboard, card_text, people_keyboard, people_text
from handlers import people_listing
from handlers.answer_draft import expired
from handlers.gate import Where, gate
from handlers.invites_out import invite_link
from handlers.keys import markup
from handlers.people_listing import refresh_listing, today
from handlers.presses import ButtonHandler
from handlers.send import answer_query, reply_long
from storage import invites as invite_links
from storage import lookup, people, roles
from storage.models import Person
from usecases import notices

log = logging.getLogger(__name__)


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def people_list(update: Update, context: CadenceContext) -> None:
    """Who is bound, who is not yet, whose link lies unopened; buttons to act on each."""
    assert update.effective_message is not None
    everyone = await people_listing.everyone(context)
    days = context.svc.settings.cadence_invite_reminder_days
    text = people_text(context.t, everyone, today(context), days)
    await reply_long(update.effective_message, text, people_keyboard(context.t, everyone))


async def _person_of(update: Update, context: CadenceContext) -> int | None:
    """The programme of the person a /people button names."""
    person_id = getattr(context.button, "person_id", None)
    if not isinstance(person_id, int):
        return None
    return await lookup.programme_of_person(context.session, person_id=person_id)


async def _pressed(
    update: Update, context: CadenceContext, kind: type[Button]
) -> tuple[Button, Person | None] | None:
    """The pressed button of this kind and the person it names, in the caller's programme."""
    query = update.callback_query
    assert query is not None
    button = context.pressed(kind)
    if button is None or context.programme is None:
        await answer_query(query, expired(context.t), alert=True)
        return None
    person_id = getattr(button, "person_id", None)
    if person_id is None:
        return button, None
    found = await people.person(
        context.session, programme_id=context.programme_id, person_id=person_id
    )
    if found is None:
        await answer_query(query, expired(context.t), alert=True)
        return None
    return button, found


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def people_page(update: Update, context: CadenceContext) -> None:
    """Another page of the people buttons, in place."""
    pressed = await _pressed(update, context, PeoplePage)
    query = update.callback_query
    if pressed is None or query is None or not isinstance(pressed[0], PeoplePage):
        return
    await query.answer()
    everyone = await people_listing.everyone(context)
    await query.edit_message_reply_markup(
        markup(people_keyboard(context.t, everyone, pressed[0].page))
    )


async def _someone(context: CadenceContext, person: Person) -> Someone:
    held = await people.roles_by_person(context.session, programme_id=context.programme_id)
    return Someone(
        person.id or 0, person.name, frozenset(held.get(person.id or 0, set())), bound=True
    )


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_person_of)
async def person_card(update: Update, context: CadenceContext) -> None:
    """A bound person's roles, with a button to grant or remove each."""
    pressed = await _pressed(update, context, PersonCard)
    query = update.callback_query
    if pressed is None or query is None or pressed[1] is None:
        return
    person = pressed[1]
    if person.telegram_user_id is None:
        await answer_query(query, _not_bound(context.t, person.name), alert=True)
        return
    await query.answer()
    shown = await _someone(context, person)
    assert isinstance(query.message, Message)
    # a reply to the listing: a role changed on the card then refreshes the listing too
    await query.message.reply_text(
        card_text(context.t, shown),
        reply_markup=markup(card_keyboard(context.t, shown)),
        do_quote=True,
    )


def _not_bound(t: Tr, name: str) -> str:
    return t._("{name} is not bound yet: roles change once they have opened their link.", name=name)


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_person_of)
async def role_switch(update: Update, context: CadenceContext) -> None:
    """Grant or remove a coordinator or leader role; the last coordinator stays."""
    pressed = await _pressed(update, context, RoleSwitch)
    query = update.callback_query
    if pressed is None or query is None or pressed[1] is None:
        return
    button, person = pressed[0], pressed[1]
    assert isinstance(button, RoleSwitch) and context.programme is not None
    t, role, on = context.t, Role(button.role), button.switch == "on"
    if person.telegram_user_id is None:
        await answer_query(query, _not_bound(t, person.name), alert=True)
        return
    outcome = await roles.set_role(
        context.session, person=person, role=role, on=on, actor=context.actor,
        now=context.svc.clock.now(),
    )  # fmt: skip
    role_name = t._(labels.ROLE[role])
    if outcome is RoleChange.LAST_COORDINATOR:
        await answer_query(query, last_coordinator(t, person.name), alert=True)
        return
    if outcome is RoleChange.BY_LEDGER:
        await answer_query(
            query,
            t._(
                "The ledger names {name} as responsible leader, so the role follows the ledger: "
                "change the ledger and import it to withdraw it.",
                name=person.name,
            ),
            alert=True,
        )
        return
    if outcome is RoleChange.GRANTED:
        done = t._("{name} now has the {role} role.", name=person.name, role=role_name)
    elif outcome is RoleChange.REMOVED:
        done = t._("{name} no longer has the {role} role.", name=person.name, role=role_name)
    else:
        done = t._("Nothing to change.")
    await query.answer()
    shown = await _someone(context, person)
    await query.edit_message_text(
        card_text(t, shown) + "\n\n" + done, reply_markup=markup(card_keyboard(t, shown))
    )
    if outcome in (RoleChange.GRANTED, RoleChange.REMOVED):
        await _tell(context, person, role, on)
        await refresh_listing(context, query.message)


def last_coordinator(t: Tr, name: str) -> str:
    """Why the last coordinator keeps the role (and stays bound)."""
    return t._(
        "{name} is the programme's only coordinator: make someone else coordinator first.",
        name=name,
    )


async def _tell(context: CadenceContext, person: Person, role: Role, on: bool) -> None:
    """Tell the person of their new or withdrawn role, with the change (delivered once it commits)."""
    assert context.programme is not None and person.telegram_user_id is not None
    user, programme = person.telegram_user_id, context.programme
    locale = (await people.locales_of(context.session, user_ids=[user])).get(user)
    t = tr(locale or programme.locale)
    role_name = t._(labels.ROLE[role])
    text = (
        t._(
            "The task force gave you the {role} role in programme {programme}. "
            "/help lists what you can do now.",
            role=role_name,
            programme=programme.name,
        )
        if on
        else t._(
            "The task force withdrew your {role} role in programme {programme}.",
            role=role_name,
            programme=programme.name,
        )
    )
    notices.tell(
        context.session, programme_id=context.programme_id, about=f"role:{person.id}",
        chat_id=user, text=text, now=context.svc.clock.now(), locale=t.locale,
    )  # fmt: skip


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_person_of)
async def reissue(update: Update, context: CadenceContext) -> None:
    """A fresh link for someone whose link lies unopened; the old one stops working."""
    pressed = await _pressed(update, context, Reissue)
    query = update.callback_query
    if pressed is None or query is None or pressed[1] is None:
        return
    person, t = pressed[1], context.t
    if person.telegram_user_id is not None:
        await answer_query(query, t._("{name} is already bound.", name=person.name), alert=True)
        return
    days = context.svc.settings.cadence_invite_days
    invite = await invite_links.reissue(
        context.session, person=person, actor=context.actor, now=context.svc.clock.now(),
        days=days,
    )  # fmt: skip
    await query.answer()
    assert isinstance(query.message, Message)
    await query.message.reply_text(
        t._(
            "A new invite link for {name} (valid {days} days, works once); the earlier link "
            "no longer works:",
            name=person.name,
            days=days,
        )
        + "\n"
        + invite_link(context.bot.username, invite.token)
    )


BUTTONS = [
    ButtonHandler(people_page, PeoplePage),
    ButtonHandler(person_card, PersonCard),
    ButtonHandler(role_switch, RoleSwitch),
    ButtonHandler(reissue, Reissue),
]
