"""Measure buttons: open a measure's answers, page through a long list, expire the rest."""

from __future__ import annotations

from telegram import Message, Update

from bot.context import CadenceContext
from core.clock import today_in
from core.render import callbacks
from core.render.keyboards import answer_choices, measures_keyboard
from core.render.measures import line
from handlers.answer import allowed, may_answer_for
from handlers.answer_draft import expired, out_of_date
from handlers.dead_ends import replies_answer
from handlers.drafts import drafts
from handlers.gate import Where, gate, measure_programme
from handlers.keys import markup
from handlers.send import answer_query, reply_long
from storage import lookup, measures
from usecases.buttons import button_list


@gate(where=Where.PRIVATE, programme_of=measure_programme)
async def open_measure(update: Update, context: CadenceContext) -> None:
    """A measure's button: show it with its answer choices."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    button = context.pressed(callbacks.Open)
    if button is None:
        await answer_query(query, expired(context.t), alert=True)
        return
    m, why = await allowed(context, button.measure_id)
    if m is None or context.programme is None:
        await answer_query(query, why, alert=True)
        return
    await query.answer()
    t = context.t
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    rows = await measures.facts(
        context.session, programme_id=context.programme_id, owner_ids=[m.owner_id]
    )
    facts = next(f for x, f in rows if x.id == m.id)
    text = "\n".join([line(t, facts, today), "", t._("How is {code} going?", code=m.code)])
    await reply_long(query.message, text, answer_choices(t, button.measure_id))


async def _person_programme(update: Update, context: CadenceContext) -> int | None:
    button = context.pressed(callbacks.Paging)
    if button is None:
        return None
    return await lookup.programme_of_person(context.session, person_id=button.person_id)


@gate(where=Where.PRIVATE, programme_of=_person_programme)
async def page(update: Update, context: CadenceContext) -> None:
    """Another page of measure buttons, in place."""
    query = update.callback_query
    assert query is not None
    button = context.pressed(callbacks.Paging)
    if (
        button is None
        or context.programme is None
        or not await may_answer_for(context, button.person_id)
    ):
        await answer_query(query, expired(context.t), alert=True)
        return
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    items = await button_list(
        context.session,
        programme_id=context.programme_id,
        person_id=button.person_id,
        scope=button.scope,
        today=today,
    )
    keyboard = measures_keyboard(
        context.t,
        items,
        today,
        scope=button.scope,
        person_id=button.person_id,
        number=button.page,
        replyable=replies_answer(
            query.message.reply_markup if isinstance(query.message, Message) else None
        ),
    )
    if keyboard is None:
        await answer_query(query, context.t._("Every measure here has been answered."))
        await query.edit_message_reply_markup(None)
        return
    await query.answer()
    shown = query.message.reply_markup if isinstance(query.message, Message) else None
    if shown is None or shown.to_dict() != keyboard.to_dict():
        await query.edit_message_reply_markup(markup(keyboard))


@gate(where=Where.ANY, needs_programme=False)
async def expired_button(update: Update, context: CadenceContext) -> None:
    """Any press no other handler took: unknown data, or a step outside its conversation."""
    query = update.callback_query
    assert query is not None
    button = context.button
    # a step of an older screen while another answer is being written: say which it is
    stale = isinstance(button, STEPS) and drafts(context).draft is not None
    await answer_query(query, out_of_date(context.t) if stale else expired(context.t), alert=True)


STEPS = (
    callbacks.PickStep,
    callbacks.PickPage,
    callbacks.HealthStep,
    callbacks.PercentSkip,
    callbacks.FilesDone,
    callbacks.ConfirmStep,
)
