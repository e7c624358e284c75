"""Answering a dispatch: health, note, percentage, blockers, evidence, confirm."""

from __future__ import annotations

from typing import Any, TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import ConversationHandler

from bot.clock import today_in
from bot.context import CadenceContext
from bot.domain.absence import may_answer
from bot.domain.lifecycle import can_answer
from bot.domain.model import Health, Status
from bot.i18n import Tr
from bot.render import callbacks, labels
from handlers.gate import Where, gate
from handlers.send import answer_query, reply_long
from storage import absences, dispatch_items, lookup, measures
from storage.models import Measure

B = TypeVar("B", bound=callbacks.Button)
HEALTH, NOTE, PERCENT, BLOCKERS, FILES, CONFIRM, PICK = range(7)
END = ConversationHandler.END
DRAFT = "draft"
DRAFT_SEQ = "draft_seq"
MAX_TEXT = 2000
MAX_FILES = 10
ACTION_HEALTH = {
    "ok": Health.ON_TRACK,
    "risk": Health.AT_RISK,
    "block": Health.BLOCKED,
    "done": Health.ON_TRACK,
}


def expired(t: Tr) -> str:
    """The answer to a button that no longer leads anywhere."""
    return t._("This button has expired.")


def out_of_date(t: Tr) -> str:
    """The answer to a step button of another measure or an older draft."""
    return t._("This screen is out of date: use the latest message, or press the measure again.")


async def measure_programme(update: Update, context: CadenceContext) -> int | None:
    """The programme of the measure an Open or Answer button names (whatever /use chose)."""
    query = update.callback_query
    try:
        button = callbacks.unpack(query.data if query else None)
    except callbacks.CallbackError:
        return None
    if not isinstance(button, callbacks.Open | callbacks.Answer):
        return None
    return await lookup.programme_of_measure(context.session, measure_id=button.measure_id)


async def draft_programme(update: Update, context: CadenceContext) -> int | None:
    """The programme of the answer being written."""
    draft = (context.user_data or {}).get(DRAFT)
    pid = draft.get("programme_id") if isinstance(draft, dict) else None
    return pid if isinstance(pid, int) else None


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
    if not await may_answer_for(context, m.owner_id):
        return None, t._("This measure is not yours to answer.")
    if not can_answer(Status(m.status)):
        return None, t._(
            "Measure {code} needs no answer now: it is {status}.",
            code=m.code,
            status=labels.status(t, Status(m.status)),
        )
    return m, None


def draft_of(context: CadenceContext) -> dict[str, Any]:
    """The answer being written (an empty one if none)."""
    assert context.user_data is not None
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict):
        draft = {}
        context.user_data[DRAFT] = draft
    return draft


def on_screen(context: CadenceContext, button: callbacks.Button) -> bool:
    """The step button belongs to the draft being written, for the same measure."""
    draft = draft_of(context)
    return (
        getattr(button, "draft", None) == draft.get("id")
        and getattr(button, "measure_id", None) == draft.get("measure_id")
        and draft.get("id") is not None
    )


def _ids(context: CadenceContext) -> tuple[int, int]:
    draft = draft_of(context)
    return int(draft["measure_id"]), int(draft["id"])


async def _ask_health(message: Message, context: CadenceContext, code: str) -> int:
    t, (mid, did) = context.t, _ids(context)

    def button(label: str, health: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            label, callback_data=callbacks.HealthStep(mid, did, health).pack()
        )

    keyboard = InlineKeyboardMarkup(
        [
            [
                button(t._("✅ on track"), "ok"),
                button(t._("⚠️ at risk"), "risk"),
                button(t._("⛔ blocked"), "block"),
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
    skip = callbacks.PercentSkip(*_ids(context)).pack()
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton(t._("Skip"), callback_data=skip)]])
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
        reply_markup=InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(
                        label, callback_data=callbacks.FilesDone(*_ids(context)).pack()
                    )
                ]
            ]
        ),
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
    mid, did = _ids(context)
    save = callbacks.ConfirmStep(mid, did, "save").pack()
    drop = callbacks.ConfirmStep(mid, did, "cancel").pack()
    keyboard = InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(t._("Save"), callback_data=save),
                InlineKeyboardButton(t._("Cancel"), callback_data=drop),
            ]
        ]
    )
    await reply_long(message, "\n".join(lines), keyboard)
    return CONFIRM


