"""The steps of answering a dispatch, after it started: health to confirm."""

from __future__ import annotations

from telegram import CallbackQuery, Message, Update

from bot.context import CadenceContext
from core.domain.model import Beat, Health
from core.domain.numbers import PercentProblem, read_percent
from core.domain.periods import period_of
from core.render import callbacks
from handlers import answer_files
from handlers.answer import allowed, draft_programme
from handlers.answer_draft import (
    ACTION_HEALTH,
    BLOCKERS,
    DRAFT,
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
    step,
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
from handlers.gate import Where, gate
from handlers.send import answer_query
from handlers.signoff_copies import notify_signoff_request
from storage import answers, decisions
from storage.answers import Evidence
from storage.programmes import rhythm_of
from usecases import alerts


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def health(update: Update, context: CadenceContext) -> int | None:
    """The health buttons."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    button = step(query.data, callbacks.HealthStep)
    if not await _current(query, context, button) or button is None:
        return None
    await query.answer()
    draft_of(context)["health"] = ACTION_HEALTH[button.health].value
    await query.edit_message_reply_markup(None)
    return await ask_note(query.message, context)


async def _current(
    query: CallbackQuery, context: CadenceContext, button: callbacks.Button | None
) -> bool:
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
    draft_of(context)["note"] = text
    return await ask_percent(message, context)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def percent(update: Update, context: CadenceContext) -> int | None:
    """0–100, or the Skip button."""
    query = update.callback_query
    if query is not None:
        if not await _current(query, context, step(query.data, callbacks.PercentSkip)):
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
    draft_of(context)["percent"] = value
    return await after_percent(message, context)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def blockers(update: Update, context: CadenceContext) -> int | None:
    """What is in the way."""
    message = update.effective_message
    assert message is not None
    text = (message.text or "").strip()
    if not text or len(text) > MAX_TEXT:
        await message.reply_text(
            context.t._("That is too long: at most {n} characters, please.", n=MAX_TEXT)
            if text
            else context.t._("Please describe it in a few words.")
        )
        return BLOCKERS
    draft_of(context)["blockers"] = text
    return await ask_files(message, context)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def file(update: Update, context: CadenceContext) -> int | None:
    """An evidence file; several are allowed."""
    message = update.effective_message
    assert message is not None
    files = draft_of(context).setdefault("files", [])
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
    if not await _current(query, context, step(query.data, callbacks.FilesDone)):
        return None
    draft = draft_of(context)
    if draft.get("signoff") and not draft.get("files"):
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
    assert query is not None and context.user_data is not None and context.member is not None
    button = step(query.data, callbacks.ConfirmStep)
    if not await _current(query, context, button) or button is None:
        return None
    await query.answer()
    t, draft = context.t, context.user_data.pop(DRAFT, {})
    if button.choice != "save":
        await query.edit_message_text(t._("Cancelled. Nothing was saved."))
        return END
    m, why = await allowed(context, int(draft["measure_id"]))
    if m is None:
        await query.edit_message_text(why or "")
        return END
    assert context.programme is not None
    now = context.svc.clock.now()
    update_row = await answers.record_update(
        context.session,
        measure=m,
        person_id=context.member.person_id,
        actor=context.actor,
        health=Health(draft["health"]),
        now=now,
        note=draft.get("note", ""),
        percent=draft.get("percent"),
        blockers=draft.get("blockers", ""),
        files=[Evidence(**f) for f in draft.get("files", [])],
        period=period_of(Beat.DISPATCH, now, rhythm_of(context.programme)),
    )
    if Health(draft["health"]) is Health.BLOCKED:
        # the people who decide hear of it with the answer: planned in its transaction
        await context.session.flush()  # the alert quotes the answer just recorded
        await alerts.blocked(context.session, measure_id=m.id or 0, now=now)
    if draft.get("signoff"):
        request = await decisions.request_signoff(
            context.session,
            measure=m,
            person_id=context.member.person_id,
            actor=context.actor,
            now=now,
            report=draft.get("note", ""),
            update_id=update_row.id or 0,
        )
        await context.session.flush()
        assert request.id is not None
        await notify_signoff_request(context, request.id)  # planned with the request
        await context.session.commit()  # "saved" is said only once it is: a crash may follow
        await query.edit_message_text(
            t._("Saved. {code} now waits for sign-off by the task force.", code=m.code)
        )
    else:
        await context.session.commit()  # "saved" is said only once it is: a crash may follow
        await query.edit_message_text(t._("Saved. Thank you: {code} is updated.", code=m.code))
    return END
