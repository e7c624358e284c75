"""The persistent conversations (answer, decide, extend, outcome) that build_application registers."""

from __future__ import annotations

from typing import Any

from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)

from core.render import callbacks
from core.render.callbacks_public import PublicAct, PublicArea, PublicStep
from handlers import (
    answer,
    answer_draft,
    answer_steps,
    dead_ends,
    extension,
    outcome,
    public,
    shares,
    signoff,
)
from handlers import public_desk as public_desk_
from handlers.marked import UserData, WhileMarked

_is = callbacks.pattern


def answering(
    private: filters.BaseFilter, evidence: filters.BaseFilter
) -> ConversationHandler[Any]:
    """The answer conversation; persistent so a restart does not lose a half-written answer."""
    return ConversationHandler(
        entry_points=[
            CallbackQueryHandler(answer.start_by_button, pattern=_is(callbacks.Answer)),
            MessageHandler(
                # only replies to a dispatch or reminder: anything else goes on to other handlers
                private
                & dead_ends.REPLIES_TO_DISPATCH
                & (filters.TEXT | filters.Document.ALL | filters.PHOTO)
                & ~filters.COMMAND,
                answer.start_by_reply,
            ),
        ],
        states={
            answer_draft.PICK: [
                CallbackQueryHandler(answer.pick, pattern=_is(callbacks.PickStep)),
                CallbackQueryHandler(answer.pick_page, pattern=_is(callbacks.PickPage)),
            ],
            answer_draft.HEALTH: [
                CallbackQueryHandler(answer_steps.health, pattern=_is(callbacks.HealthStep))
            ],
            answer_draft.NOTE: [
                MessageHandler(private & filters.TEXT & ~filters.COMMAND, answer_steps.note),
                MessageHandler(evidence, answer_steps.midway_file),
            ],
            answer_draft.PERCENT: [
                MessageHandler(private & filters.TEXT & ~filters.COMMAND, answer_steps.percent),
                MessageHandler(evidence, answer_steps.midway_file),
                CallbackQueryHandler(answer_steps.percent, pattern=_is(callbacks.PercentSkip)),
            ],
            answer_draft.BLOCKERS: [
                MessageHandler(private & filters.TEXT & ~filters.COMMAND, answer_steps.blockers),
                MessageHandler(evidence, answer_steps.midway_file),
            ],
            answer_draft.FILES: [
                MessageHandler(evidence, answer_steps.file),
                CallbackQueryHandler(answer_steps.files_done, pattern=_is(callbacks.FilesDone)),
            ],
            answer_draft.CONFIRM: [
                CallbackQueryHandler(answer_steps.confirm, pattern=_is(callbacks.ConfirmStep))
            ],
        },
        fallbacks=[CommandHandler("cancel", answer.cancel)],
        name="answer",
        persistent=True,
        allow_reentry=True,  # pressing another measure's button starts over with that measure
    )


def deciding(private: filters.BaseFilter) -> ConversationHandler[Any]:
    """Approve or send back; sending back asks the coordinator for the reason first."""
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(signoff.decide, pattern=_is(callbacks.Decide))],
        states={
            signoff.REASON: [
                MessageHandler(private & filters.TEXT & ~filters.COMMAND, signoff.reason)
            ]
        },
        fallbacks=[CommandHandler("cancel", answer.cancel)],
        name="decide",
        persistent=True,
        allow_reentry=True,
    )


def extending(private: filters.BaseFilter, user_data: UserData) -> ConversationHandler[Any]:
    """申请延期: the new date, then the reason (only while asking: an answer begun since wins)."""
    text = private & filters.TEXT & ~filters.COMMAND
    asking = extension.ASKING
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(extension.start, pattern=_is(callbacks.Extend))],
        states={
            extension.DATE: [WhileMarked(asking, user_data, text, extension.new_date)],
            extension.REASON: [WhileMarked(asking, user_data, text, extension.reason)],
        },
        fallbacks=[CommandHandler("cancel", answer.cancel)],
        name="extend",
        persistent=True,
        allow_reentry=True,
    )


