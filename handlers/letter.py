"""/letter CODE: a work prompt letter (工作提示函) for a red measure, to the coordinator."""

from __future__ import annotations

from telegram import Update

from bot.clock import today_in
from bot.context import CadenceContext
from bot.domain.model import Role
from bot.render.letter import number_label
from handlers.gate import Where, gate
from jobs import documents, letters


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
    if result is letters.Refusal.UNKNOWN:
        await message.reply_text(t._("There is no measure {code} in the ledger.", code=code))
        return
    if result is letters.Refusal.CLOSED:
        await message.reply_text(t._("Measure {code} is closed: no letter is needed.", code=code))
        return
    if result is letters.Refusal.NOT_RED:
        await message.reply_text(
            t._("Letters are for red items; measure {code} is not red today.", code=code)
        )
        return
    content, doc = result
    # the number is taken only when the letter is really sent: commit first, then send
    await context.session.commit()
    caption = t._(
        "Work prompt letter {number} to {unit}; reply requested by {date}.",
        number=number_label(t, content.year, content.number),
        unit=content.measure.lead_unit,
        date=t.date(content.reply_by),
    )
    await documents.post(
        context.bot, message.chat_id, [documents.Document(doc.filename, doc.data, caption=caption)]
    )
