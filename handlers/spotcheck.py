"""随机抽查: /spotcheck draws now; the checker answers 属实 at once, or 不属实 with a note."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import CommandHandler, ConversationHandler, filters

from bot.context import CadenceContext
from core.domain.model import Role
from core.i18n import Tr
from core.render import callbacks
from handlers.answer import cancel
from handlers.answer_draft import SPOT_CHECKING, expired, typed_text
from handlers.drafts import SpotCheckDraft, drafts
from handlers.gate import Where, actor_of, gate
from handlers.marked import UserData, WhileMarked
from handlers.presses import ButtonHandler
from handlers.programme_of import row_or_draft
from handlers.send import answer_query
from storage.models_closing import SpotCheck
from usecases import spotcheck as usecase

NOTE = 0
END = ConversationHandler.END
KEY = SPOT_CHECKING


_programme = row_or_draft(
    callbacks.SpotCheckAnswer, SpotCheck, lambda b: b.check_id, lambda d: d.spotcheck
)


def _refusal(t: Tr, refused: usecase.Refused) -> str:
    if refused is usecase.Refused.NOT_YOURS:
        return t._("This spot check was given to another coordinator.")
    if refused is usecase.Refused.ANSWERED:
        return t._("This spot check is already answered.")
    return expired(t)


def _recorded(t: Tr, done: usecase.Answered) -> str:
    if done.untrue:
        return t._(
            "Recorded: {code} is found not true. It is reopened; the owner and the responsible leader are told.",
            code=done.code,
        )
    return t._("Recorded: {code} is found true. Thank you.", code=done.code)


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_programme)
async def press(update: Update, context: CadenceContext) -> int | None:
    """True: recorded at once. Not true: ask for the note."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    t = context.t
    button = context.pressed(callbacks.SpotCheckAnswer)
    if button is None or context.programme is None:
        await answer_query(query, expired(t), alert=True)
        return END
    actor, now = actor_of(context), context.svc.clock.now()
    if button.verdict == "true":
        done = await usecase.answer(
            context.session, programme=context.programme, actor=actor,
            check_id=button.check_id, untrue=False, note="", now=now,
        )  # fmt: skip
        if isinstance(done, usecase.Refused):
            context.reply(lambda: answer_query(query, _refusal(t, done), alert=True))
            return END
        said, shown = _recorded(t, done), query.message
        context.reply(lambda: query.answer(said))  # once it is recorded
        context.reply(lambda: shown.reply_text(said))
        return END
    found = await usecase.open_check(
        context.session, programme=context.programme, check_id=button.check_id, actor=actor
    )
    if isinstance(found, usecase.Refused):
        await answer_query(query, _refusal(t, found), alert=True)
        return END
    await query.answer()
    drafts(context).spotcheck = SpotCheckDraft(id=button.check_id, programme_id=found.programme_id)
    await query.message.reply_text(
        t._(
            "What did the check find? Write a short note: the measure will be reopened and the owner will read it. /cancel leaves without answering."
        )
    )
    return NOTE


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_programme)
async def note(update: Update, context: CadenceContext) -> int | None:
    """The note of 不属实: recorded, the measure reopened, the owner and the leader told."""
    message = update.effective_message
    assert message is not None
    t, text = context.t, await typed_text(message, context.t)
    if text is None:
        return NOTE
    mine = drafts(context)
    asking, mine.spotcheck = mine.spotcheck, None
    if asking is None or context.programme is None:
        await message.reply_text(expired(t))
        return END
    done = await usecase.answer(
        context.session, programme=context.programme, actor=actor_of(context),
        check_id=asking.id, untrue=True, note=text, now=context.svc.clock.now(),
    )  # fmt: skip
    said = _refusal(t, done) if isinstance(done, usecase.Refused) else _recorded(t, done)
    context.reply(lambda: message.reply_text(said))  # "recorded" once it is
    return END


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def draw_now(update: Update, context: CadenceContext) -> None:
    """/spotcheck: this month's draw now, if it has not been made."""
    message = update.effective_message
    assert message is not None and context.programme is not None
    t, now = context.t, context.svc.clock.now()
    done = await usecase.draw_now(
        context.session, programme=context.programme, actor=actor_of(context), now=now
    )
    if isinstance(done, usecase.Earlier):
        said = t._(
            "This month's random spot check was drawn on {when}: {codes}. The next draw is next month.",
            when=t.datetime(done.at, done.at.date()),
            codes=t.join(done.codes) if done.codes else t._("nothing to draw"),
        )
    elif not done.codes:
        said = t._(
            "Random spot check drawn: no measure was signed off since the last draw, so there is nothing to check. The draw is recorded in the audit trail."
        )
    else:
        said = t.n_(
            "Random spot check drawn: {n} of {total} measures signed off since the last draw: {codes}. Each goes to a coordinator outside its lead unit. Anyone can recompute the draw with verify-audit.",
            "Random spot check drawn: {n} of {total} measures signed off since the last draw: {codes}. Each goes to a coordinator outside its lead unit. Anyone can recompute the draw with verify-audit.",
            len(done.codes),
            total=t.num(done.candidates),
            codes=t.join(done.codes),
        )
        if done.unassigned:
            said += "\n" + t._(
                "No coordinator outside the lead unit can check {codes}: they stay unchecked.",
                codes=t.join(done.unassigned),
            )
    context.reply(lambda: message.reply_text(said))  # once the draw is recorded


def conversation(private: filters.BaseFilter, user_data: UserData) -> ConversationHandler[Any]:
    """属实 or 不属实, then the note of 不属实; user_data is the application's."""
    return ConversationHandler(
        entry_points=[ButtonHandler(press, callbacks.SpotCheckAnswer)],
        states={
            NOTE: [WhileMarked(KEY, user_data, private & filters.TEXT & ~filters.COMMAND, note)]
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name="spotcheck",
        persistent=True,
        allow_reentry=True,
    )
