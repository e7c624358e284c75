"""The steps of answering a dispatch, after it started: health to confirm."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update

from bot.context import CadenceContext
from bot.domain.model import Beat, Health
from bot.domain.periods import period_of
from handlers.answer import (
    ACTION_HEALTH,
    BLOCKERS,
    DRAFT,
    END,
    FILES,
    HEALTH,
    MAX_FILES,
    MAX_TEXT,
    NOTE,
    PERCENT,
    after_percent,
    allowed,
    ask_confirm,
    ask_files,
    ask_note,
    ask_percent,
    draft_of,
    evidence_of,
)
from handlers.gate import Where, gate
from handlers.signoff import notify_signoff_request
from storage import measures
from storage.measures import Evidence
from storage.programmes import rhythm_of


@gate(where=Where.PRIVATE)
async def health(update: Update, context: CadenceContext) -> int | None:
    """The health buttons."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    await query.answer()
    choice = ACTION_HEALTH.get((query.data or "").partition(":")[2])
    if choice is None or "measure_id" not in draft_of(context):
        return HEALTH
    draft_of(context)["health"] = choice.value
    await query.edit_message_reply_markup(None)
    return await ask_note(query.message, context)


@gate(where=Where.PRIVATE)
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


@gate(where=Where.PRIVATE)
async def percent(update: Update, context: CadenceContext) -> int | None:
    """0–100, or the Skip button."""
    if update.callback_query is not None:
        await update.callback_query.answer()
        assert isinstance(update.callback_query.message, Message)
        return await after_percent(update.callback_query.message, context)
    message = update.effective_message
    assert message is not None
    raw = (message.text or "").strip().rstrip("%％")
    if not raw.isdigit() or not 0 <= int(raw) <= 100:
        await message.reply_text(
            context.t._("Please send a whole number from 0 to 100, or press Skip.")
        )
        return PERCENT
    draft_of(context)["percent"] = int(raw)
    return await after_percent(message, context)


@gate(where=Where.PRIVATE)
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


@gate(where=Where.PRIVATE)
async def file(update: Update, context: CadenceContext) -> int | None:
    """An evidence file; several are allowed."""
    message = update.effective_message
    assert message is not None
    files: list[dict[str, Any]] = draft_of(context).setdefault("files", [])
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
    return await ask_files(message, context)


@gate(where=Where.PRIVATE)
async def files_done(update: Update, context: CadenceContext) -> int | None:
    """The Done button under the file prompt."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    draft = draft_of(context)
    if draft.get("signoff") and not draft.get("files"):
        await query.answer(
            context.t._("Sign-off needs at least one evidence file."), show_alert=True
        )
        return FILES
    await query.answer()
    await query.edit_message_reply_markup(None)
    return await ask_confirm(query.message, context)


@gate(where=Where.PRIVATE)
async def confirm(update: Update, context: CadenceContext) -> int | None:
    """Save or drop the answer."""
    query = update.callback_query
    assert query is not None and context.user_data is not None and context.member is not None
    await query.answer()
    t, draft = context.t, context.user_data.pop(DRAFT, {})
    if query.data != "c:save" or "measure_id" not in draft:
        await query.edit_message_text(t._("Cancelled. Nothing was saved."))
        return END
    m, why = await allowed(context, int(draft["measure_id"]))
    if m is None:
        await query.edit_message_text(why or "")
        return END
    assert context.programme is not None
    now = context.svc.clock.now()
    await measures.record_update(
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
    if draft.get("signoff"):
        await measures.request_signoff(
            context.session,
            measure=m,
            person_id=context.member.person_id,
            actor=context.actor,
            now=now,
        )
        await notify_signoff_request(context, m, draft.get("note", ""), len(draft.get("files", [])))
        await query.edit_message_text(
            t._("Saved. {code} now waits for sign-off by the task force.", code=m.code)
        )
    else:
        await query.edit_message_text(t._("Saved. Thank you: {code} is updated.", code=m.code))
    return END
