"""回头看: the owner answers a look-back — the result holds (a note, evidence optional) or rebounded."""

from __future__ import annotations

from typing import Any

from telegram import Message, Update
from telegram.ext import (
    CommandHandler,
    ConversationHandler,
    filters,
)

from bot.context import CadenceContext
from core.domain.closing import Verdict
from core.domain.model import Role
from core.render import callbacks
from handlers.answer import cancel, may_answer_for
from handlers.answer_draft import LOOKING_BACK, evidence_of, expired, typed_text
from handlers.drafts import LookBackDraft, drafts
from handlers.evidence_hash import fingerprinted
from handlers.gate import Where, actor_of, gate
from handlers.marked import UserData, WhileMarked
from handlers.presses import ButtonHandler
from handlers.programme_of import row_or_draft
from handlers.send import answer_query
from storage import answers
from storage.models import Measure
from storage.models_closing import LookBack
from usecases import lookback as usecase

NOTE = 0
END = ConversationHandler.END
KEY = LOOKING_BACK


_programme = row_or_draft(
    callbacks.LookBackAnswer, LookBack, lambda b: b.lookback_id, lambda d: d.lookback
)


def _draft(context: CadenceContext, *, pop: bool = False) -> LookBackDraft | None:
    """The look-back being answered, if any; `pop` ends it."""
    mine = drafts(context)
    found = mine.lookback
    if pop:
        mine.lookback = None
    return found


async def _may(context: CadenceContext, m: Measure) -> bool:
    """The owner, a co-owner, a stand-in, or a coordinator may answer a look-back."""
    if context.member is None:
        return False
    if Role.COORDINATOR in context.member.roles or await may_answer_for(context, m.owner_id):
        return True
    assert m.id is not None
    return await answers.is_co_owner(
        context.session, measure_id=m.id, person_id=context.member.person_id
    )


@gate(where=Where.PRIVATE, programme_of=_programme)
async def press(update: Update, context: CadenceContext) -> int | None:
    """Holds or Rebound: ask for the note."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    t = context.t
    button = context.pressed(callbacks.LookBackAnswer)
    row = await context.session.get(LookBack, button.lookback_id) if button else None
    m = await context.session.get(Measure, row.measure_id) if row else None
    if button is None or row is None or m is None or row.programme_id != context.programme_id:
        await answer_query(query, expired(t), alert=True)
        return END
    if not await _may(context, m):
        await answer_query(query, t._("This measure is not yours to answer."), alert=True)
        return END
    if row.verdict is not None:
        await answer_query(query, t._("This look-back is already answered."), alert=True)
        return END
    await query.answer()
    assert row.id is not None
    drafts(context).lookback = LookBackDraft(
        id=row.id, verdict=button.verdict, programme_id=row.programme_id
    )
    if button.verdict == Verdict.HOLDS.value:
        ask = t._(
            "How does the result of {code} hold? Write a short note; you may send evidence files first. /cancel leaves without answering.",
            code=m.code,
        )
    else:
        ask = t._(
            "What has come back at {code}? Write a short note: the measure will be reopened. /cancel leaves without answering.",
            code=m.code,
        )
    await query.message.reply_text(ask)
    return NOTE


@gate(where=Where.PRIVATE, programme_of=_programme)
async def file(update: Update, context: CadenceContext) -> int | None:
    """An evidence file sent before the note."""
    message = update.effective_message
    assert message is not None
    asking = _draft(context)
    found = evidence_of(message)
    if found is None or asking is None:
        return NOTE
    asking.files.append(found)
    await message.reply_text(
        context.t._(
            "Received evidence file {n}. Send more, or write the note.", n=len(asking.files)
        )
    )
    return NOTE


@gate(where=Where.PRIVATE, programme_of=_programme)
async def note(update: Update, context: CadenceContext) -> int | None:
    """The note: the answer is recorded; a rebound reopens the measure and tells the task force."""
    message = update.effective_message
    assert message is not None
    t, text = context.t, await typed_text(message, context.t)
    if text is None:
        return NOTE
    asking = _draft(context, pop=True)
    if asking is None or context.member is None or context.programme is None:
        await message.reply_text(expired(t))
        return END
    done = await usecase.answer(
        context.session,
        programme=context.programme,
        actor=actor_of(context),
        answer=usecase.LookBackAnswer(
            lookback_id=asking.id,
            verdict=Verdict(asking.verdict),
            note=text,
            files=await fingerprinted(context.bot, asking.files),
        ),
        now=context.svc.clock.now(),
    )
    if done is usecase.Refused.EXPIRED:
        said = expired(t)
    elif done is usecase.Refused.ANSWERED:
        said = t._("This look-back is already answered.")
    elif done.holds:
        said = t._("Recorded: the result of {code} holds. Thank you.", code=done.code)
    else:
        said = t._("Recorded: {code} is reopened and back in the weekly dispatch.", code=done.code)
    context.reply(lambda: message.reply_text(said))  # "recorded" once it is
    return END


def conversation(
    private: filters.BaseFilter,
    evidence: filters.BaseFilter,
    user_data: UserData,
) -> ConversationHandler[Any]:
    """Holds or Rebound, then files (optional) and the note; user_data is the application's."""
    return ConversationHandler(
        entry_points=[ButtonHandler(press, callbacks.LookBackAnswer)],
        states={
            NOTE: [
                WhileMarked(KEY, user_data, evidence, file),
                WhileMarked(KEY, user_data, private & filters.TEXT & ~filters.COMMAND, note),
            ]
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name="lookback",
        persistent=True,
        allow_reentry=True,
    )
