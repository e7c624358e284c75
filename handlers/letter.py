"""/letter CODE: a work prompt letter (工作提示函) for a red measure, to the coordinator."""

from __future__ import annotations

from telegram import Update

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.model import Role
from core.i18n import Tr
from core.render import callbacks
from core.render.letter_words import number_label
from handlers.files import send_files
from handlers.gate import Where, gate, measure_programme
from handlers.send import answer_query
from storage import measures
from usecases import documents, letters
from usecases.letters import Issued, Refusal


def _refusal(t: Tr, why: Refusal, code: str) -> str:
    if why is Refusal.UNKNOWN:
        return t._("There is no measure {code} in the ledger.", code=code)
    if why is Refusal.CLOSED:
        return t._("Measure {code} is closed: no letter is needed.", code=code)
    return t._("Letters are for red items; measure {code} is not red today.", code=code)


def _captioned(t: Tr, issued: Issued) -> documents.Document:
    content = issued.letter
    caption = t._(
        "Work prompt letter {number} to {unit}; reply requested by {date}.",
        number=number_label(t, content.year, content.number),
        unit=content.measure.lead_unit,
        date=t.date(content.reply_by),
    )
    return documents.Document(issued.filename, issued.data, caption=caption)


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def letter(update: Update, context: CadenceContext) -> None:
    """Issue the next numbered letter for the measure and send its DOCX."""
    message = update.effective_message
    assert message is not None and context.programme is not None
    t, programme = context.t, context.programme
    if len(context.args or []) != 1:
        await message.reply_text(t._("Use /letter CODE, for example /letter 1.3.2."))
        return
    code = (context.args or [""])[0]
    now = context.svc.clock.now()
    result = await letters.issue(
        context.session,
        programme=programme,
        code=code,
        today=today_in(now, programme.timezone),
        actor=context.actor,
        now=now,
        t=t,
    )
    if isinstance(result, Refusal):
        await message.reply_text(_refusal(t, result, code))
        return
    # the number is kept only if the letter is: it goes out once the number is committed
    letter = _captioned(t, result)
    context.reply(lambda: send_files(context.bot, message.chat_id, [letter]))


@gate(Role.COORDINATOR, where=Where.ANY, programme_of=measure_programme)
async def letter_button(update: Update, context: CadenceContext) -> None:
    """The review's letter button: the letter goes to the coordinator who pressed, privately."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None and context.programme is not None
    t, programme = context.t, context.programme
    button = context.pressed(callbacks.IssueLetter)
    m = (
        await measures.by_id(
            context.session, programme_id=context.programme_id, measure_id=button.measure_id
        )
        if button
        else None
    )
    if m is None:
        await answer_query(query, t._("This button has expired."), alert=True)
        return
    now = context.svc.clock.now()
    result = await letters.issue(
        context.session,
        programme=programme,
        code=m.code,
        today=today_in(now, programme.timezone),
        actor=context.actor,
        now=now,
        t=t,
    )
    if isinstance(result, Refusal):
        await answer_query(query, _refusal(t, result, m.code), alert=True)
        return
    letter = _captioned(t, result)

    async def reply() -> None:  # once the number is committed
        await send_files(context.bot, user.id, [letter])
        await answer_query(query, t._("The letter is in your private chat with me."))

    context.reply(reply)
