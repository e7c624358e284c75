"""/start (invite binding), /help, /lang and /use."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.context import CadenceContext
from core.domain.invites import Redeem
from core.domain.model import Role
from core.i18n import tr
from core.languages import LANGUAGES
from core.render import callbacks, labels
from handlers.board import menu as board_menu
from handlers.drafts import drafts
from handlers.gate import Where, gate, supported
from handlers.send import answer_query
from storage import coordinators, invites, people, programmes


def _help_text(context: CadenceContext) -> str:
    t = context.t
    held = set(context.member.roles) if context.member else set()
    lines = [
        t._(
            "Cadence keeps the rectification ledger moving: weekly dispatch, fortnightly review, monthly report."
        )
    ]
    if context.programme is not None:
        lines.append(t._("Programme: {name}", name=context.programme.name))
    if held:
        names = t.join(t._(labels.ROLE[r]) for r in sorted(held))  # "roles: owner, leader"
        lines.append(t.n_("Your role: {roles}", "Your roles: {roles}", len(held), roles=names))
    lines.append("")
    lines.append(t._("/help – what you can do"))
    lines.append(t._("/lang – choose your language"))
    if Role.OWNER in held:
        lines.append(t._("/my – your measures, with buttons to report progress"))
        lines.append(
            t._(
                "/away FROM TO [delegate] – dispatches go to your delegate while you are away; /back ends it"
            )
        )
    if held & {Role.OWNER, Role.COORDINATOR}:
        lines.append(
            t._(
                "/outcome CODE – record a rule or document made for a measure (its number, date, file)"
            )
        )
    if held or context.is_admin:
        lines.append(t._("/history CODE – every recorded step of a measure"))
        lines.append(t._("/find TEXT – find measures by code, words, unit or name"))
    if held & {Role.LEADER, Role.COORDINATOR} or context.is_admin:
        lines.append(t._("/summary [overdue | area N | unit NAME] – the picture right now"))
        lines.append(
            t._(
                "Follow up under a red item (the review, the monthly report, /summary overdue) – the owner is asked to answer by the next working day"
            )
        )
        lines.append(
            t._(
                "/export [report [2024-09] | progress [2024-09] | halfyear | evidence] – the ledger workbook, a report, the published progress report or the evidence binder"
            )
        )
    if Role.COORDINATOR in held or context.is_admin:
        lines.append(t._("Send me the ledger (CSV or XLSX) to import or update it"))
        lines.append(
            t._(
                "/edit CODE – change a measure's text, deadline, owner or units, or retire it; a new code adds a measure"
            )
        )
        lines.append(
            t._(
                "/invites [coordinator N] – invite links for everyone not yet bound, "
                "or N links for new coordinators"
            )
        )
        lines.append(
            t._(
                "/invites co-unit UNIT [CODE] – an invite link for a co-unit's liaison, "
                "who reports the unit's share of its measures"
            )
        )
        lines.append(
            t._("/people – who is bound, their roles, and links not yet opened (with buttons)")
        )
        lines.append(
            t._("/revoke NAME – unbind a person (their history is kept), or revoke their links")
        )
        lines.append(t._("/handover NAME – a new link for the successor of a person who moves on"))
        lines.append(t._("/pending – sign-off requests waiting for a decision"))
        lines.append(t._("/dispatch, /review, /report – run a beat now"))
        lines.append(t._("/spotcheck – draw this month's random spot check now"))
        lines.append(t._("/letter CODE – a numbered work prompt letter for a red measure"))
        lines.append(
            t._("/circular [2024-09] – a numbered work circular: units ranked, commended or named")
        )
        lines.append(t._("/schedule – the beats and their next dates"))
        lines.append(
            t._("/programme – the inspection facts the progress report opens and signs with")
        )
    if context.is_admin:
        lines.append(t._("/newprogramme NAME – create a programme"))
        lines.append(t._("/status – version, uptime, database, beats and unreachable people"))
        lines.append(
            t._(
                "/setup NAME [taskforce] – in a group: make it the programme's leadership (or task-force) group"
            )
        )
    if len(context.who.memberships if context.who else ()) > 1 or context.is_admin:
        lines.append(t._("/use NAME – switch programme"))
    return "\n".join(lines)


@gate(where=Where.ANY, needs_programme=False)
async def help_command(update: Update, context: CadenceContext) -> None:
    """Show what the caller's role can do."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(_help_text(context))


async def start(update: Update, context: CadenceContext) -> None:
    """Bind an invite token, or greet a known user."""
    if context.args:
        await _redeem(update, context)
    else:
        await help_command(update, context)


