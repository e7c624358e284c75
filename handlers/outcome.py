"""建章立制: an owner (or the task force) records a rule made for a measure — title, number, date,
optionally the file — with the 📜 button under a measure or /outcome CODE, then confirms."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    ConversationHandler,
)

from bot.context import CadenceContext
from core.clock import today_in
from core.domain import outcomes as rules
from core.domain.model import Role
from core.render import callbacks
from handlers.answer_draft import MAX_TEXT, expired
from handlers.drafts import OutcomeDraft, drafts, next_seq
from handlers.gate import Where, actor_of, gate, measure_programme
from handlers.outcome_words import date_problem, duplicate, refusal
from handlers.send import answer_query
from storage import outcomes as stored
from storage.models import Measure
from usecases import outcomes as usecase
from usecases.outcomes import Duplicate, Refusal

TITLE, NUMBER, DATE, FILE, CONFIRM = range(5)
END = ConversationHandler.END


def draft_of(context: CadenceContext) -> OutcomeDraft:
    """The outcome being recorded: its steps are reached only while there is one (WhileMarked)."""
    found = drafts(context).outcome
    assert found is not None
    return found


async def programme_of(update: Update, context: CadenceContext) -> int | None:
    """The programme of the measure pressed, else of the outcome being recorded."""
    found = await measure_programme(update, context)
    if found is not None:
        return found
    draft = drafts(context).outcome
    return draft.programme_id if draft is not None else None


def coordinator(context: CadenceContext) -> bool:
    """The caller is of the task force: it records outcomes for any measure."""
    return context.member is not None and Role.COORDINATOR in context.member.roles


async def _may(context: CadenceContext, *, code: str = "", measure_id: int = 0) -> Any:
    """The measure the caller may record an outcome for, or why not (usecases.outcomes.Refusal)."""
    return await usecase.measure_for(
        context.session,
        programme_id=context.programme_id,
        actor=actor_of(context),
        coordinator=coordinator(context),
        code=code,
        measure_id=measure_id,
    )


async def _begin(message: Message, context: CadenceContext, m: Measure) -> int:
    """Start the draft and ask for the title."""
    seq = next_seq(drafts(context).outcome_seq)
    drafts(context).outcome_seq = seq
    assert m.id is not None
    drafts(context).outcome = OutcomeDraft(
        id=seq, measure_id=m.id, code=m.code, programme_id=m.programme_id
    )
    await message.reply_text(
        context.t._(
            "Recording an institutional outcome for {code}. Send the title of the rule or"
            " document, for example “Rules on reporting major matters”. /cancel leaves without saving.",
            code=m.code,
        )
    )
    return TITLE


@gate(where=Where.PRIVATE)
async def command(update: Update, context: CadenceContext) -> int | None:
    """/outcome CODE."""
    message = update.effective_message
    assert message is not None
    args = context.args or []
    if len(args) != 1:
        await message.reply_text(context.t._("Use /outcome CODE, for example /outcome 1.3.2."))
        return END
    m = await _may(context, code=args[0])
    if isinstance(m, Refusal):
        await message.reply_text(refusal(context.t, m, args[0]))
        return END
    return await _begin(message, context, m)


@gate(where=Where.PRIVATE, programme_of=programme_of)
async def button(update: Update, context: CadenceContext) -> int | None:
    """The 📜 button under a measure."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    pressed = context.pressed(callbacks.Outcome)
    if pressed is None or context.programme is None:
        await answer_query(query, expired(context.t), alert=True)
        return END
    m = await _may(context, measure_id=pressed.measure_id)
    if isinstance(m, Refusal):
        gone = context.t._("This measure is no longer in the ledger.")
        why = gone if m is Refusal.UNKNOWN else refusal(context.t, m, "")
        await answer_query(query, why, alert=True)
        return END
    await query.answer()
    return await _begin(query.message, context, m)


def _text(update: Update) -> tuple[Message, str]:
    message = update.effective_message
    assert message is not None
    return message, (message.text or "").strip()


@gate(where=Where.PRIVATE, programme_of=programme_of)
async def title(update: Update, context: CadenceContext) -> int | None:
    """The title: 《》 added when missing."""
    message, text = _text(update)
    t = context.t
    found = rules.title_of(text[: MAX_TEXT + 1])
    if isinstance(found, rules.Problem):
        await message.reply_text(
            t._("That is too long: at most {n} characters, please.", n=rules.MAX_TITLE)
            if found is rules.Problem.TOO_LONG
            else t._("Please send the title of the rule or document.")
        )
        return TITLE
    draft_of(context).title = found
    await message.reply_text(t._("Its document number? For example GX-2024-12."))
    return NUMBER


@gate(where=Where.PRIVATE, programme_of=programme_of)
async def number(update: Update, context: CadenceContext) -> int | None:
    """The document number: new in the programme."""
    message, text = _text(update)
    t = context.t
    found = rules.number_of(text[: MAX_TEXT + 1])
    if found is rules.Problem.TOO_LONG:
        await message.reply_text(
            t._("That is too long: at most {n} characters, please.", n=rules.MAX_NUMBER)
        )
        return NUMBER
    if isinstance(found, rules.Problem):
        await message.reply_text(
            t._(
                "A document number carries its year and serial number, for example GX-2024-12."
                " Please send it again."
            )
        )
        return NUMBER
    held = await stored.with_number(
        context.session, programme_id=context.programme_id, number=found
    )
    if held is not None:
        await message.reply_text(duplicate(t, found, Duplicate(held[1], held[0].title)))
        return NUMBER
    draft_of(context).number = found
    await message.reply_text(t._("Its date of issue? For example 2024-03-15."))
    return DATE


@gate(where=Where.PRIVATE, programme_of=programme_of)
async def issued(update: Update, context: CadenceContext) -> int | None:
    """The date of issue: a real day, not after today."""
    message, text = _text(update)
    assert context.programme is not None
    t = context.t
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    found = rules.issued_of(text[:100], today)
    if isinstance(found, rules.Problem):
        await message.reply_text(date_problem(t, found, text, today))
        return DATE
    draft = draft_of(context)
    draft.issued_on = found.isoformat()
    no_file = callbacks.OutcomeStep(draft.measure_id, draft.id, "nofile").pack()
    await message.reply_text(
        t._(
            "Send the document itself as a file if you have it: it is kept as evidence of"
            " {code}. Otherwise press No file.",
            code=draft.code,
        ),
        reply_markup=InlineKeyboardMarkup(
            [[InlineKeyboardButton(t._("No file"), callback_data=no_file)]]
        ),
    )
    return FILE
