"""Sending invite links: one message per unit, a workbook of them all, and what comes next."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from telegram import Message

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.model import Beat
from core.domain.periods import next_slot
from core.render.invites_xlsx import invites_workbook
from storage import people
from storage.programmes import rhythm_of
from usecases import notices


def invite_link(username: str, token: str) -> str:
    """The deep link that binds whoever opens it."""
    return f"https://t.me/{username}?start={token}"


async def send_invites(
    message: Message, context: CadenceContext, rows: list[tuple[str, str, str]]
) -> None:
    """rows are (name, roles, link): a message per unit (easy to forward), then the workbook."""
    assert context.programme is not None
    t, s, pid = context.t, context.session, context.programme_id
    persons = {p.name: p for p in (await people.persons(s, programme_id=pid)).values()}
    units = await people.unit_names(s, programme_id=pid)
    by_unit: dict[str, list[tuple[str, str, str]]] = defaultdict(list)
    for name, roles, link in rows:
        unit_id = persons[name].unit_id if name in persons else None
        by_unit[units.get(unit_id or 0, "")].append((name, roles, link))
    now = context.svc.clock.now()
    planned = next_slot(Beat.DISPATCH, rhythm_of(context.programme), now).planned
    when = t.slot(planned, today_in(now, context.programme.timezone))  # 10月8日（周二）9:00
    await message.reply_text(
        t.n_(
            "{n} invite link (valid {days} days; each works once), one message per unit "
            "to forward, and all of them in a workbook. Next: send each person their link. "
            "The first weekly dispatch goes out {when} to everyone bound by then.",
            "{n} invite links (valid {days} days; each works once), one message per unit "
            "to forward, and all of them in a workbook. Next: send each person their link. "
            "The first weekly dispatch goes out {when} to everyone bound by then.",
            len(rows),
            days=context.svc.settings.cadence_invite_days,
            when=when,
        )
    )
    # the per-unit messages and the workbook go out through the outbox, paced at Telegram's one
    # message a second per chat: they leave once this update commits, and nobody waits for them
    table = []
    for unit, listed in by_unit.items():
        title = unit or t._("Leaders and others without a unit")
        lines = [t._("{name} ({roles}): {link}", name=n, roles=r, link=k) for n, r, k in listed]
        _reply_later(context, message, "\n".join([title, *lines]), now)
        table += [(n, unit, r, k) for n, r, k in listed]
    book = ("document", t._("invite links") + ".xlsx", invites_workbook(t, table))
    _reply_later(context, message, "", now, book)


def _reply_later(
    context: CadenceContext,
    message: Message,
    text: str,
    now: datetime,
    file: tuple[str, str, bytes] | None = None,
) -> None:
    notices.tell(
        context.session, programme_id=context.programme_id, about="invites",
        chat_id=message.chat_id, text=text, now=now, locale=context.t.locale, file=file,
    )  # fmt: skip
