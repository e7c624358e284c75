"""/circular [month]: the task force drafts a work circular (工作通报), picks, previews and issues it."""

from __future__ import annotations

from typing import Any

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    BaseHandler,
    CommandHandler,
    ConversationHandler,
    filters,
)

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.circulars import MAX_SENTENCE, Mention, Picture, Stance
from core.domain.model import Role
from core.domain.months import read_month
from core.domain.report import month_end
from core.i18n import Tr
from core.render.callbacks_circular import CircularPick, CircularStep
from core.render.circular_keys import MAX_UNITS, confirm, picker
from core.render.circular_words import ask_sentence, circular_name, draft_text, noted, preview_text
from handlers.answer import cancel
from handlers.answer_draft import CIRCULAR_SENTENCE, expired
from handlers.drafts import CircularDraft, drafts, next_seq
from handlers.gate import Where, gate
from handlers.keys import markup
from handlers.marked import UserData, WhileMarked
from handlers.presses import ButtonHandler
from handlers.send import answer_query
from usecases import circulars
from usecases.circulars import Refusal

PICK, SENTENCE = range(2)
END = ConversationHandler.END
FIRST_YEAR = 2000  # as /export report: no programme's ledger is older


def _draft(context: CadenceContext) -> CircularDraft | None:
    return drafts(context).circular


def _revise(context: CadenceContext, draft: CircularDraft) -> int:
    """A new revision number: every button shown before it is out of date."""
    seq = next_seq(drafts(context).circular_seq)
    drafts(context).circular_seq = seq
    draft.id, draft.previewed = seq, False
    return seq


def _changed(t: Tr) -> str:
    return t._("The draft has changed since: use its latest message.")


def _mentions(draft: CircularDraft) -> list[Mention]:
    """One mention per unit, the last pick winning, in ranking order."""
    latest = {unit: Mention(Stance(stance), unit, said) for stance, unit, said in draft.mentions}
    return [latest[u] for u in draft.units if u in latest]


def _picker(t: Tr, draft: CircularDraft) -> InlineKeyboardMarkup:
    picked = {m.unit: m.stance for m in _mentions(draft)}
    return markup(picker(t, draft.id, draft.units, picked))


async def _drafted(update: Update, context: CadenceContext) -> int | None:
    """The programme of the circular being drafted, whatever /use chose since."""
    draft = _draft(context)
    return draft.programme_id if draft is not None else None


def _period(t: Tr, args: list[str], today: Any) -> tuple[int, int] | str:
    """(year, month) asked for, else the last complete month; a localized error for a bad one."""
    typed = " ".join(args)
    if not typed:
        return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)
    found = read_month(typed, today)
    if found is None or found[0] < FIRST_YEAR or month_end(*found) >= today:
        return t._(
            "Give a month that has ended, from {year} on, for example /circular 2024-09.",
            year=str(FIRST_YEAR),
        )
    return found


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def start(update: Update, context: CadenceContext) -> int:
    """The month's ranking and overdue items, with a button per unit to commend or name it."""
    message = update.effective_message
    assert message is not None and context.programme is not None
    t, programme = context.t, context.programme
    mine = drafts(context)
    mine.circular = mine.circular_sentence = None  # a new /circular starts over
    period = _period(
        t, list(context.args or []), today_in(context.svc.clock.now(), programme.timezone)
    )
    if isinstance(period, str):
        await message.reply_text(period)
        return END
    if programme.leadership_chat_id is None:
        await message.reply_text(_refusal(t, Refusal.NO_GROUP))
        return END
    year, month = period
    figures: Picture = await circulars.figures(
        context.session, programme=programme, year=year, month=month, now=context.svc.clock.now()
    )
    draft = CircularDraft(
        id=0,
        programme_id=context.programme_id,
        year=year,
        month=month,
        units=list(figures.units[:MAX_UNITS]),
        mentions=[],
        previewed=False,
        ranked=sum(1 for r in figures.ranking if r.rank is not None),
        overdue=len(figures.overdue),
    )
    _revise(context, draft)
    drafts(context).circular = draft
    await message.reply_text(draft_text(t, figures), reply_markup=_picker(t, draft))
    return PICK


