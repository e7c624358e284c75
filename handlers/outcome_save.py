"""建章立制, the last steps: the document as a file (or No file), the preview, Save or Cancel."""

from __future__ import annotations

import dataclasses
from datetime import date

from telegram import CallbackQuery, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.context import CadenceContext
from core.render import callbacks
from handlers.answer_draft import evidence_of, expired, out_of_date
from handlers.drafts import OutcomeDraft, drafts
from handlers.gate import Where, actor_of, gate
from handlers.outcome import CONFIRM, END, FILE, coordinator, draft_of, programme_of
from handlers.outcome_words import duplicate, refusal
from handlers.send import answer_query, reply_long
from storage.answers import Evidence
from usecases import outcomes as usecase
from usecases.outcomes import Duplicate, NewOutcome, Refusal


async def _preview(message: Message, context: CadenceContext) -> int:
    """Show what will be recorded, with Save and Cancel."""
    draft, t = draft_of(context), context.t
    file = draft.file
    lines = [
        t._("Please check the institutional outcome for {code}:", code=draft.code),
        t._("Title: {title}", title=draft.title),
        t._("Document number: {number}", number=draft.number),
        t._("Date of issue: {date}", date=t.date(date.fromisoformat(draft.issued_on or ""))),
        t._("File: {name}", name=file.name) if file else t._("File: none"),
    ]

    def choice(label: str, verb: str) -> InlineKeyboardButton:
        data = callbacks.OutcomeStep(draft.measure_id, draft.id, verb).pack()
        return InlineKeyboardButton(label, callback_data=data)

    keyboard = InlineKeyboardMarkup(
        [[choice(t._("Save"), "save"), choice(t._("Cancel"), "cancel")]]
    )
    await reply_long(message, "\n".join(lines), keyboard)
    return CONFIRM


@gate(where=Where.PRIVATE, programme_of=programme_of)
async def file(update: Update, context: CadenceContext) -> int | None:
    """The document as a file (or a photo of it)."""
    message = update.effective_message
    assert message is not None
    found = evidence_of(message)
    if found is None:
        await message.reply_text(context.t._("Please send the file, or press No file."))
        return FILE
    draft_of(context).file = found
    return await _preview(message, context)


@gate(where=Where.PRIVATE, programme_of=programme_of)
async def pressed(update: Update, context: CadenceContext) -> int | None:
    """No file, Save or Cancel on this draft's screen."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    t, draft = context.t, drafts(context).outcome
    choice = context.pressed(callbacks.OutcomeStep)
    if (
        choice is None
        or draft is None
        or choice.draft != draft.id
        or choice.measure_id != draft.measure_id
    ):
        await answer_query(query, out_of_date(t) if draft else expired(t), alert=True)
        return None
    if choice.choice == "save" and draft.issued_on is not None:
        return await _save(query, context, draft)  # the press is answered once it is saved
    await query.answer()
    if choice.choice == "cancel":
        drafts(context).outcome = None
        await query.edit_message_text(t._("Cancelled. Nothing was saved."))
        return END
    if choice.choice == "nofile" and draft.issued_on is not None and draft.file is None:
        await query.edit_message_reply_markup(None)
        return await _preview(query.message, context)
    return None


async def _save(query: CallbackQuery, context: CadenceContext, draft: OutcomeDraft) -> int:
    t = context.t
    drafts(context).outcome = None
    f = draft.file
    result = await usecase.record(
        context.session,
        programme_id=context.programme_id,
        actor=actor_of(context),
        coordinator=coordinator(context),
        outcome=NewOutcome(
            measure_id=draft.measure_id,
            title=draft.title,
            number=draft.number,
            issued_on=date.fromisoformat(draft.issued_on or ""),
            file=Evidence(**dataclasses.asdict(f)) if f else None,
        ),
        now=context.svc.clock.now(),
    )
    if isinstance(result, Refusal | Duplicate):
        await query.answer()
        await query.edit_message_text(
            refusal(t, result, draft.code)
            if isinstance(result, Refusal)
            else duplicate(t, draft.number, result)
        )
        return END
    said = t._(
        "Saved. {title} ({number}) is recorded as an institutional outcome of {code}.",
        title=result.title,
        number=result.number,
        code=result.code,
    )
    if result.with_file:
        said += ("" if t.locale == "zh_CN" else " ") + t._("The file is kept as its evidence.")

    async def saved() -> None:  # "saved" once it is; a failed commit's apology answers the press
        await query.answer()
        await query.edit_message_text(said)

    context.reply(saved)
    return END
