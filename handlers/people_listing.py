"""The /people listing: everyone as it shows them, and redrawing it after a role change."""

from __future__ import annotations

import logging
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from telegram import Message
from telegram.error import TelegramError

from bot.context import CadenceContext
from core.clock import today_in
from core.i18n import Tr
from core.render.limits import split_text
from core.render.people import Someone, people_text
from handlers.status import as_utc
from storage import coordinators, people
from storage import invites as invite_links
from storage.models import Person

log = logging.getLogger(__name__)


async def everyone(context: CadenceContext) -> list[Someone]:
    """Every person of the programme as /people shows them."""
    assert context.programme is not None
    s, pid, now = context.session, context.programme_id, context.svc.clock.now()
    zone = ZoneInfo(context.programme.timezone)
    held = await people.roles_by_person(s, programme_id=pid)
    days = context.svc.settings.cadence_invite_reminder_days
    stale = {
        p.id: sent
        for p, sent in await invite_links.not_opened(
            s, programme_id=pid, issued_before=now - timedelta(days=days)
        )
    }
    listed = sorted(await people.people(s, programme_id=pid), key=lambda p: p.name)
    shown = _shown_names(context.t, listed)
    return [
        Someone(
            person_id=p.id or 0,
            name=shown[p.id or 0],
            roles=frozenset(held.get(p.id or 0, set())),
            contact=p.contact,
            bound=p.telegram_user_id is not None,
            unreachable_since=as_utc(p.unreachable_since).astimezone(zone)
            if p.unreachable_since
            else None,
            link_sent=as_utc(stale[p.id]).astimezone(zone).date() if p.id in stale else None,
        )
        # by code point, so both databases list in the same order whatever their collation
        for p in listed
    ]


def _shown_names(t: Tr, everyone: list[Person]) -> dict[int, str]:
    """Names as people read them: a coordinator link's placeholder is no name (never #2e76114e)."""
    shown, n = {}, 0
    for p in everyone:
        if coordinators.unnamed(p.name):
            n += 1
            if p.telegram_user_id is None:
                shown[p.id or 0] = t._("coordinator link {n} (not opened yet)", n=n)
            else:
                shown[p.id or 0] = t._("new coordinator {n} (no name given yet)", n=n)
        else:
            shown[p.id or 0] = p.name
    return shown


def today(context: CadenceContext) -> date:
    """Today in the programme's time zone."""
    assert context.programme is not None
    return today_in(context.svc.clock.now(), context.programme.timezone)


async def refresh_listing(context: CadenceContext, card: object) -> None:
    """The /people listing the card answers shows the roles as they now are (one message only)."""
    listing = card.reply_to_message if isinstance(card, Message) else None
    if (
        listing is None
        or listing.reply_markup is None
        or not getattr(listing.from_user, "is_bot", 0)
    ):
        return
    days = context.svc.settings.cadence_invite_reminder_days
    text = people_text(context.t, await everyone(context), today(context), days)
    if len(split_text(text)) != 1 or text == listing.text:
        return  # a listing of several messages is not redrawn piecemeal
    try:
        await context.bot.edit_message_text(
            text, listing.chat_id, listing.message_id, reply_markup=listing.reply_markup
        )
    except TelegramError:
        log.info("the /people listing could not be refreshed", exc_info=True)
