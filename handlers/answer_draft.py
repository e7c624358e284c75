"""The answer being written (UserDrafts.draft) and the conversation's states."""

from __future__ import annotations

from typing import Any

from telegram import Message
from telegram.ext import ConversationHandler

from bot.context import CadenceContext
from core.domain.ledger_words import clean
from core.domain.model import Health
from core.i18n import Tr
from core.render.callback_codec import Button
from handlers.drafts import AnswerDraft, Evidence, drafts, next_seq

HEALTH, NOTE, PERCENT, BLOCKERS, FILES, CONFIRM, PICK = range(7)
END = ConversationHandler.END
# the UserDrafts fields some conversation steps wait on (handlers.marked.WhileMarked)
LOOKING_BACK = "lookback"  # the look-back being answered (回头看), its verdict and any files
SPOT_CHECKING = "spotcheck"  # the spot check (随机抽查) found 不属实, waiting for its note
CIRCULAR_SENTENCE = "circular_sentence"  # a circular's unit waiting for its sentence
RECORDING = "outcome"  # an institutional outcome being recorded (建章立制): title to confirm
SHARING = "share"  # a co-unit's share being answered (多级交办): measure, code, programme
EDIT_WAITING = "ledger_edit_wait"  # an /edit form waiting for a field's text (handlers.ledger_edit)
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


def draft_of(context: CadenceContext) -> AnswerDraft:
    """The answer being written (an empty one if none)."""
    mine = drafts(context)
    if mine.draft is None:
        mine.draft = AnswerDraft()
    return mine.draft


def on_screen(context: CadenceContext, button: Button) -> bool:
    """The step button belongs to the draft being written, for the same measure."""
    draft = draft_of(context)
    return (
        getattr(button, "draft", None) == draft.id
        and getattr(button, "measure_id", None) == draft.measure_id
        and draft.id is not None
    )


def new_draft(context: CadenceContext, **fields: Any) -> AnswerDraft:
    """A fresh draft with the next draft number, replacing any unsaved one."""
    mine = drafts(context)
    mine.draft_seq = next_seq(mine.draft_seq)
    mine.drop_answer_side_steps()
    mine.draft = AnswerDraft(id=mine.draft_seq, programme_id=context.programme_id, **fields)
    return mine.draft


def evidence_of(message: Message) -> Evidence | None:
    """A document or the largest photo of a message."""
    if message.document is not None:
        d = message.document
        return Evidence(
            file_id=d.file_id,
            file_unique_id=d.file_unique_id,
            # no bidi override (report‮fdp.exe shows as reportexe.pdf) and no control characters
            name=clean(d.file_name or "") or "file",
            kind="document",
            mime_type=d.mime_type,
            size=d.file_size,
        )
    if message.photo:
        p = message.photo[-1]
        return Evidence(
            file_id=p.file_id,
            file_unique_id=p.file_unique_id,
            name=f"photo-{p.file_unique_id}.jpg",
            kind="photo",
            mime_type="image/jpeg",
            size=p.file_size,
        )
    return None


async def typed_text(message: Message, t: Tr, limit: int = MAX_TEXT) -> str | None:
    """The text typed, stripped; None, once the sender is told why, when empty or too long."""
    text = (message.text or "").strip()
    if text and len(text) <= limit:
        return text
    await message.reply_text(
        t._("That is too long: at most {n} characters, please.", n=limit)
        if text
        else t._("Please describe it in a few words.")
    )
    return None
