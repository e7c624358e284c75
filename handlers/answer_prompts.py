"""The questions of the answer conversation, one per step."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.model import Health
from core.domain.numbers import PercentProblem
from core.render import callbacks, labels
from core.render.shares import co_unit_words
from handlers.answer_draft import (
    BLOCKERS,
    CONFIRM,
    FILES,
    HEALTH,
    NOTE,
    PERCENT,
    draft_of,
)
from handlers.send import reply_long
from storage import shares


def _at(context: CadenceContext, state: int) -> int:
    """The step the answer is at, kept in the draft: a file sent mid-answer joins it there."""
    draft_of(context).step = state
    return state


def ids(context: CadenceContext) -> tuple[int, int]:
    """(measure id, draft id) of the answer being written, as step buttons carry them."""
    draft = draft_of(context)
    assert draft.measure_id is not None and draft.id is not None
    return draft.measure_id, draft.id


async def ask_health(message: Message, context: CadenceContext, code: str) -> int:
    """Ask how the measure is going."""
    t, (mid, did) = context.t, ids(context)

    def button(label: str, health: str) -> InlineKeyboardButton:
        return InlineKeyboardButton(
            label, callback_data=callbacks.HealthStep(mid, did, health).pack()
        )

    keyboard = InlineKeyboardMarkup(
        [
            [
                button(t._("✅ On track"), "ok"),
                button(t._("⚠️ At risk"), "risk"),
                button(t._("⛔ Blocked"), "block"),
            ]
        ]
    )
    said = await co_units_said(context, mid)
    text = "\n".join([t._("How is {code} going?", code=code), *said])
    await message.reply_text(text, reply_markup=keyboard)
    return _at(context, HEALTH)


async def co_units_said(context: CadenceContext, measure_id: int) -> list[str]:
    """The co-units' latest words on their shares, shown to the lead owner as they answer."""
    said = await shares.latest(context.session, measure_id=measure_id)
    if not said or context.programme is None:
        return []
    tz = ZoneInfo(context.programme.timezone)
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    local = [(s.unit, s.note, s.percent, s.at.astimezone(tz)) for s in said]
    return ["", *co_unit_words(context.t, local, today)]


async def ask_note(message: Message, context: CadenceContext) -> int:
    """Ask for the note (or the completion report), unless a reply already gave it."""
    draft, t = draft_of(context), context.t
    if draft.note:
        return await ask_percent(message, context)
    if draft.signoff:
        text = t._(
            "Write the completion report for {code}: what was done, and how it is proven.",
            code=draft.code,
        )
    else:
        text = t._(
            "Write a short progress note for {code}; a line starting “Next step:” says what"
            " comes next. /cancel leaves without saving.",
            code=draft.code,
        )
    await message.reply_text(text)
    return _at(context, NOTE)


async def ask_percent(message: Message, context: CadenceContext) -> int:
    """Ask how far along it is (not for sign-off)."""
    if draft_of(context).signoff:
        return await ask_files(message, context)
    t = context.t
    await message.reply_text(
        t._("How far along is it, in percent (0–100)?"), reply_markup=skip_keyboard(context)
    )
    return _at(context, PERCENT)


def skip_keyboard(context: CadenceContext) -> InlineKeyboardMarkup:
    """The percentage step's Skip button."""
    skip = callbacks.PercentSkip(*ids(context)).pack()
    return InlineKeyboardMarkup([[InlineKeyboardButton(context.t._("Skip"), callback_data=skip)]])


def percent_problem(context: CadenceContext, problem: PercentProblem) -> str:
    """What is wrong with a typed percentage, and what to send instead."""
    t = context.t
    if problem is PercentProblem.FRACTION:
        return t._("Please send the percentage itself: for 0.4, send 40. Or press Skip.")
    if problem is PercentProblem.RANGE:
        return t._(
            "A percentage runs from 0 to 100: please send a number in that range, or press Skip."
        )
    return t._("Please send a whole number from 0 to 100 (such as 40 or 40%), or press Skip.")


async def after_percent(message: Message, context: CadenceContext) -> int:
    """Ask for blockers when at risk or blocked, else go on to files."""
    draft, t = draft_of(context), context.t
    if draft.health in (Health.AT_RISK.value, Health.BLOCKED.value):
        await message.reply_text(t._("What is in the way, and what help do you need?"))
        return _at(context, BLOCKERS)
    return await ask_files(message, context)


async def ask_files(message: Message, context: CadenceContext) -> int:
    """Ask for evidence files (at least one for sign-off)."""
    draft, t = draft_of(context), context.t
    if draft.files:
        return await ack_file(message, context)  # a reply or a loose file already brought one
    if draft.signoff:
        text = t._("Send at least one evidence file (documents or photos), then press Done.")
    else:
        text = t._("Send evidence files if you have any (documents or photos), then press Done.")
    label = t._("Done") if draft.files or draft.signoff else t._("No files")
    await message.reply_text(
        text,
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(label, callback_data=callbacks.FilesDone(*ids(context)).pack())]]
        ),
    )
    return _at(context, FILES)


async def ack_file(message: Message, context: CadenceContext) -> int:
    """Count the evidence received so far; the Done button stays under every count."""
    files, t = draft_of(context).files, context.t
    kind = t._("photo") if files[-1].kind == "photo" else t._("document")
    text = t._(
        "Received evidence file {n} ({kind}). Send more, or press Done.", n=len(files), kind=kind
    )
    done = callbacks.FilesDone(*ids(context)).pack()
    await message.reply_text(
        text,
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(t._("Done"), callback_data=done)]]
        ),
    )
    return _at(context, FILES)


async def ask_confirm(message: Message, context: CadenceContext) -> int:
    """Show the answer and ask to save or cancel."""
    draft, t = draft_of(context), context.t
    lines = [t._("Please check your answer for {code}:", code=draft.code)]
    if draft.signoff:
        lines.append(t._("Request: sign-off"))
    lines.append(t._("Status: {health}", health=labels.health(t, Health(draft.health))))
    lines.append(t._("Note: {note}", note=draft.note))
    if (percent := draft.percent) is not None:
        lines.append(t._("Progress: {pct}", pct=t.pct(percent / 100)))
    if draft.blockers:
        lines.append(t._("Blockers: {text}", text=draft.blockers))
    lines.append(t.n_("Evidence: {n} file", "Evidence: {n} files", len(draft.files)))
    mid, did = ids(context)
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
    return _at(context, CONFIRM)
