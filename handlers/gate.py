"""The one place that decides who may do what, in which chat."""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Coroutine
from enum import StrEnum
from typing import Any, TypeVar

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Update
from telegram.constants import ChatType

from bot.context import CadenceContext
from core import logs
from core.domain.model import Role
from core.i18n import tr
from core.languages import match
from handlers import reachable, strangers
from handlers.board import menu as board_menu
from handlers.send import answer_query
from storage import outbox, people, programmes
from storage.models import Measure, Programme
from usecases.actor import Actor
from usecases.notices import planned

R = TypeVar("R")
Callback = Callable[[Update, CadenceContext], Coroutine[Any, Any, R]]
# which programme an update is about when it says so itself (a measure's button, a draft)
ProgrammeOf = Callable[[Update, CadenceContext], Awaitable[int | None]]


class Where(StrEnum):
    """Which chats a command works in."""

    PRIVATE = "private"
    GROUP = "group"
    ANY = "any"


def supported(language_code: str | None) -> str | None:
    """Our locale for a Telegram language_code, or None when we have no such catalog."""
    return match(language_code)


async def _refuse(update: Update, text: str) -> None:
    if update.callback_query is not None:
        await answer_query(update.callback_query, text, alert=True)
    elif update.effective_message is not None:
        await update.effective_message.reply_text(text)


