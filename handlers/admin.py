"""Admins and coordinators: /newprogramme and /setup."""

from __future__ import annotations

from telegram import Update, User

from bot.context import CadenceContext
from core.domain.founding import MAX_NAME
from core.domain.model import Role
from core.domain.public import payload_of
from handlers.gate import Where, gate
from handlers.invites_out import invite_link
from handlers.next_steps import next_steps
from storage import programmes
from storage.models import Person, Programme
from storage.programmes import ChatKind
from usecases.programmes import found
from usecases.public import link_key

TASKFORCE_WORDS = ("taskforce", "专班")


@gate(where=Where.PRIVATE, needs_programme=False)
async def new_programme(update: Update, context: CadenceContext) -> None:
    """Create a programme; the admin becomes its first coordinator."""
    message, user = update.effective_message, update.effective_user
    assert message is not None and user is not None
    t = context.t
    if not context.is_admin:
        await message.reply_text(t._("Sorry, only admins can create programmes."))
        return
    name = " ".join(context.args or []).strip()
    if not name or len(name) > MAX_NAME:
        await message.reply_text(
            t._("Usage: /newprogramme NAME (at most {n} characters)", n=MAX_NAME)
        )
        return
    if await programmes.by_name(context.session, name=name) is not None:
        await message.reply_text(t._("A programme named {name} already exists.", name=name))
        return
    await founded(context, user, name)
    await message.reply_text(
        t._(
            "Programme {name} created, and you are its coordinator. Next: send me the ledger file, then /setup {name} in the leadership group.",
            name=name,
        )
    )


async def founded(context: CadenceContext, user: User, name: str) -> tuple[Programme, Person]:
    """Create a programme whose first coordinator is the caller; its beats are planned once it commits."""
    settings = context.svc.settings
    programme, me = await found(
        context.session,
        name=name,
        user_id=user.id,
        display_name=user.full_name,
        actor=context.actor,
        now=context.svc.clock.now(),
        timezone=settings.cadence_timezone,
        locale=settings.cadence_locale,
    )
    assert programme.id is not None
    context.replan_after_commit(programme.id)
    return programme, me


async def _public_link(context: CadenceContext, programme: Programme) -> str:
    """The programme's public link (群众监督), to publish."""
    assert programme.id is not None
    key = await link_key(context.session, programme_id=programme.id, now=context.svc.clock.now())
    link = invite_link(context.bot.username, payload_of(key))
    return context.t._(
        "Public supervision link (publish it: anyone can send the task force a comment with "
        "it, and their name stays hidden unless they agree): {link}",
        link=link,
    )


def split_setup(words: list[str]) -> tuple[str, bool]:
    """(programme name, task-force chat?): the keyword counts only as the last word after a name."""
    if len(words) >= 2 and words[-1].lower() in TASKFORCE_WORDS:
        return " ".join(words[:-1]), True
    return " ".join(words), False


@gate(where=Where.GROUP, needs_programme=False)
async def setup(update: Update, context: CadenceContext) -> None:
    """Attach this group to a programme as its leadership or task-force chat."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None and context.who is not None
    t = context.t
    words = [w for w in context.args or [] if w.strip()]
    name, taskforce = split_setup(words)
    found = await programmes.by_name(context.session, name=name) if name else None
    if found is None and taskforce:  # a programme may itself be named "... 专班"
        name, taskforce = " ".join(words), False
        found = await programmes.by_name(context.session, name=name)
    kind = ChatKind.TASKFORCE if taskforce else ChatKind.LEADERSHIP
    member = context.who.membership(found.id) if found else None
    allowed = found is not None and (
        context.is_admin or (member is not None and Role.COORDINATOR in member.roles)
    )
    if not name:
        await message.reply_text(t._("Usage: /setup NAME [taskforce]"))
        return
    if found is None or not allowed:
        await message.reply_text(t._("Sorry, I can't help you with that."))
        return
    other = await programmes.for_chat(context.session, chat_id=chat.id)
    if other is not None and other.id != found.id:
        await message.reply_text(
            t._(
                "This group already belongs to another programme. Use a separate group for each programme."
            )
        )
        return
    await programmes.attach_chat(
        context.session,
        programme=found,
        chat_id=chat.id,
        kind=kind,
        actor=context.actor,
        now=context.svc.clock.now(),
    )
    assert found.id is not None
    context.replan_after_commit(found.id)
    if kind is ChatKind.LEADERSHIP:
        text = t._(
            "This group is now the leadership group of {name}. Reports and /summary will appear here.",
            name=name,
        )
    else:
        text = t._(
            "This group is now the task-force chat of {name}. Reviews will appear here.", name=name
        )
    after = await next_steps(context, found)
    said = f"{text}\n\n{after}" if after else text
    if kind is ChatKind.TASKFORCE:  # the task force publishes it: anyone can write to it
        said = f"{said}\n\n{await _public_link(context, found)}"
    # "is now" once it is: a beat run right after the reply must find the group attached
    context.reply(lambda: message.reply_text(said))
