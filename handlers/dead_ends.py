"""No dead ends: whatever a person sends outside a conversation gets an answer that leads on."""

from __future__ import annotations

import re
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import filters

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.model import MeasureFacts, Role
from core.render import callbacks
from core.render.callbacks_people import LoosePage
from core.render.keyboards import PAGE_SIZE, measure_label
from core.render.limits import page
from handlers import ledger
from handlers.answer_draft import MAX_TEXT, evidence_of, expired
from handlers.drafts import LooseDraft, drafts
from handlers.gate import Where, gate, unplaced
from handlers.send import answer_query
from storage import coordinators
from usecases.buttons import button_list

SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".csv")


def replies_answer(markup: InlineKeyboardMarkup | None) -> bool:
    """The markup is a dispatch's or reminder's: its measure buttons are Listed ones."""
    if markup is None:
        return False
    return callbacks.replyable(b.callback_data for row in markup.inline_keyboard for b in row)


class _RepliesToDispatch(filters.MessageFilter):
    """A reply to the bot's dispatch or reminder, told by the message's own buttons (no database)."""

    def filter(self, message: Message) -> bool:
        reply = message.reply_to_message
        if reply is None or reply.from_user is None or not reply.from_user.is_bot:
            return False
        return replies_answer(reply.reply_markup)


REPLIES_TO_DISPATCH = _RepliesToDispatch(name="replies_to_dispatch")


@gate(where=Where.PRIVATE, needs_programme=False)
async def unknown_command(update: Update, context: CadenceContext) -> None:
    """A command the bot does not have."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        context.t._("I do not know that command. /help lists what you can do here.")
    )


@gate(where=Where.PRIVATE, needs_programme=False)
async def nothing_to_cancel(update: Update, context: CadenceContext) -> None:
    """/cancel when no answer is being written."""
    assert update.effective_message is not None
    await update.effective_message.reply_text(
        context.t._("Nothing to cancel: no answer was being written.")
    )


async def _open(context: CadenceContext) -> list[tuple[int, MeasureFacts]]:
    """The caller's open measures, red and yellow first."""
    if context.member is None or context.programme is None:
        return []
    today = today_in(context.svc.clock.now(), context.programme.timezone)
    return await button_list(
        context.session,
        programme_id=context.programme_id,
        person_id=context.member.person_id,
        scope="open",
        today=today,
    )


def named(text: str, mine: Sequence[tuple[int, MeasureFacts]]) -> list[tuple[int, MeasureFacts]]:
    """The measures whose code the text names as a whole word (1.3.3, not 1.3.31)."""
    # ASCII edges: Chinese characters around a code are words of the sentence, not of the code
    edge = r"(?![0-9A-Za-z]|\.[0-9A-Za-z])"
    return [
        (i, f) for i, f in mine if re.search(rf"(?<![0-9A-Za-z.]){re.escape(f.code)}{edge}", text)
    ]


def _choices(
    context: CadenceContext, mine: Sequence[tuple[int, MeasureFacts]], number: int = 0
) -> InlineKeyboardMarkup:
    """One button per measure (a page of them), each starting an answer with what was sent."""
    assert context.programme is not None
    t, today = context.t, today_in(context.svc.clock.now(), context.programme.timezone)
    p = page(len(mine), PAGE_SIZE, number)
    rows = [
        [
            InlineKeyboardButton(
                measure_label(f, today), callback_data=callbacks.Answer(i, "loose").pack()
            )
        ]
        for i, f in mine[p.start : p.stop]
    ]
    nav = []
    if p.has_prev:
        back = LoosePage(p.number - 1).pack()
        nav.append(InlineKeyboardButton(t._("◀ Previous page"), callback_data=back))
    if p.has_next:
        label = t._("More ({page}/{pages}) ▶", page=p.number + 2, pages=p.count)
        nav.append(InlineKeyboardButton(label, callback_data=LoosePage(p.number + 1).pack()))
    return InlineKeyboardMarkup([*rows, nav] if nav else rows)