async def _resolve(
    update: Update, context: CadenceContext, programme_of: ProgrammeOf | None = None
) -> bool:
    """Fill context.who / programme / member / t for this update; False when the update names a
    programme that the group it came from does not belong to (a forged or misplaced button)."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None
    s = context.session
    svc = context.svc
    # replicas: another process may have changed who they are a moment ago, so no cache
    cache = None if svc.settings.telegram_webhook_url else svc.database.identities
    who = await people.identity(s, user_id=user.id, cache=cache)  # else one query
    context.who = who
    context.is_admin = user.id in svc.settings.cadence_admins
    programme: Programme | None = None
    named = await programme_of(update, context) if programme_of is not None else None
    here = True
    if named is not None and chat.type != ChatType.PRIVATE:
        # a button answered in a group posts there: the group must be the programme's own
        group = await programmes.for_chat(s, chat_id=chat.id)
        here = group is not None and group.id == named
    if named is not None and (who.membership(named) or context.is_admin):
        # the update names its programme: it wins over /use, once the role there is known
        programme = await _programme(s, who, named)
    elif chat.type != ChatType.PRIVATE:
        programme = await programmes.for_chat(s, chat_id=chat.id)
    elif who.membership(who.current_programme_id) or (
        context.is_admin and who.current_programme_id
    ):
        programme = await _programme(s, who, who.current_programme_id or 0)
    elif len(who.memberships) == 1:
        programme = await _programme(s, who, who.memberships[0].programme_id)
    context.programme = programme
    logs.set_programme(programme.id if programme else None)
    context.member = who.membership(programme.id if programme else None)
    fallback = programme.locale if programme else context.svc.settings.cadence_locale
    if chat.type == ChatType.PRIVATE:
        telegram_locale = supported(user.language_code)
        if telegram_locale and telegram_locale != who.tg_locale and who.memberships:
            # scheduled messages need it later, when no update carries a language_code
            await people.set_pref(s, user_id=user.id, tg_locale=telegram_locale)
        context.t = tr(who.locale or telegram_locale or fallback)
    else:
        context.t = tr(fallback)
    return here


async def _programme(s: AsyncSession, who: people.Identity, programme_id: int) -> Programme | None:
    """A programme the identity query already read, else (an admin's, say) from the database."""
    found = people.attach_programme(s, who, programme_id)
    return found or await programmes.by_id(s, programme_id=programme_id)


async def _reachable_again(update: Update, context: CadenceContext) -> None:
    """A person marked unreachable wrote: their held messages go out once this update commits."""
    user, chat = update.effective_user, update.effective_chat
    assert user is not None and chat is not None and context.who is not None
    if not context.who.unreachable or chat.type != ChatType.PRIVATE:
        return
    svc = context.svc
    held = await outbox.unhold(context.session, user_id=user.id, now=svc.clock.now())
    if held:
        context.after_commit(lambda: reachable.deliver(svc, user.id, held))


def gate(
    *roles: Role,
    where: Where = Where.PRIVATE,
    needs_programme: bool = True,
    group_is_permission: bool = False,
    programme_of: ProgrammeOf | None = None,
    public: bool = False,
) -> Callable[[Callback[R]], Callback[R | None]]:
    """Open the update's session, resolve the caller and refuse whoever may not act.

    `public`: strangers too (the public's channel, 群众监督, which shows nothing of a programme).
    """

    def wrap(callback: Callback[R]) -> Callback[R | None]:
        @functools.wraps(callback)
        async def guarded(update: Update, context: CadenceContext) -> R | None:
            if update.effective_user is None or update.effective_chat is None:
                return None
            with context.svc.working():
                return await _guarded(update, context)

        async def _guarded(update: Update, context: CadenceContext) -> R | None:
            # one unit of work per update: the callback's writes commit together, or not at all
            result: R | None = None
            try:
                async with context.svc.database.session() as session:
                    context.session = session
                    try:
                        here = await _resolve(update, context, programme_of)
                        await _reachable_again(update, context)
                        reason = (
                            _check(
                                update,
                                context,
                                roles,
                                where,
                                needs_programme,
                                group_is_permission,
                                public,
                            )
                            if here
                            else context.t._("This button does not belong to this chat.")
                        )
                        if reason is not None:
                            if _unknown(context, group_is_permission) and not public:
                                reason = await strangers.refusal(update, context) or reason
                            await _refuse(update, reason)
                        else:
                            result = await callback(update, context)
                    finally:
                        context.session = None
            except BaseException:
                # rolled back, in the callback or at the commit: its reply ("saved") and
                # follow-ups must not run, not even after another handler's commit
                context.drop_after_commit()
                raise
            context.reached = True  # committed: reachable.seen has nothing left to do
            if planned(session):  # what it told others leaves now, beside the update loop
                context.svc.courier.deliver_notices()
            bot, svc = context.bot, context.svc  # bound, or a leader now: the board's menu
            context.after_commit(lambda: board_menu.follow(bot, svc, session))
            await context.run_after_commit()
            return result

        return guarded

    return wrap


def _check(
    update: Update,
    context: CadenceContext,
    roles: tuple[Role, ...],
    where: Where,
    needs_programme: bool,
    group_is_permission: bool,
    public: bool = False,
) -> str | None:
    """Why this caller may not act here, or None when they may."""
    t = context.t
    chat = update.effective_chat
    assert chat is not None and context.who is not None
    private = chat.type == ChatType.PRIVATE
    if _unknown(context, group_is_permission) and not public:
        return t._("Sorry, I can't help you with that.")
    if where is Where.PRIVATE and not private:
        return t._("Please use this command in a private chat with me.")
    if where is Where.GROUP and private:
        return t._("Please use this command in the programme's group.")
    if not needs_programme:
        return None
    if context.programme is None:
        return unplaced(context, private)
    if not roles or context.is_admin:
        return None
    if group_is_permission and not private:
        return None
    held = context.member.roles if context.member else frozenset()
    if held.intersection(roles):
        return None
    return t._("Sorry, this is for {roles} only.", roles=role_names(context, roles))


def unplaced(context: CadenceContext, private: bool = True) -> str:
    """Why an update that needs a programme has none: what to send to choose or create one."""
    t = context.t
    assert context.who is not None
    if not private:
        return t._("This group is not attached to a programme yet.")
    if context.who.memberships:
        names = context.t.join(m.programme_name for m in context.who.memberships)
        return t._("Choose a programme first with /use NAME. Yours: {names}", names=names)
    return t._(
        "No programme chosen yet. Create one with /newprogramme NAME or choose one with /use NAME."
    )


def _unknown(context: CadenceContext, group_is_permission: bool) -> bool:
    """The caller holds no place here: no programme of theirs, and not a group that lets anyone in."""
    assert context.who is not None
    known = bool(context.who.memberships) or context.is_admin
    return not known and not (group_is_permission and context.programme is not None)


def role_names(context: CadenceContext, roles: tuple[Role, ...] | frozenset[Role]) -> str:
    """Localized, joined role names."""
    t = context.t
    labels = {
        Role.COORDINATOR: t._("coordinators"),
        Role.LEADER: t._("leaders"),
        Role.OWNER: t._("owners"),
        Role.LIAISON: t._("co-unit liaisons"),
    }
    return t.join(labels[r] for r in roles)


async def measure_programme(update: Update, context: CadenceContext) -> int | None:
    """The programme of the measure a button names (whatever /use chose), for programme_of."""
    measure_id = getattr(context.button, "measure_id", None)
    if not isinstance(measure_id, int):
        return None
    measure = await context.session.get(Measure, measure_id)
    # held for the handler: the session's identity map keeps objects only weakly, and the
    # handler looks the same measure up again
    context.keep(measure)
    return measure.programme_id if measure is not None and measure.removed_at is None else None


def actor_of(context: CadenceContext) -> Actor:
    """The person acting in this update's programme, for a use case."""
    assert context.member is not None
    member = context.member
    return Actor(person_id=member.person_id, name=member.person_name, audit=context.actor)
