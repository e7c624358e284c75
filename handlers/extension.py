"""申请延期: an owner asks for a later deadline with a reason; coordinators decide as for sign-off."""

from __future__ import annotations

from datetime import date
from typing import cast

from telegram import Message, Update
from telegram.ext import ConversationHandler

from bot.context import CadenceContext
from core.domain.extension import may_ask
from core.domain.ledger import parse_deadline
from core.render import callbacks
from handlers.answer import allowed
from handlers.answer_draft import EXTENDING, ExtensionDraft, expired, typed_text
from handlers.gate import Where, actor_of, gate, measure_programme
from handlers.send import answer_query
from usecases import extension

DATE, REASON = range(2)
END = ConversationHandler.END
ASKING = EXTENDING  # user_data: the measure and, once given, the date asked for


def _draft(context: CadenceContext, *, pop: bool = False) -> ExtensionDraft:
    """The extension being asked for (an empty one if none); `pop` ends it."""
    assert context.user_data is not None
    found = context.user_data.pop(ASKING, None) if pop else context.user_data.get(ASKING)
    return cast(ExtensionDraft, found if isinstance(found, dict) else {})


async def _asking_programme(update: Update, context: CadenceContext) -> int | None:
    found = await measure_programme(update, context)
    if found is not None:
        return found
    pid = _draft(context).get("programme_id") if context.user_data is not None else None
    return pid if isinstance(pid, int) else None


@gate(where=Where.PRIVATE, programme_of=_asking_programme)
async def start(update: Update, context: CadenceContext) -> int | None:
    """The 📅 button: which date, then why."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    button = context.pressed(callbacks.Extend)
    if button is None:
        await answer_query(query, expired(context.t), alert=True)
        return END
    m, why = await allowed(context, button.measure_id)
    if m is None or m.deadline is None:
        text = why or context.t._(
            "{code} is long-term: it has no deadline to extend.", code=m.code if m else ""
        )
        await answer_query(query, text, alert=True)
        return END
    await query.answer()
    assert context.user_data is not None and m.id is not None
    draft: ExtensionDraft = {
        "measure_id": m.id,
        "code": m.code,
        "programme_id": m.programme_id,
        "deadline": m.deadline.isoformat(),
    }
    context.user_data[ASKING] = draft
    await query.message.reply_text(
        context.t._(
            "{code} is due {date}. Until when do you need? Send the new deadline, for example 2024-12-31. /cancel leaves without asking.",
            code=m.code,
            date=context.t.date(m.deadline),
        )
    )
    return DATE


@gate(where=Where.PRIVATE, programme_of=_asking_programme)
async def new_date(update: Update, context: CadenceContext) -> int | None:
    """The deadline asked for: a real date after the current one."""
    message = update.effective_message
    assert message is not None and context.user_data is not None
    asking = _draft(context)
    current = date.fromisoformat(asking.get("deadline", "1970-01-01"))
    try:
        wanted = parse_deadline((message.text or "").strip())
    except ValueError:
        wanted = None
    if wanted is None or not may_ask(wanted, current):
        await message.reply_text(
            context.t._(
                "Please send a date after {date}, for example 2024-12-31.",
                date=context.t.date(current),
            )
        )
        return DATE
    asking["wanted"] = wanted.isoformat()
    await message.reply_text(
        context.t._("Why is more time needed? The task force will read your reason.")
    )
    return REASON


@gate(where=Where.PRIVATE, programme_of=_asking_programme)
async def reason(update: Update, context: CadenceContext) -> int | None:
    """The reason; the request goes to every coordinator."""
    message = update.effective_message
    assert message is not None and context.user_data is not None
    text = await typed_text(message, context.t)
    if text is None:
        return REASON
    asking = _draft(context, pop=True)
    m, why = await allowed(context, int(asking.get("measure_id", 0)))
    if m is None or context.member is None or "wanted" not in asking:
        await message.reply_text(why or expired(context.t))
        return END
    assert context.programme is not None
    asked = await extension.ask(
        context.session,
        programme=context.programme,
        actor=actor_of(context),
        extension=extension.Extension(
            measure=m, new_deadline=date.fromisoformat(asking["wanted"]), reason=text
        ),
        now=context.svc.clock.now(),
    )
    said = context.t._(
        "Sent. The task force will decide on the new deadline for {code}.", code=asked.code
    )
    context.reply(lambda: message.reply_text(said))  # "sent" once it is stored
    return END
