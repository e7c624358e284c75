"""/away and /back: out of office, with an optional delegate; the task force is told."""

from __future__ import annotations

from telegram import Update

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.absence import Someone, may_stand_in, too_long, valid_period
from core.domain.daterange import read_range
from core.domain.model import Role
from handlers.gate import Where, gate
from storage import absences, people
from storage.models import Person
from usecases import alerts


def _someone(p: Person) -> Someone:
    return Someone(id=p.id or 0, unit_id=p.unit_id, bound=p.telegram_user_id is not None)


@gate(Role.OWNER, where=Where.PRIVATE)
async def away(update: Update, context: CadenceContext) -> None:
    """Record an absence; dispatches go to the delegate or pause."""
    message = update.effective_message
    assert message is not None and context.member is not None and context.programme is not None
    t, s, pid, now = context.t, context.session, context.programme_id, context.svc.clock.now()
    today = today_in(now, context.programme.timezone)
    typed = read_range(" ".join(context.args or []), today)
    if typed is None or not valid_period(typed.start, typed.end, today):
        await message.reply_text(
            t._(
                "Usage: /away FROM TO [delegate], for example /away Oct 1 - Oct 7 or "
                "/away 10.1-10.7. The end date must not be in the past."
            )
        )
        return
    start, end = typed.start, typed.end
    if too_long(start, end, today):
        await message.reply_text(
            t._(
                "An absence may last at most a year and begin within the next year. For a "
                "longer one, ask the task force to hand your measures over (/handover)."
            )
        )
        return
    me = await people.person(s, programme_id=pid, person_id=context.member.person_id)
    assert me is not None and me.id is not None
    delegate = None
    if typed.rest:
        name = typed.rest
        delegate = await people.find_named(s, programme_id=pid, name=name)
        if delegate is None or not may_stand_in(_someone(me), _someone(delegate)):
            await message.reply_text(
                t._(
                    "{name} cannot stand in: a delegate must be someone else in this programme "
                    "who already uses this bot.",
                    name=name,
                )
            )
            return
    absence = await absences.add(
        s,
        programme_id=pid,
        person_id=me.id,
        start=start,
        end=end,
        delegate=(delegate.id or 0, delegate.name) if delegate else None,
        actor=context.actor,
        now=now,
    )
    # the task force hears of each absence and who stands in, with it: in its transaction
    await s.flush()
    await alerts.away(s, absence_id=absence.id or 0, today=today, now=now)
    if delegate is not None:
        text = t._(
            "Noted: away {start} – {end}. {name} gets your dispatches meanwhile. /back ends it early.",
            start=t.when(start, today),
            end=t.when(end, today),
            name=delegate.name,
        )
    else:
        text = t._(
            "Noted: away {start} – {end}. Your dispatches pause meanwhile and do not count as silence. /back ends it early.",
            start=t.when(start, today),
            end=t.when(end, today),
        )
    context.reply(lambda: message.reply_text(text))  # "noted" once it is


@gate(Role.OWNER, where=Where.PRIVATE)
async def back(update: Update, context: CadenceContext) -> None:
    """End current and future absences."""
    message = update.effective_message
    assert message is not None and context.member is not None and context.programme is not None
    now = context.svc.clock.now()
    today = today_in(now, context.programme.timezone)
    ended = await absences.end(
        context.session,
        programme_id=context.programme_id,
        person_id=context.member.person_id,
        today=today,
        actor=context.actor,
        now=now,
    )
    t = context.t
    if not ended:
        await message.reply_text(t._("You were not marked as away."))
        return
    lines = [
        t._(
            "Your absence {start} – {end} had not begun: it is cancelled.",
            start=t.when(e.start, today),
            end=t.when(e.end, today),
        )
        for e in ended
        if not e.begun
    ]
    # the task force and each stand-in hear of it, with the change: in its transaction
    await alerts.back(
        context.session, person_id=context.member.person_id, ended=ended, today=today, now=now
    )
    if any(e.begun for e in ended):
        lines.insert(0, t._("Welcome back: dispatches come to you again."))
    said = "\n".join(lines)
    context.reply(lambda: message.reply_text(said))  # "back" once it is
