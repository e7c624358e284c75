"""/away and /back: out of office, with an optional delegate from the same unit."""

from __future__ import annotations

from datetime import date

from telegram import Update

from bot.clock import today_in
from bot.context import CadenceContext
from bot.domain.absence import Someone, may_stand_in, valid_period
from bot.domain.model import Role
from handlers.gate import Where, gate
from storage import absences, people
from storage.models import Person


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        return None


def _someone(p: Person) -> Someone:
    return Someone(id=p.id or 0, unit_id=p.unit_id, bound=p.telegram_user_id is not None)


@gate(Role.OWNER, where=Where.PRIVATE)
async def away(update: Update, context: CadenceContext) -> None:
    """Record an absence; dispatches go to the delegate or pause."""
    message = update.effective_message
    assert message is not None and context.member is not None and context.programme is not None
    t, s, pid, now = context.t, context.session, context.programme_id, context.svc.clock.now()
    args = list(context.args or [])
    start, end = (_day(args[0]), _day(args[1])) if len(args) >= 2 else (None, None)
    if (
        start is None
        or end is None
        or not valid_period(start, end, today_in(now, context.programme.timezone))
    ):
        await message.reply_text(
            t._(
                "Usage: /away 2024-10-01 2024-10-07 [delegate name]. The end date must not be in the past."
            )
        )
        return
    me = await people.person(s, programme_id=pid, person_id=context.member.person_id)
    assert me is not None and me.id is not None
    delegate = None
    if len(args) > 2:
        name = " ".join(args[2:])
        delegate = await people.find_named(s, programme_id=pid, name=name)
        if delegate is None or not may_stand_in(_someone(me), _someone(delegate)):
            await message.reply_text(
                t._(
                    "{name} cannot stand in: a delegate must be from your unit and already use this bot.",
                    name=name,
                )
            )
            return
    await absences.add(
        s,
        programme_id=pid,
        person_id=me.id,
        start=start,
        end=end,
        delegate=(delegate.id or 0, delegate.name) if delegate else None,
        actor=context.actor,
        now=now,
    )
    if delegate is not None:
        text = t._(
            "Noted: away {start} – {end}. {name} gets your dispatches meanwhile. /back ends it early.",
            start=t.date(start),
            end=t.date(end),
            name=delegate.name,
        )
    else:
        text = t._(
            "Noted: away {start} – {end}. Your dispatches pause meanwhile and do not count as silence. /back ends it early.",
            start=t.date(start),
            end=t.date(end),
        )
    await message.reply_text(text)


@gate(Role.OWNER, where=Where.PRIVATE)
async def back(update: Update, context: CadenceContext) -> None:
    """End current and future absences."""
    message = update.effective_message
    assert message is not None and context.member is not None and context.programme is not None
    now = context.svc.clock.now()
    ended = await absences.end(
        context.session,
        programme_id=context.programme_id,
        person_id=context.member.person_id,
        today=today_in(now, context.programme.timezone),
        actor=context.actor,
        now=now,
    )
    await message.reply_text(
        context.t._("Welcome back: dispatches come to you again.")
        if ended
        else context.t._("You were not marked as away.")
    )