async def _current(update: Update, context: CadenceContext, kind: type[Any]) -> Any:
    """The pressed button of this draft's latest revision, else None (the press is answered)."""
    query = update.callback_query
    assert query is not None
    button = context.pressed(kind)
    draft = _draft(context)
    if button is None or draft is None or draft.programme_id != context.programme_id:
        await answer_query(query, expired(context.t), alert=True)
        return None
    if button.draft != draft.id:
        await answer_query(query, _changed(context.t), alert=True)
        return None
    return button


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_drafted)
async def pick(update: Update, context: CadenceContext) -> int | None:
    """A unit to commend or name: ask for its sentence."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    button: CircularPick | None = await _current(update, context, CircularPick)
    draft = _draft(context)
    if button is None or draft is None:
        return None
    if button.unit >= len(draft.units):  # forged: no such button was shown
        await answer_query(query, expired(context.t), alert=True)
        return None
    drafts(context).circular_sentence = (button.stance, button.unit)
    await query.answer()
    unit = draft.units[button.unit]
    await query.message.reply_text(
        ask_sentence(context.t, Stance(button.stance), unit, MAX_SENTENCE)
    )
    return SENTENCE


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_drafted)
async def sentence(update: Update, context: CadenceContext) -> int | None:
    """The sentence about the unit picked; the picker comes back with it marked."""
    message = update.effective_message
    assert message is not None
    t = context.t
    said = " ".join((message.text or "").split())
    if not said or len(said) > MAX_SENTENCE:
        await message.reply_text(
            t._("That is too long: at most {n} characters, please.", n=MAX_SENTENCE)
            if said
            else t._("Please describe it in a few words.")
        )
        return SENTENCE
    mine = drafts(context)
    draft, asking, mine.circular_sentence = mine.circular, mine.circular_sentence, None
    if draft is None or asking is None or draft.programme_id != context.programme_id:
        await message.reply_text(expired(t))
        return END
    stance, unit = Stance(asking[0]), draft.units[asking[1]]
    draft.mentions.append((stance.value, unit, said))
    _revise(context, draft)
    await message.reply_text(noted(t, stance, unit), reply_markup=_picker(t, draft))
    return PICK


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_drafted)
async def go(update: Update, context: CadenceContext) -> int | None:
    """Preview, Edit or Issue."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    button: CircularStep | None = await _current(update, context, CircularStep)
    draft = _draft(context)
    if button is None or draft is None:
        return None
    t = context.t
    if button.step == "edit":
        await query.answer()
        await query.message.reply_text(
            t._("Choose the units to commend or to name."), reply_markup=_picker(t, draft)
        )
        return PICK
    if button.step == "preview":
        draft.previewed = True
        await query.answer()
        text = preview_text(
            t, (draft.year, draft.month), _mentions(draft), draft.ranked, draft.overdue
        )
        await query.message.reply_text(text, reply_markup=markup(confirm(t, draft.id)))
        return PICK
    if not draft.previewed:
        await answer_query(query, _changed(t), alert=True)
        return None
    return await _issue(update, context, draft)


async def _issue(update: Update, context: CadenceContext, draft: CircularDraft) -> int | None:
    query = update.callback_query
    assert query is not None and context.programme is not None
    t, now = context.t, context.svc.clock.now()
    result = await circulars.issue(
        context.session,
        programme=context.programme,
        year=draft.year,
        month=draft.month,
        mentions=_mentions(draft),
        today=today_in(now, context.programme.timezone),
        actor=context.actor,
        now=now,
    )
    if isinstance(result, Refusal):
        await answer_query(query, _refusal(t, result), alert=True)
        return None
    drafts(context).circular = None
    drafts(context).circular_sentence = None
    c = result.circular
    said = t._(
        "{name} is issued and goes to the leadership group.",
        name=circular_name(t, c.year, c.number),
    )

    async def reply() -> None:  # once the number is committed
        await answer_query(query)
        assert isinstance(query.message, Message)
        await query.message.edit_reply_markup(None)
        await query.message.reply_text(said)

    context.reply(reply)
    return END


def _refusal(t: Tr, why: Refusal) -> str:
    if why is Refusal.NO_GROUP:
        return t._("There is no group to send it to yet: use /setup in the leadership group first.")
    return expired(t)


def conversation(private: filters.BaseFilter, user_data: UserData) -> ConversationHandler[Any]:
    """Draft, pick and sentence, preview, issue; persistent, so a restart keeps the draft."""
    text = private & filters.TEXT & ~filters.COMMAND
    buttons: list[BaseHandler[Update, Any, Any]] = [
        ButtonHandler(pick, CircularPick),
        ButtonHandler(go, CircularStep),
    ]
    return ConversationHandler(
        entry_points=[CommandHandler("circular", start)],
        states={
            PICK: buttons,
            SENTENCE: [WhileMarked(CIRCULAR_SENTENCE, user_data, text, sentence), *buttons],
        },
        fallbacks=[CommandHandler("cancel", cancel)],
        name="circular",
        persistent=True,
        allow_reentry=True,
    )
