"""The steps of answering a dispatch, after it started: health to confirm."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update

from bot.context import CadenceContext
from core.domain.model import Health
from core.domain.numbers import PercentProblem, read_percent
from core.render import callbacks
from core.render.callback_codec import Button
from handlers import answer_files
from handlers.answer import allowed, draft_programme
from handlers.answer_draft import (
    ACTION_HEALTH,
    BLOCKERS,
    END,
    FILES,
    MAX_FILES,
    MAX_TEXT,
    NOTE,
    PERCENT,
    draft_of,
    evidence_of,
    expired,
    on_screen,
    out_of_date,
    typed_text,
)
from handlers.answer_prompts import (
    ack_file,
    after_percent,
    ask_confirm,
    ask_files,
    ask_note,
    ask_percent,
    percent_problem,
    skip_keyboard,
)
from handlers.drafts import AnswerDraft, drafts
from handlers.evidence_hash import fingerprinted
from handlers.gate import Where, actor_of, gate
from handlers.send import answer_query
from usecases import answers
from usecases.answers import Answer


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def health(update: Update, context: CadenceContext) -> int | None:
    """The health buttons."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    button = context.pressed(callbacks.HealthStep)
    if not await _current(query, context, button) or button is None:
        return None
    await query.answer()
    draft_of(context).health = ACTION_HEALTH[button.health].value
    await query.edit_message_reply_markup(None)
    return await ask_note(query.message, context)


async def _current(query: CallbackQuery, context: CadenceContext, button: Button | None) -> bool:
    """Answer a step button that is malformed or belongs to another screen; True if it is ours."""
    if button is None:
        await answer_query(query, expired(context.t), alert=True)
        return False
    if not on_screen(context, button):
        await answer_query(query, out_of_date(context.t), alert=True)
        return False
    return True


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def note(update: Update, context: CadenceContext) -> int | None:
    """The progress note or completion report."""
    message = update.effective_message
    assert message is not None
    text = (message.text or "").strip()
    if not text:
        return NOTE
    if len(text) > MAX_TEXT:
        await message.reply_text(
            context.t._("That is too long: at most {n} characters, please.", n=MAX_TEXT)
        )
        return NOTE
    draft_of(context).note = text
    return await ask_percent(message, context)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def percent(update: Update, context: CadenceContext) -> int | None:
    """0–100, or the Skip button."""
    query = update.callback_query
    if query is not None:
        if not await _current(query, context, context.pressed(callbacks.PercentSkip)):
            return None
        await query.answer()
        assert isinstance(query.message, Message)
        return await after_percent(query.message, context)
    message = update.effective_message
    assert message is not None
    value = read_percent(message.text or "")
    if isinstance(value, PercentProblem):
        # the Skip button comes again with every re-ask
        await message.reply_text(
            percent_problem(context, value), reply_markup=skip_keyboard(context)
        )
        return PERCENT
    draft_of(context).percent = value
    return await after_percent(message, context)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def blockers(update: Update, context: CadenceContext) -> int | None:
    """What is in the way."""
    message = update.effective_message
    assert message is not None
    text = await typed_text(message, context.t)
    if text is None:
        return BLOCKERS
    draft_of(context).blockers = text
    return await ask_files(message, context)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def file(update: Update, context: CadenceContext) -> int | None:
    """An evidence file; several are allowed."""
    message = update.effective_message
    assert message is not None
    files = draft_of(context).files
    found = evidence_of(message)
    if found is None:
        return FILES
    if len(files) >= MAX_FILES:
        await message.reply_text(
            context.t._(
                "That is the most files one answer can carry ({n}). Press Done.", n=MAX_FILES
            )
        )
        return FILES
    files.append(found)
    return await ack_file(message, context)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def midway_file(update: Update, context: CadenceContext) -> int | None:
    """A file sent while the answer waits for a note, a percentage or blockers: evidence for it."""
    message = update.effective_message
    assert message is not None
    return await answer_files.attach(message, context)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def files_done(update: Update, context: CadenceContext) -> int | None:
    """The Done button under the file prompt."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    if not await _current(query, context, context.pressed(callbacks.FilesDone)):
        return None
    draft = draft_of(context)
    if draft.signoff and not draft.files:
        await answer_query(
            query, context.t._("Sign-off needs at least one evidence file."), alert=True
        )
        return FILES
    await query.answer()
    await query.edit_message_reply_markup(None)
    return await ask_confirm(query.message, context)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def confirm(update: Update, context: CadenceContext) -> int | None:
    """Save or drop the answer."""
    query = update.callback_query
    assert query is not None and context.member is not None
    button = context.pressed(callbacks.ConfirmStep)
    if not await _current(query, context, button) or button is None:
        return None
    mine = drafts(context)
    t, draft, mine.draft = context.t, mine.draft or AnswerDraft(), None
    if button.choice != "save":
        await query.answer()
        await query.edit_message_text(t._("Cancelled. Nothing was saved."))
        return END
    m, why = await allowed(context, draft.measure_id or 0)
    if m is None:
        await query.answer()
        await query.edit_message_text(why or "")
        return END
    assert context.programme is not None
    answer = Answer(
        measure=m,
        health=Health(draft.health),
        note=draft.note,
        percent=draft.percent,
        blockers=draft.blockers,
        files=await fingerprinted(context.bot, draft.files),
        signoff=draft.signoff,
    )
    done = await answers.record(
        context.session,
        programme=context.programme,
        actor=actor_of(context),
        answer=answer,
        now=context.svc.clock.now(),
    )
    if done.signoff:
        text = t._("Saved. {code} now waits for sign-off by the task force.", code=done.code)
    else:
        text = t._("Saved. Thank you: {code} is updated.", code=done.code)

    async def saved() -> None:
        # "saved" once it is; the press is answered only now, so a failed commit's apology can
        await query.answer()
        await query.edit_message_text(text)

    context.reply(saved)
    return END
