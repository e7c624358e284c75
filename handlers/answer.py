"""Answering a dispatch: who may answer which measure, and the ways an answer starts."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.absence import may_answer
from core.domain.lifecycle import can_answer, can_request_signoff
from core.domain.model import Status
from core.render import callbacks, labels
from core.render.keyboards import PAGE_SIZE
from core.render.limits import page
from handlers import answer_files
from handlers.answer_draft import (
    ACTION_HEALTH,
    END,
    MAX_TEXT,
    PICK,
    draft_of,
    evidence_of,
    expired,
    new_draft,
    out_of_date,
)
from handlers.answer_prompts import ask_health, ask_note
from handlers.drafts import AnswerDraft, LooseDraft, drafts
from handlers.gate import Where, gate, measure_programme
from handlers.send import answer_query
from storage import absences, answers, measures, outbox
from storage.models import Measure
from usecases.buttons import ordered


async def draft_programme(update: Update, context: CadenceContext) -> int | None:
    """The programme of the answer being written."""
    draft = drafts(context).draft
    return draft.programme_id if draft is not None else None


async def may_answer_for(context: CadenceContext, owner_id: int) -> bool:
    """The caller is the owner, or stands in for the owner today."""
    if context.member is None or context.programme is None:
        return False
    if owner_id == context.member.person_id:
        return True
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    away = await absences.on(context.session, programme_id=context.programme_id, day=today)
    return may_answer(person_id=context.member.person_id, owner_id=owner_id, away=away)


async def allowed(context: CadenceContext, measure_id: int) -> tuple[Measure | None, str | None]:
    """The measure if the caller may answer for it now, else why not."""
    t = context.t
    m = None
    if context.programme is not None:
        m = await measures.by_id(
            context.session, programme_id=context.programme_id, measure_id=measure_id
        )
    if m is None or context.member is None:
        return None, t._("This measure is no longer in the ledger.")
    person_id = context.member.person_id
    # the owner needs no further look-up; a co-owner or a stand-in does
    mine = m.owner_id == person_id or await answers.is_co_owner(
        context.session, measure_id=measure_id, person_id=person_id
    )
    if not mine and not await may_answer_for(context, m.owner_id):
        return None, t._("This measure is not yours to answer.")
    if not can_answer(Status(m.status)):
        return None, t._(
            "Measure {code} needs no answer now: it is {status}.",
            code=m.code,
            status=labels.status(t, Status(m.status)),
        )
    return m, None


def _start_draft(context: CadenceContext, m: Measure, action: str) -> AnswerDraft:
    mine = drafts(context)
    loose, mine.loose = mine.loose, None
    if action != "loose" or loose is None or m.id not in loose.measures:
        # what was sent outside an answer goes only to the measure offered for it
        loose = LooseDraft(note="", files=[], measures=[])
    draft = new_draft(
        context,
        measure_id=m.id,
        code=m.code,
        note=loose.note,
        files=list(loose.files),
        signoff=action == "done",
    )
    if action in ACTION_HEALTH:
        draft.health = ACTION_HEALTH[action].value
    return draft


@gate(where=Where.PRIVATE, programme_of=measure_programme)
async def start_by_button(update: Update, context: CadenceContext) -> int | None:
    """An answer button under a measure: on track, at risk, blocked, done or write an update."""
    query = update.callback_query
    assert query is not None and query.message is not None
    button = context.pressed(callbacks.Answer)
    if button is None:
        await answer_query(query, expired(context.t), alert=True)
        return None
    m, why = await allowed(context, button.measure_id)
    if m is None:
        await answer_query(query, why, alert=True)
        return None
    if button.action == "done" and not can_request_signoff(Status(m.status)):
        await answer_query(
            query,
            context.t._(
                "{code} is long-term: it is never signed off and keeps reporting on the same rhythm.",
                code=m.code,
            ),
            alert=True,
        )
        return None
    await query.answer()
    message = query.message
    assert isinstance(message, Message)
    draft = _start_draft(context, m, button.action)
    if not draft.health:
        return await ask_health(message, context, m.code)
    return await ask_note(message, context)


async def reply_programme(update: Update, context: CadenceContext) -> int | None:
    """The programme of the dispatch or reminder a message replies to."""
    message = update.effective_message
    if message is None or message.reply_to_message is None:
        return None
    items = await outbox.items_for_message(
        context.session, chat_id=message.chat.id, message_id=message.reply_to_message.message_id
    )
    return items[0].programme_id if items else None


@gate(where=Where.PRIVATE, programme_of=reply_programme)
async def start_by_reply(update: Update, context: CadenceContext) -> int | None:
    """A reply to a dispatch or reminder: its text (or caption) is the note, a file is evidence."""
    message = update.effective_message
    assert message is not None and message.reply_to_message is not None and message.chat is not None
    items = await outbox.items_for_message(
        context.session, chat_id=message.chat.id, message_id=message.reply_to_message.message_id
    )
    if not items:
        return None  # not a reply to a dispatch: let other handlers see it
    if answer_files.joins(context, message, {i.measure_id for i in items}):
        return await answer_files.attach(message, context)  # evidence for the answer under way
    note = (message.text or message.caption or "").strip()[:MAX_TEXT]
    file = evidence_of(message)
    draft = new_draft(
        context,
        note=note,
        files=[file] if file else [],
        signoff=False,
        candidates=[i.measure_id for i in items],
    )
    if len(items) == 1:
        return await _picked(message, context, items[0].measure_id)
    assert context.programme is not None
    listed = {i.measure_id for i in items}
    rows = await measures.facts(context.session, programme_id=context.programme_id)
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    # in the dispatch's own order, red and yellow first; paged, as a dispatch may list 120
    draft.choices = [
        (mid, f.code) for mid, f in ordered([r for r in rows if r[0].id in listed], today)
    ]
    await message.reply_text(
        context.t._("Which measure is this about?"), reply_markup=_pick_keyboard(context, 0)
    )
    return PICK


def _pick_keyboard(context: CadenceContext, number: int) -> InlineKeyboardMarkup:
    """One page of the measures a reply may be about."""
    draft = draft_of(context)
    assert draft.id is not None
    choices = draft.choices
    p = page(len(choices), PAGE_SIZE, number)
    rows = [
        [InlineKeyboardButton(code, callback_data=callbacks.PickStep(draft.id, mid).pack())]
        for mid, code in choices[p.start : p.stop]
    ]
    nav = []
    if p.has_prev:
        back = callbacks.PickPage(draft.id, p.number - 1).pack()
        nav.append(InlineKeyboardButton(context.t._("◀ Previous page"), callback_data=back))
    if p.has_next:
        more = callbacks.PickPage(draft.id, p.number + 1).pack()
        label = context.t._("More ({page}/{pages}) ▶", page=p.number + 2, pages=p.count)
        nav.append(InlineKeyboardButton(label, callback_data=more))
    return InlineKeyboardMarkup([*rows, nav] if nav else rows)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def pick_page(update: Update, context: CadenceContext) -> int | None:
    """Another page of the measures a reply may be about."""
    query = update.callback_query
    assert query is not None
    button = context.pressed(callbacks.PickPage)
    if button is None or button.draft != draft_of(context).id:
        await answer_query(query, out_of_date(context.t), alert=True)
        return None
    await query.answer()
    await query.edit_message_reply_markup(_pick_keyboard(context, button.page))
    return None


async def _picked(message: Message, context: CadenceContext, measure_id: int) -> int:
    m, why = await allowed(context, measure_id)
    if m is None:
        await message.reply_text(why or "")
        return END
    draft = draft_of(context)
    assert m.id is not None
    draft.measure_id, draft.code, draft.programme_id = m.id, m.code, m.programme_id
    return await ask_health(message, context, m.code)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def pick(update: Update, context: CadenceContext) -> int | None:
    """Which measure a reply was about."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    button = context.pressed(callbacks.PickStep)
    draft = draft_of(context)
    if button is None:
        await answer_query(query, expired(context.t), alert=True)
        return None
    if button.draft != draft.id or button.measure_id not in draft.candidates:
        await answer_query(query, out_of_date(context.t), alert=True)
        return None
    await query.answer()
    return await _picked(query.message, context, button.measure_id)


@gate(where=Where.PRIVATE, needs_programme=False)
async def cancel(update: Update, context: CadenceContext) -> int:
    """Leave without saving."""
    assert update.effective_message is not None
    mine = drafts(context)
    mine.draft = mine.send_back = mine.extension = mine.lookback = mine.circular = None
    mine.circular_sentence = mine.outcome = mine.share = mine.spotcheck = None
    await update.effective_message.reply_text(context.t._("Cancelled. Nothing was saved."))
    return END
