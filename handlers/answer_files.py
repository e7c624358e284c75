"""A file sent in the middle of an answer is evidence for that answer: nothing typed is lost."""

from __future__ import annotations

from telegram import Message

from bot.context import CadenceContext
from handlers.answer_draft import (
    BLOCKERS,
    FILES,
    MAX_FILES,
    MAX_TEXT,
    NOTE,
    PERCENT,
    draft_of,
)
from handlers.answer_draft import evidence_of as evidence_in
from handlers.answer_prompts import ack_file, after_percent, ask_note, ask_percent
from handlers.drafts import drafts

MIDWAY = (NOTE, PERCENT, BLOCKERS, FILES)  # the steps a file can join without starting over


def joins(context: CadenceContext, message: Message, measure_ids: set[int]) -> bool:
    """A file replying to a dispatch that lists the measure being answered joins that answer."""
    draft = drafts(context).draft
    return (
        draft is not None
        and draft.step in MIDWAY
        and draft.measure_id in measure_ids
        and evidence_in(message) is not None
    )


async def attach(message: Message, context: CadenceContext) -> int:
    """Add the file to the answer, say so, and ask again what the answer is waiting for."""
    draft, t = draft_of(context), context.t
    step = draft.step if draft.step is not None else NOTE
    files = draft.files
    found = evidence_in(message)
    if found is None or len(files) >= MAX_FILES:
        return step
    files.append(found)
    if step == FILES:
        return await ack_file(message, context)
    kind = t._("photo") if found.kind == "photo" else t._("document")
    await message.reply_text(
        t._(
            "Received evidence file {n} ({kind}) for {code}: it goes with this answer.",
            n=len(files),
            kind=kind,
            code=draft.code,
        )
    )
    caption = (message.caption or "").strip()[:MAX_TEXT]
    if step == NOTE and caption and not draft.note:
        draft.note = caption  # a captioned file before any note: the caption is the note
    if step == NOTE:
        return await ask_note(message, context)
    if step == PERCENT:
        return await ask_percent(message, context)
    return await after_percent(message, context)
