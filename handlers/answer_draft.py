"""The answer being written (the draft in user_data) and the conversation's states."""

from __future__ import annotations

from typing import Any, TypedDict, cast

from telegram import Message
from telegram.ext import ConversationHandler

from bot.context import CadenceContext
from core.domain.ledger_words import clean
from core.domain.model import Health
from core.i18n import Tr
from core.render.callback_codec import MAX_ID, Button

HEALTH, NOTE, PERCENT, BLOCKERS, FILES, CONFIRM, PICK = range(7)
END = ConversationHandler.END
DRAFT = "draft"
DRAFT_SEQ = "draft_seq"
SENDING_BACK = "send_back"  # a coordinator writing the reason for sending a request back
NAMING = "naming"  # a coordinator invited by link is about to send their name
LOOSE = "loose"  # text or a file sent outside an answer, kept until a measure is chosen
LOOKING_BACK = "lookback"  # the look-back being answered (回头看), its verdict and any files
SPOT_CHECKING = "spotcheck"  # the spot check (随机抽查) found 不属实, waiting for its note
EXTENDING = "extension"  # the extension being asked for (申请延期): measure, then the date
CIRCULAR = "circular"  # the work circular being drafted (工作通报): month, picks, revision
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


class EvidenceDraft(TypedDict):
    """A file sent with an answer, as kept in user_data until it is saved."""

    file_id: str
    file_unique_id: str
    name: str
    kind: str  # document | photo
    mime_type: str | None
    size: int | None


class Draft(TypedDict, total=False):
    """The answer being written: typed, and still plain JSON for PTB's persistence (our rows)."""

    id: int  # the draft number its step buttons carry: an older screen is out of date
    programme_id: int
    measure_id: int
    code: str
    health: str  # a Health value
    note: str
    percent: int | None
    blockers: str
    files: list[EvidenceDraft]
    signoff: bool  # done: the answer asks for sign-off
    step: int  # the conversation state it waits in
    candidates: list[int]  # a reply to a dispatch of several measures: which it may be about
    choices: list[list[Any]]  # [measure id, code] pages of the candidates, in dispatch order


class LookBackDraft(TypedDict):
    """The look-back being answered (回头看): which, the verdict pressed, evidence sent so far."""

    id: int
    verdict: str  # a core.domain.closing.Verdict value
    programme_id: int
    files: list[EvidenceDraft]


class ExtensionDraft(TypedDict, total=False):
    """The extension being asked for (申请延期): the measure, then the date wanted."""

    measure_id: int
    code: str
    programme_id: int
    deadline: str  # ISO date: the deadline when the owner pressed
    wanted: str  # ISO date, once given


def expired(t: Tr) -> str:
    """The answer to a button that no longer leads anywhere."""
    return t._("This button has expired.")


def out_of_date(t: Tr) -> str:
    """The answer to a step button of another measure or an older draft."""
    return t._("This screen is out of date: use the latest message, or press the measure again.")


def draft_of(context: CadenceContext) -> Draft:
    """The answer being written (an empty one if none)."""
    assert context.user_data is not None
    draft = context.user_data.get(DRAFT)
    if not isinstance(draft, dict):
        draft = {}
        context.user_data[DRAFT] = draft
    return cast(Draft, draft)


def on_screen(context: CadenceContext, button: Button) -> bool:
    """The step button belongs to the draft being written, for the same measure."""
    draft = draft_of(context)
    return (
        getattr(button, "draft", None) == draft.get("id")
        and getattr(button, "measure_id", None) == draft.get("measure_id")
        and draft.get("id") is not None
    )


def new_draft(context: CadenceContext, **fields: Any) -> Draft:
    """A fresh draft with the next draft number, replacing any unsaved one."""
    assert context.user_data is not None
    seq = int(context.user_data.get(DRAFT_SEQ, 0)) % MAX_ID + 1
    context.user_data[DRAFT_SEQ] = seq
    # a newer answer ends an unfinished look-back note, extension request or circular sentence
    context.user_data.pop(LOOKING_BACK, None)
    context.user_data.pop(SPOT_CHECKING, None)
    context.user_data.pop(EXTENDING, None)
    context.user_data.pop(CIRCULAR_SENTENCE, None)
    context.user_data.pop(RECORDING, None)
    context.user_data.pop(SHARING, None)
    context.user_data.pop(EDIT_WAITING, None)
    draft = cast(Draft, {"id": seq, "programme_id": context.programme_id, **fields})
    context.user_data[DRAFT] = draft
    return draft


def evidence_of(message: Message) -> EvidenceDraft | None:
    """A document or the largest photo of a message, as a JSON-friendly dict."""
    if message.document is not None:
        d = message.document
        return {
            "file_id": d.file_id,
            "file_unique_id": d.file_unique_id,
            # no bidi override (report‮fdp.exe shows as reportexe.pdf) and no control characters
            "name": clean(d.file_name or "") or "file",
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
