"""/invites and /my."""

from __future__ import annotations

from telegram import Update

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.model import ANSWERABLE, Role
from core.domain.numbers import typed_int
from core.render import labels
from core.render.keyboards import measures_keyboard
from core.render.measures import line
from handlers.gate import Where, gate
from handlers.invites_out import invite_link, send_invites
from handlers.send import reply_long
from handlers.shares import CO_UNIT_WORDS, co_unit_invites
from storage import coordinators, measures
from storage import invites as invite_links
from usecases.buttons import ordered


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def invites(update: Update, context: CadenceContext) -> None:
    """One message with an invite link for every unbound owner and leader."""
    assert update.effective_message is not None
    t = context.t
    if context.args and context.args[0].lower() in CO_UNIT_WORDS:
        await co_unit_invites(update.effective_message, context, list(context.args))
        return
    if context.args:
        await coordinator_invites(update, context)
        return
    rows = await pending_invites(context)
    if not rows:
        await update.effective_message.reply_text(t._("Everyone in the ledger is already bound."))
        return
    await send_invites(update.effective_message, context, rows)


COORDINATOR_WORDS = ("coordinator", "coordinators", "专班", "整改专班", "整改专班成员")
MAX_COORDINATOR_LINKS = 10


async def coordinator_invites(update: Update, context: CadenceContext) -> None:
    """/invites coordinator N: N single-use links, each binding a new coordinator."""
    assert update.effective_message is not None and context.programme is not None
    t, args = context.t, list(context.args or [])
    count = typed_int(args[1], 1, MAX_COORDINATOR_LINKS) if len(args) == 2 else None
    if args[0].lower() not in COORDINATOR_WORDS or (len(args) == 2 and count is None):
        await update.effective_message.reply_text(
            t._(
                "Usage: /invites for the ledger's people, or /invites coordinator N for N links "
                "(at most {max}) that each bind a new coordinator.",
                max=MAX_COORDINATOR_LINKS,
            )
        )
        return
    days = context.svc.settings.cadence_invite_days
    links = await coordinators.invite(
        context.session,
        programme_id=context.programme_id,
        count=count or 1,
        actor=context.actor,
        now=context.svc.clock.now(),
        days=days,
    )
    head = t.n_(
        "{n} coordinator invite link (valid {days} days; it works once, and whoever opens it "
        "names themselves):",
        "{n} coordinator invite links (valid {days} days; each works once, and whoever opens "
        "one names themselves):",
        len(links),
        days=days,
    )
    body = "\n".join(invite_link(context.bot.username, i.token) for i in links)
    message = update.effective_message
    # once the tokens are committed: with people's updates side by side, a link shown earlier
    # could be opened before it exists and be called invalid
    context.reply(lambda: message.reply_text(f"{head}\n{body}"))


async def pending_invites(context: CadenceContext) -> list[tuple[str, str, str]]:
    """(name, roles, link) for every unbound owner and leader."""
    return [(n, r, invite_link(context.bot.username, tk)) for n, r, tk in await _tokens(context)]


async def _tokens(context: CadenceContext) -> list[tuple[str, str, str]]:
    """(name, roles, link) for every unbound owner and leader."""
    s, t, pid = context.session, context.t, context.programme_id
    now = context.svc.clock.now()
    return [
        (name, roles, token)
        for name, roles, token in await invite_links.invite_rows(
            s,
            programme_id=pid,
            now=now,
            days=context.svc.settings.cadence_invite_days,
            role_label=lambda r: t._(labels.ROLE[r]),
        )
    ]


@gate(Role.OWNER, where=Where.PRIVATE)
async def my(update: Update, context: CadenceContext) -> None:
    """The caller's own measures with status and deadline."""
    assert update.effective_message is not None and context.member is not None
    t = context.t
    today = today_in(
        context.svc.clock.now(), context.programme.timezone if context.programme else "UTC"
    )
    rows = await measures.facts(
        context.session, programme_id=context.programme_id, involving=[context.member.person_id]
    )
    if not rows:
        await update.effective_message.reply_text(t._("You have no measures in this programme."))
        return
    listed = ordered(rows, today)
    head = t.n_("Your measure ({n}):", "Your measures ({n}):", len(listed))
    text = head + "\n" + "\n".join(line(t, f, today) for _, f in listed)
    answerable = [(i, f) for i, f in listed if f.status in ANSWERABLE]
    keyboard = measures_keyboard(
        t, answerable, today, scope="open", person_id=context.member.person_id
    )
    if keyboard is not None:
        text += "\n\n" + t._("Press a measure to answer it.")
    await reply_long(update.effective_message, text, keyboard)