def _welcome(context: CadenceContext, name: str, programme: str, roles: frozenset[Role]) -> str:
    t = context.t
    if coordinators.unnamed(name):
        drafts(context).naming = True  # the next text they send is their name
        if Role.LIAISON in roles:
            return t._(
                "Welcome: you are now a co-unit liaison of programme {programme}; the weekly "
                "dispatch will ask for your unit's share. Please send your name as colleagues "
                "should see it.",
                programme=programme,
            )
        return t._(
            "Welcome: you are now a coordinator of programme {programme}. Please send your name "
            "as colleagues should see it.",
            programme=programme,
        )
    return t._(
        "Welcome, {name}. You are now bound to programme {programme} as {roles}. Type /help to see what you can do.",
        name=name,
        programme=programme,
        roles=t.join(t._(labels.ROLE[r]) for r in sorted(roles)),  # "as owner", not "as owners"
    )


async def _redeem(update: Update, context: CadenceContext) -> None:
    """Invite tokens are the one way in for strangers, so this runs without the gate."""
    user, message = update.effective_user, update.effective_message
    if user is None or message is None or update.effective_chat is None:
        return
    if update.effective_chat.type != "private":
        return
    token = (context.args or [""])[0][:64]
    async with context.svc.database.session() as s:
        who = await people.identity(s, user_id=user.id)
        outcome, person = await invites.redeem(
            s,
            token=token,
            user_id=user.id,
            display_name=user.full_name,
            now=context.svc.clock.now(),
        )
        programme = await programmes.by_id(s, programme_id=person.programme_id) if person else None
        telegram_locale = supported(user.language_code)
        if person is not None and telegram_locale:
            await people.set_pref(s, user_id=user.id, tg_locale=telegram_locale)
        t = tr(who.locale or telegram_locale or (programme.locale if programme else None))
        if outcome.welcome and person is not None and programme is not None:
            roles = (await people.roles_by_person(s, programme_id=programme.id or 0)).get(
                person.id or 0, set()
            )
            context.t = t
            text = _welcome(context, person.name, programme.name, frozenset(roles))
        else:
            text = {
                Redeem.UNKNOWN: t._(
                    "This invite link is not valid. Ask your task force for a new one."
                ),
                Redeem.USED: t._(
                    "This invite link has already been used. Ask your task force for a new one."
                ),
                Redeem.EXPIRED: t._(
                    "This invite link has expired. Ask your task force for a new one."
                ),
                Redeem.REVOKED: t._(
                    "This invite link was revoked. Ask your task force for a new one."
                ),
                Redeem.TAKEN: t._(
                    "This person is already bound to another Telegram account. Ask your task force."
                ),
                Redeem.DUPLICATE: t._(
                    "Your Telegram account is already bound to {name} in programme {programme}, and one account can be only one person there. Ask your task force to sort it out.",
                    name=person.name if person else "",
                    programme=programme.name if programme else "",
                ),
            }.get(outcome, t._("This invite link is not valid. Ask your task force for a new one."))
    await message.reply_text(text)
    await board_menu.follow(context.bot, context.svc, s)  # committed, without the gate


@gate(where=Where.PRIVATE, needs_programme=False)
async def lang(update: Update, context: CadenceContext) -> None:
    """Offer the languages as buttons."""
    assert update.effective_message is not None
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(lang.label, callback_data=callbacks.Lang(lang.code).pack())
                for lang in LANGUAGES
            ]
        ]
    )
    await update.effective_message.reply_text(
        context.t._("Choose your language:"), reply_markup=keyboard
    )


@gate(where=Where.PRIVATE, needs_programme=False)
async def lang_chosen(update: Update, context: CadenceContext) -> None:
    """Store the chosen language."""
    query = update.callback_query
    assert query is not None and update.effective_user is not None
    button = context.pressed(callbacks.Lang)
    if button is None:
        await answer_query(query, context.t._("This button has expired."), alert=True)
        return
    choice = button.locale
    await people.set_pref(context.session, user_id=update.effective_user.id, locale=choice)
    context.t = tr(choice)
    await query.answer()
    await query.edit_message_text(context.t._("From now on I will write to you in English."))


@gate(where=Where.PRIVATE, needs_programme=False)
async def use(update: Update, context: CadenceContext) -> None:
    """Switch the current programme."""
    assert update.effective_message is not None and context.who is not None
    name = " ".join(context.args or []).strip()
    t = context.t
    found = await programmes.by_name(context.session, name=name) if name else None
    allowed = found is not None and (
        context.is_admin or context.who.membership(found.id) is not None
    )
    if found is None or not allowed:
        names = t.join(m.programme_name for m in context.who.memberships) or "—"
        await update.effective_message.reply_text(
            t._("No such programme of yours. Yours: {names}", names=names)
        )
        return
    await people.set_pref(context.session, user_id=context.who.user_id, programme_id=found.id)
    await update.effective_message.reply_text(
        t._("Now working on programme {name}.", name=found.name)
    )