def public_sending(private: filters.BaseFilter) -> ConversationHandler[Any]:
    """群众监督: anyone with the public link writes a 监督意见 (text, photos, about, name)."""
    text = private & filters.TEXT & ~filters.COMMAND
    photo, document = private & filters.PHOTO, private & filters.Document.ALL
    anything = private & ~filters.COMMAND
    link = private & filters.Regex(r"^/start jiandu(_[A-Za-z0-9]+)?$")
    return ConversationHandler(
        entry_points=[CommandHandler("start", public.begin, filters=link)],
        states={
            public.TEXT: [
                MessageHandler(text | photo, public.text),
                MessageHandler(document, public.file),
            ],
            public.PHOTOS: [
                MessageHandler(photo, public.photo),
                MessageHandler(document, public.file),
                MessageHandler(text, public.stray_text),
                CallbackQueryHandler(public.photos_done, pattern=_is(PublicStep)),
            ],
            public.ABOUT: [
                MessageHandler(text, public.about_text),
                MessageHandler(anything, public.stray_in_about),
                CallbackQueryHandler(public.about_button, pattern=_is(PublicStep)),
                CallbackQueryHandler(public.about_button, pattern=_is(PublicArea)),
            ],
            public.NAME: [
                CallbackQueryHandler(public.send, pattern=_is(PublicStep)),
                MessageHandler(anything, public.stray_in_name),
            ],
        },
        fallbacks=[CommandHandler("cancel", public.cancel)],
        name="public",
        persistent=True,
        allow_reentry=True,  # the link opened again starts a fresh comment
    )


def public_desk() -> ConversationHandler[Any]:
    """群众监督, the task force: 受理 and 转办 at once; 答复 waits for the answer's text."""
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(public_desk_.act, pattern=_is(PublicAct))],
        states={
            public_desk_.ANSWER: [
                MessageHandler(filters.TEXT & ~filters.COMMAND, public_desk_.answer)
            ]
        },
        fallbacks=[CommandHandler("cancel", public_desk_.cancel)],
        name="public_desk",
        persistent=True,
        allow_reentry=True,
    )


def recording(
    private: filters.BaseFilter, evidence: filters.BaseFilter, user_data: UserData
) -> ConversationHandler[Any]:
    """/outcome or 📜, then title, number, date, file or No file, and Save."""
    text = private & filters.TEXT & ~filters.COMMAND
    key = answer_draft.RECORDING
    steps: CallbackQueryHandler[Any, Any] = CallbackQueryHandler(
        outcome.pressed, pattern=_is(callbacks.OutcomeStep)
    )
    return ConversationHandler(
        entry_points=[
            CommandHandler("outcome", outcome.command),
            CallbackQueryHandler(outcome.button, pattern=_is(callbacks.Outcome)),
        ],
        states={
            outcome.TITLE: [WhileMarked(key, user_data, text, outcome.title)],
            outcome.NUMBER: [WhileMarked(key, user_data, text, outcome.number)],
            outcome.DATE: [WhileMarked(key, user_data, text, outcome.issued)],
            outcome.FILE: [
                WhileMarked(key, user_data, evidence, outcome.file),
                WhileMarked(key, user_data, text, outcome.file),
                steps,
            ],
            outcome.CONFIRM: [steps],
        },
        fallbacks=[CommandHandler("cancel", answer.cancel)],
        name="outcome",
        persistent=True,
        allow_reentry=True,
    )


def sharing(private: filters.BaseFilter, user_data: UserData) -> ConversationHandler[Any]:
    """A co-unit's liaison answers their unit's share: the button, then their words."""
    text = private & filters.TEXT & ~filters.COMMAND
    return ConversationHandler(
        entry_points=[CallbackQueryHandler(shares.start, pattern=_is(callbacks.ShareAnswer))],
        states={shares.WORDS: [WhileMarked(answer_draft.SHARING, user_data, text, shares.words)]},
        fallbacks=[CommandHandler("cancel", answer.cancel)],
        name="share",
        persistent=True,
        allow_reentry=True,
    )
