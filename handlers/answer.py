"""Answering a dispatch: health, note, percentage, blockers, evidence, confirm."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ConversationHandler

from bot.clock import today_in
from bot.context import CadenceContext
from bot.domain.absence import may_answer
from bot.domain.lifecycle import can_answer
from bot.domain.model import Health, Status
from bot.render import labels
from handlers.gate import Where, gate
from storage import beats, measures
from storage.models import Measure

HEALTH, NOTE, PERCENT, BLOCKERS, FILES, CONFIRM, PICK = range(7)
END = ConversationHandler.END
DRAFT = "draft"
MAX_TEXT = 2000
MAX_FILES = 10
ACTION_HEALTH = {
    "ok": Health.ON_TRACK,
    "risk": Health.AT_RISK,
    "block": Health.BLOCKED,
    "done": Health.ON_TRACK,
}


async def allowed(context: CadenceContext, measure_id: int) -> tuple[Measure | None, str | None]:
    """The measure if the caller may answer for it now, else why not."""
    t = context.t
    m = await measures.by_id(
        context.session, programme_id=context.programme_id, measure_id=measure_id
    )
    if m is None or context.member is None or context.programme is None:
        return None, t._("This measure is no longer in the ledger.")
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    away = await beats.absences_on(context.session, programme_id=context.programme_id, day=today)
    if not may_answer(person_id=context.member.person_id, owner_id=m.owner_id, away=away):
        return None, t._("This measure is not yours to answer.")
    if not can_answer(Status(m.status)):
        return None, t._(
            "Measure {code} needs no answer now: it is {status}.",
            code=m.code,
            status=labels.status(t, Status(m.status)),
        )
    return m, None


def draft_of(context: CadenceContext) -> dict[str, Any]:
    assert context.user_data is not None
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict):
        draft = {}
        context.user_data[DRAFT] = draft
    return draft


async def _ask_health(message: Message, context: CadenceContext, code: str) -> int:
    t = context.t
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t._("✅ on track"), callback_data="h:ok"),
                InlineKeyboardButton(t._("⚠️ at risk"), callback_data="h:risk"),
                InlineKeyboardButton(t._("⛔ blocked"), callback_data="h:block"),
            ]
        ]
    )
    await message.reply_text(t._("How is {code} going?", code=code), reply_markup=keyboard)
    return HEALTH


async def ask_note(message: Message, context: CadenceContext) -> int:
    draft, t = draft_of(context), context.t
    if draft.get("note"):
        return await ask_percent(message, context)
    if draft.get("signoff"):
        text = t._(
            "Write the completion report for {code}: what was done, and how it is proven.",
            code=draft["code"],
        )
    else:
        text = t._(
            "Write a short progress note for {code}. /cancel leaves without saving.",
            code=draft["code"],
        )
    await message.reply_text(text)
    return NOTE


async def ask_percent(message: Message, context: CadenceContext) -> int:
    if draft_of(context).get("signoff"):
        return await ask_files(message, context)
    t = context.t
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(t._("Skip"), callback_data="p:skip")]])
    await message.reply_text(t._("How far along is it, in percent (0–100)?"), reply_markup=keyboard)
    return PERCENT


async def after_percent(message: Message, context: CadenceContext) -> int:
    draft, t = draft_of(context), context.t
    if draft["health"] in (Health.AT_RISK.value, Health.BLOCKED.value):
        await message.reply_text(t._("What is in the way, and what help do you need?"))
        return BLOCKERS
    return await ask_files(message, context)


async def ask_files(message: Message, context: CadenceContext) -> int:
    draft, t = draft_of(context), context.t
    if draft.get("signoff"):
        text = t._("Send at least one evidence file (documents or photos), then press Done.")
    else:
        text = t._("Send evidence files if you have any (documents or photos), then press Done.")
    label = t._("Done") if draft.get("files") or draft.get("signoff") else t._("No files")
    await message.reply_text(
        text,
        reply_markup=InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data="f:done")]]),
    )
    return FILES


async def ask_confirm(message: Message, context: CadenceContext) -> int:
    draft, t = draft_of(context), context.t
    lines = [t._("Please check your answer for {code}:", code=draft["code"])]
    if draft.get("signoff"):
        lines.append(t._("Request: sign-off"))
    lines.append(t._("Status: {health}", health=labels.health(t, Health(draft["health"]))))
    lines.append(t._("Note: {note}", note=draft.get("note", "")))
    if draft.get("percent") is not None:
        lines.append(t._("Progress: {pct}", pct=t.pct(draft["percent"] / 100)))
    if draft.get("blockers"):
        lines.append(t._("Blockers: {text}", text=draft["blockers"]))
    lines.append(t.n_("Evidence: {n} file", "Evidence: {n} files", len(draft.get("files", []))))
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t._("Save"), callback_data="c:save"),
                InlineKeyboardButton(t._("Cancel"), callback_data="c:cancel"),
            ]
        ]
    )
    await message.reply_text("\n".join(lines), reply_markup=keyboard)
    return CONFIRM


def _start_draft(context: CadenceContext, m: Measure, action: str) -> dict[str, Any]:
    assert context.user_data is not None
    draft: dict[str, Any] = {
        "measure_id": m.id,
        "code": m.code,
        "files": [],
        "signoff": action == "done",
    }
    if action in ACTION_HEALTH:
        draft["health"] = ACTION_HEALTH[action].value
    context.user_data[DRAFT] = draft
    return draft


@gate(where=Where.PRIVATE)
async def start_by_button(update: Update, context: CadenceContext) -> int | None:
    """A dispatch (or /my) button: ans:<measure id>:<action>."""
    query = update.callback_query
    assert query is not None and query.message is not None
    parts = (query.data or "").split(":")
    if len(parts) != 3 or not parts[1].isdigit() or parts[2] not in (*ACTION_HEALTH, "note"):
        await query.answer()
        return END
    m, why = await allowed(context, int(parts[1]))
    if m is None:
        await query.answer(why, show_alert=True)
        return END
    await query.answer()
    message = query.message
    assert isinstance(message, Message)
    draft = _start_draft(context, m, parts[2])
    if "health" not in draft:
        return await _ask_health(message, context, m.code)
    return await ask_note(message, context)


def evidence_of(message: Message) -> dict[str, Any] | None:
    """A document or the largest photo of a message, as a JSON-friendly dict."""
    if message.document is not None:
        d = message.document
        return {
            "file_id": d.file_id,
            "file_unique_id": d.file_unique_id,
            "name": d.file_name or "file",
            "kind": "document",
            "mime_type": d.mime_type,
            "size": d.file_size,
        }
    if message.photo:
        p = message.photo[-1]
        return {
            "file_id": p.file_id,
            "file_unique_id": p.file_unique_id,
            "name": f"photo-{p.file_unique_id}.jpg",
            "kind": "photo",
            "mime_type": "image/jpeg",
            "size": p.file_size,
        }
    return None


@gate(where=Where.PRIVATE)
async def start_by_reply(update: Update, context: CadenceContext) -> int | None:
    """A reply to a dispatch or reminder: its text (or caption) is the note, a file is evidence."""
    message = update.effective_message
    assert message is not None and message.reply_to_message is not None and message.chat is not None
    items = await beats.item_for_message(
        context.session, chat_id=message.chat.id, message_id=message.reply_to_message.message_id
    )
    if not items:
        return None  # not a reply to a dispatch: let other handlers see it
    assert context.user_data is not None
    note = (message.text or message.caption or "").strip()[:MAX_TEXT]
    file = evidence_of(message)
    context.user_data[DRAFT] = {
        "note": note,
        "files": [file] if file else [],
        "signoff": False,
        "candidates": [i.measure_id for i in items],
    }
    if len(items) == 1:
        return await _picked(message, context, items[0].measure_id)
    rows = []
    for item in items:
        m = await measures.by_id(
            context.session, programme_id=context.programme_id, measure_id=item.measure_id
        )
        if m is not None:
            rows.append([InlineKeyboardButton(m.code, callback_data=f"pick:{m.id}")])
    await message.reply_text(
        context.t._("Which measure is this about?"), reply_markup=InlineKeyboardMarkup(rows)
    )
    return PICK


async def _picked(message: Message, context: CadenceContext, measure_id: int) -> int:
    m, why = await allowed(context, measure_id)
    if m is None:
        await message.reply_text(why or "")
        return END
    draft = draft_of(context)
    draft.update({"measure_id": m.id, "code": m.code})
    return await _ask_health(message, context, m.code)


@gate(where=Where.PRIVATE)
async def pick(update: Update, context: CadenceContext) -> int | None:
    """Which measure a reply was about."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    await query.answer()
    raw = (query.data or "").partition(":")[2]
    if not raw.isdigit() or int(raw) not in draft_of(context).get("candidates", []):
        return PICK
    return await _picked(query.message, context, int(raw))


@gate(where=Where.PRIVATE, needs_programme=False)
async def cancel(update: Update, context: CadenceContext) -> int:
    """Leave without saving."""
    assert update.effective_message is not None and context.user_data is not None
    context.user_data.pop(DRAFT, None)
    await update.effective_message.reply_text(context.t._("Cancelled. Nothing was saved."))
    return END
