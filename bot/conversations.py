"""The persistent conversations (answer, decide, extend, outcome) that build_application registers."""

from __future__ import annotations

from typing import Any

from telegram.ext import (
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
    outcome_save,
    public,
    shares,
    signoff,
)
from handlers import public_desk as public_desk_
from handlers.marked import UserData, WhileMarked
from handlers.presses import ButtonHandler


def answering(
    private: filters.BaseFilter, evidence: filters.BaseFilter
) -> ConversationHandler[Any]:
    """The answer conversation; persistent so a restart does not lose a half-written answer."""
    return ConversationHandler(
        entry_points=[
            ButtonHandler(answer.start_by_button, callbacks.Answer),
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
                ButtonHandler(answer.pick, callbacks.PickStep),
                ButtonHandler(answer.pick_page, callbacks.PickPage),
            ],
            answer_draft.HEALTH: [ButtonHandler(answer_steps.health, callbacks.HealthStep)],
            answer_draft.NOTE: [
                MessageHandler(private & filters.TEXT & ~filters.COMMAND, answer_steps.note),
                MessageHandler(evidence, answer_steps.midway_file),
            ],
            answer_draft.PERCENT: [
                MessageHandler(private & filters.TEXT & ~filters.COMMAND, answer_steps.percent),
                MessageHandler(evidence, answer_steps.midway_file),
                ButtonHandler(answer_steps.percent, callbacks.PercentSkip),
            ],
            answer_draft.BLOCKERS: [
                MessageHandler(private & filters.TEXT & ~filters.COMMAND, answer_steps.blockers),
                MessageHandler(evidence, answer_steps.midway_file),
            ],
            answer_draft.FILES: [
                MessageHandler(evidence, answer_steps.file),
                ButtonHandler(answer_steps.files_done, callbacks.FilesDone),
            ],
            answer_draft.CONFIRM: [ButtonHandler(answer_steps.confirm, callbacks.ConfirmStep)],
        },
        fallbacks=[CommandHandler("cancel", answer.cancel)],
        name="answer",
        persistent=True,
        allow_reentry=True,  # pressing another measure's button starts over with that measure
    )


def deciding(private: filters.BaseFilter) -> ConversationHandler[Any]:
    """Approve or send back; sending back asks the coordinator for the reason first."""
    return ConversationHandler(
        entry_points=[ButtonHandler(signoff.decide, callbacks.Decide)],
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
        entry_points=[ButtonHandler(extension.start, callbacks.Extend)],
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
                ButtonHandler(public.photos_done, PublicStep),
            ],
            public.ABOUT: [
                MessageHandler(text, public.about_text),
                MessageHandler(anything, public.stray_in_about),
                ButtonHandler(public.about_button, PublicStep),
                ButtonHandler(public.about_button, PublicArea),
            ],
            public.NAME: [
                ButtonHandler(public.send, PublicStep),
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
        entry_points=[ButtonHandler(public_desk_.act, PublicAct)],
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
    steps: ButtonHandler[Any] = ButtonHandler(outcome_save.pressed, callbacks.OutcomeStep)
    return ConversationHandler(
        entry_points=[
            CommandHandler("outcome", outcome.command),
            ButtonHandler(outcome.button, callbacks.Outcome),
        ],
        states={
            outcome.TITLE: [WhileMarked(key, user_data, text, outcome.title)],
            outcome.NUMBER: [WhileMarked(key, user_data, text, outcome.number)],
            outcome.DATE: [WhileMarked(key, user_data, text, outcome.issued)],
            outcome.FILE: [
                WhileMarked(key, user_data, evidence, outcome_save.file),
                WhileMarked(key, user_data, text, outcome_save.file),
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
        entry_points=[ButtonHandler(shares.start, callbacks.ShareAnswer)],
        states={shares.WORDS: [WhileMarked(answer_draft.SHARING, user_data, text, shares.words)]},
        fallbacks=[CommandHandler("cancel", answer.cancel)],
        name="share",
        persistent=True,
        allow_reentry=True,
    )
