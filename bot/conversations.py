"""The persistent conversations (answer, decide, extend) that build_application registers."""

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
from handlers import answer, answer_draft, answer_steps, dead_ends, extension, shares, signoff
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