def how_to_report(context: CadenceContext) -> str:
    """The ways to report progress."""
    return context.t._(
        "To report progress, press a measure's button in the weekly dispatch, reply to the "
        "dispatch, or send /my to list your measures. /help lists everything else."
    )


@gate(where=Where.PRIVATE, needs_programme=False)
async def free_text(update: Update, context: CadenceContext) -> None:
    """Text outside an answer: offer it as an update of the measure it names, or say how."""
    message = update.effective_message
    assert message is not None
    text = (message.text or "").strip()[:MAX_TEXT]
    if drafts(context).naming:
        await _name_myself(message, context, text)
        return
    mine = await _open(context)
    picked = named(text, mine) or (mine if len(mine) == 1 else [])
    if len(picked) != 1:
        await message.reply_text(how_to_report(context))
        return
    drafts(context).loose = LooseDraft(note=text, files=[], measures=[picked[0][0]])
    await message.reply_text(
        context.t._("Record this as an update of {code}?", code=picked[0][1].code),
        reply_markup=_choices(context, picked),
    )


MAX_NAME = 50


async def _name_myself(message: Message, context: CadenceContext, text: str) -> None:
    """A coordinator invited by link gives the name colleagues will see."""
    t, member = context.t, context.member
    if member is None or not text or len(text) > MAX_NAME or coordinators.unnamed(text):
        await message.reply_text(t._("Please send your name (at most {n} characters).", n=MAX_NAME))
        return
    person = await coordinators.name(
        context.session,
        person_id=member.person_id,
        name=text,
        actor=context.actor,
        now=context.svc.clock.now(),
    )
    if person is None:
        await message.reply_text(
            t._(
                "{name} is already someone else in this programme; please send another name.",
                name=text,
            )
        )
        return
    drafts(context).naming = False
    await message.reply_text(
        t._(
            "Thank you, {name}: colleagues now see you by this name. /help lists what you can do.",
            name=text,
        )
    )


def _spreadsheet(message: Message) -> bool:
    name = (message.document.file_name or "") if message.document else ""
    return name.lower().endswith(SPREADSHEETS)


@gate(where=Where.PRIVATE, needs_programme=False)
async def loose_file(update: Update, context: CadenceContext) -> None:
    """A file outside an answer: a coordinator's spreadsheet is a ledger (an admin's with no
    programme founds one), else ask which measure."""
    message = update.effective_message
    assert message is not None
    assert context.who is not None
    # with programmes to choose from, a file is for one of them: /use says which
    founding = context.programme is None and context.is_admin and not context.who.memberships
    if context.programme is None and not (founding and _spreadsheet(message)):
        await message.reply_text(unplaced(context))
        return
    coordinator = context.member is not None and Role.COORDINATOR in context.member.roles
    if (coordinator or founding) and _spreadsheet(message):
        await ledger.preview(update, context)
        return
    mine, found = await _open(context), evidence_of(message)
    if not mine or found is None:
        await message.reply_text(
            context.t._("Send the ledger as an Excel or CSV file to import it.")
            if coordinator
            else how_to_report(context)
        )
        return
    caption = (message.caption or "").strip()[:MAX_TEXT]
    drafts(context).loose = LooseDraft(caption, [found], [i for i, _ in mine])
    await message.reply_text(
        context.t._("Which measure is this evidence for?"), reply_markup=_choices(context, mine)
    )


@gate(where=Where.PRIVATE)
async def loose_page(update: Update, context: CadenceContext) -> None:
    """Another page of the measures a loose file may be evidence for, in place."""
    query = update.callback_query
    assert query is not None
    button = context.pressed(LoosePage)
    loose = drafts(context).loose
    offered = set(loose.measures) if loose is not None else set()
    mine = [(i, f) for i, f in await _open(context) if i in offered]
    if button is None or not mine:
        await answer_query(query, expired(context.t), alert=True)
        return
    await query.answer()
    await query.edit_message_reply_markup(_choices(context, mine, button.page))