def new_draft(context: CadenceContext, **fields: Any) -> dict[str, Any]:
    """A fresh draft with the next draft number, replacing any unsaved one."""
    assert context.user_data is not None
    seq = int(context.user_data.get(DRAFT_SEQ, 0)) % callbacks.MAX_ID + 1
    context.user_data[DRAFT_SEQ] = seq
    draft: dict[str, Any] = {"id": seq, "programme_id": context.programme_id, **fields}
    context.user_data[DRAFT] = draft
    return draft


def _start_draft(context: CadenceContext, m: Measure, action: str) -> dict[str, Any]:
    draft = new_draft(
        context,
        measure_id=m.id,
        code=m.code,
        files=[],
        signoff=action == "done",
    )
    if action in ACTION_HEALTH:
        draft["health"] = ACTION_HEALTH[action].value
    return draft


@gate(where=Where.PRIVATE, programme_of=measure_programme)
async def start_by_button(update: Update, context: CadenceContext) -> int | None:
    """An answer button under a measure: on track, at risk, blocked, done or write an update."""
    query = update.callback_query
    assert query is not None and query.message is not None
    try:
        button = callbacks.unpack(query.data)
    except callbacks.CallbackError:
        button = None
    if not isinstance(button, callbacks.Answer):
        await answer_query(query, expired(context.t), alert=True)
        return None
    m, why = await allowed(context, button.measure_id)
    if m is None:
        await answer_query(query, why, alert=True)
        return None
    await query.answer()
    message = query.message
    assert isinstance(message, Message)
    draft = _start_draft(context, m, button.action)
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


async def reply_programme(update: Update, context: CadenceContext) -> int | None:
    """The programme of the dispatch or reminder a message replies to."""
    message = update.effective_message
    if message is None or message.reply_to_message is None:
        return None
    items = await dispatch_items.item_for_message(
        context.session, chat_id=message.chat.id, message_id=message.reply_to_message.message_id
    )
    return items[0].programme_id if items else None


@gate(where=Where.PRIVATE, programme_of=reply_programme)
async def start_by_reply(update: Update, context: CadenceContext) -> int | None:
    """A reply to a dispatch or reminder: its text (or caption) is the note, a file is evidence."""
    message = update.effective_message
    assert message is not None and message.reply_to_message is not None and message.chat is not None
    items = await dispatch_items.item_for_message(
        context.session, chat_id=message.chat.id, message_id=message.reply_to_message.message_id
    )
    if not items:
        return None  # not a reply to a dispatch: let other handlers see it
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
    rows = []
    for item in items:
        m = await measures.by_id(
            context.session, programme_id=context.programme_id, measure_id=item.measure_id
        )
        if m is not None:
            data = callbacks.PickStep(draft["id"], m.id or 0).pack()
            rows.append([InlineKeyboardButton(m.code, callback_data=data)])
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
    draft.update({"measure_id": m.id, "code": m.code, "programme_id": m.programme_id})
    return await _ask_health(message, context, m.code)


@gate(where=Where.PRIVATE, programme_of=draft_programme)
async def pick(update: Update, context: CadenceContext) -> int | None:
    """Which measure a reply was about."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    button = step(query.data, callbacks.PickStep)
    draft = draft_of(context)
    if button is None:
        await answer_query(query, expired(context.t), alert=True)
        return None
    if button.draft != draft.get("id") or button.measure_id not in draft.get("candidates", []):
        await answer_query(query, out_of_date(context.t), alert=True)
        return None
    await query.answer()
    return await _picked(query.message, context, button.measure_id)


def step(data: str | None, kind: type[B]) -> B | None:
    """The button of this kind behind the data, or None."""
    try:
        button = callbacks.unpack(data)
    except callbacks.CallbackError:
        return None
    return button if isinstance(button, kind) else None


@gate(where=Where.PRIVATE, needs_programme=False)
async def cancel(update: Update, context: CadenceContext) -> int:
    """Leave without saving."""
    assert update.effective_message is not None and context.user_data is not None
    context.user_data.pop(DRAFT, None)
    await update.effective_message.reply_text(context.t._("Cancelled. Nothing was saved."))
    return END
