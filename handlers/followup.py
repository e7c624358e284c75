"""督办: a leader (or a coordinator) presses Follow up on a red item; the owner is asked privately."""

from __future__ import annotations

import contextlib
from zoneinfo import ZoneInfo

from telegram import CallbackQuery, Message, Update
from telegram.error import BadRequest

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.closing import reply_by
from core.domain.lifecycle import can_answer
from core.domain.model import Role, Status
from core.domain.workcal import CalendarKind
from core.i18n import Tr, tr
from core.render import callbacks
from core.render.closing import follow_up_message, followed_up
from core.render.keyboards import answer_choices
from handlers.gate import Where, gate, measure_programme
from handlers.keys import markup, plain
from handlers.send import answer_query
from storage import followups, measures, people
from storage.models import Measure, Person
from usecases.notices import tell


@gate(Role.LEADER, Role.COORDINATOR, where=Where.ANY, programme_of=measure_programme)
async def follow_up(update: Update, context: CadenceContext) -> None:
    """Record the follow-up and send the owner 【督办】… with the answer buttons; the group sees nothing."""
    query = update.callback_query
    assert query is not None and context.programme is not None
    t, programme = context.t, context.programme
    button = context.pressed(callbacks.FollowUp)
    m = (
        await measures.by_id(
            context.session, programme_id=context.programme_id, measure_id=button.measure_id
        )
        if button
        else None
    )
    if m is None or context.member is None:
        await answer_query(query, t._("This button has expired."), alert=True)
        return
    if not can_answer(Status(m.status)):
        await answer_query(
            query,
            t._("{code} is not open any more: there is nothing to follow up.", code=m.code),
            alert=True,
        )
        return
    owner = await context.session.get(Person, m.owner_id)
    if owner is None or owner.telegram_user_id is None:
        await answer_query(
            query,
            t._(
                "{name} has not joined the bot yet: the follow-up cannot reach them.",
                name=owner.name if owner else "",
            ),
            alert=True,
        )
        return
    by = await context.session.get(Person, context.member.person_id)
    assert by is not None and by.id is not None and m.id is not None
    now = context.svc.clock.now()
    today = today_in(now, programme.timezone)
    done = await followups.made_on(
        context.session, measure_id=m.id, by_id=by.id, day=today, tz=programme.timezone
    )
    if done is not None:  # one follow-up per measure and person a day: the owner was asked
        when = t.moment(done.created_at.astimezone(ZoneInfo(programme.timezone)), today)
        await _mark_button(query, t, m, when)
        await answer_query(
            query,
            t._(
                "You followed up {code} at {when}; {name} was asked to answer by {date}.",
                code=m.code,
                when=when,
                name=owner.name,
                date=t.when(done.reply_by, today),
            ),
            alert=True,
        )
        return
    due = reply_by(today, CalendarKind(programme.calendar))
    await followups.record(
        context.session, measure=m, by=by, actor=context.actor, now=now, reply_by=due
    )
    locales = await people.locales_of(context.session, user_ids=[owner.telegram_user_id])
    locale = locales.get(owner.telegram_user_id) or programme.locale
    owner_t = tr(locale)
    text = follow_up_message(
        owner_t,
        by=by.name,
        leader=Role.LEADER in context.member.roles,
        code=m.code,
        text=m.text,
        reply_by=due,
        today=today,
    )
    # planned with the record: the owner can't answer it before the follow-up is stored
    tell(
        context.session, programme_id=programme.id or 0, about=f"followup:{m.id}", person=owner,
        text=text, now=now, markup=answer_choices(owner_t, m.id), locale=locale,
    )  # fmt: skip
    await _mark_button(query, t, m, t.moment(now.astimezone(ZoneInfo(programme.timezone)), today))
    if owner.telegram_user_id is None or owner.unreachable_since is not None:
        await answer_query(
            query,
            t._("{name} cannot be reached: the follow-up is recorded.", name=owner.name),
            alert=True,
        )
        return
    await answer_query(
        query,
        t._(
            "Follow-up sent to {name}; answer due by {date}.",
            name=owner.name,
            date=t.when(due, today),
        ),
    )


async def _mark_button(query: CallbackQuery, t: Tr, m: Measure, when: str) -> None:
    """The pressed 督办 button shows when it was pressed, for everyone who sees the message."""
    message = query.message
    if not isinstance(message, Message):
        return  # too old to be edited: the callback answer still says so
    assert m.id is not None
    shown = plain(message.reply_markup)
    keys = followed_up(t, shown, callbacks.FollowUp(m.id), m.code, when)
    if keys is None or keys == shown:
        return
    with contextlib.suppress(BadRequest):  # edited by another press meanwhile: nothing lost
        await message.edit_reply_markup(reply_markup=markup(keys))
