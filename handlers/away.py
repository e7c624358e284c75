"""/away and /back: out of office, with an optional delegate from the same unit."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import col, select
from telegram import Update

from bot.clock import today_in
from bot.context import CadenceContext
from bot.domain.model import Role
from handlers.gate import Where, gate
from storage import audit
from storage.models import Absence, Person


def _day(value: str) -> date | None:
    try:
        return date.fromisoformat(value.replace("/", "-"))
    except ValueError:
        return None


@gate(Role.OWNER, where=Where.PRIVATE)
async def away(update: Update, context: CadenceContext) -> None:
    """Record an absence; dispatches go to the delegate or pause."""
    message = update.effective_message
    assert message is not None and context.member is not None and context.programme is not None
    t, s, pid = context.t, context.session, context.programme_id
    args = list(context.args or [])
    start, end = (_day(args[0]), _day(args[1])) if len(args) >= 2 else (None, None)
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    if start is None or end is None or end < start or end < today:
        await message.reply_text(
            t._(
                "Usage: /away 2024-10-01 2024-10-07 [delegate name]. The end date must not be in the past."
            )
        )
        return
    me = await s.get(Person, context.member.person_id)
    assert me is not None
    delegate = None
    if len(args) > 2:
        name = " ".join(args[2:])
        delegate = (
            await s.exec(select(Person).where(Person.programme_id == pid, Person.name == name))
        ).first()
        if (
            delegate is None
            or delegate.id == me.id
            or delegate.telegram_user_id is None
            or delegate.unit_id != me.unit_id
        ):
            await message.reply_text(
                t._(
                    "{name} cannot stand in: a delegate must be from your unit and already use this bot.",
                    name=name,
                )
            )
            return
    absence = Absence(
        programme_id=pid,
        person_id=me.id or 0,
        start=start,
        end=end,
        delegate_id=delegate.id if delegate else None,
    )
    s.add(absence)
    await s.flush()
    audit.record(
        s,
        programme_id=pid,
        actor=context.actor,
        action="person.away",
        entity="absence",
        entity_id=absence.id,
        after={"start": start, "end": end, "delegate": delegate.name if delegate else None},
        now=context.svc.clock.now(),
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
    s, today = context.session, today_in(context.svc.clock.now(), context.programme.timezone)
    rows = await s.exec(
        select(Absence).where(
            Absence.person_id == context.member.person_id, col(Absence.end) >= today
        )
    )
    ended = 0
    for absence in rows.all():
        before = {"start": absence.start, "end": absence.end}
        if absence.start >= today:
            absence.start = absence.end = today - timedelta(days=1)
        else:
            absence.end = today - timedelta(days=1)
        s.add(absence)
        audit.record(
            s,
            programme_id=context.programme_id,
            actor=context.actor,
            action="person.back",
            entity="absence",
            entity_id=absence.id,
            before=before,
            after={"start": absence.start, "end": absence.end},
            now=context.svc.clock.now(),
        )
        ended += 1
    await message.reply_text(
        context.t._("Welcome back: dispatches come to you again.")
        if ended
        else context.t._("You were not marked as away.")
    )
