"""申请延期: an owner asks for a later deadline with a reason; coordinators decide as for sign-off."""

from __future__ import annotations

from datetime import date

from telegram import Message, Update
from telegram.ext import ConversationHandler

from bot.context import CadenceContext
from core.domain.extension import may_ask
from core.domain.ledger import parse_deadline
from core.render import callbacks
from handlers.answer import allowed
from handlers.answer_draft import expired, typed_text
from handlers.drafts import ExtensionDraft, drafts
from handlers.gate import Where, actor_of, gate, measure_programme
from handlers.send import answer_query
from usecases import extension

DATE, REASON = range(2)
END = ConversationHandler.END
ASKING = "extension"  # the UserDrafts field its steps wait on (handlers.marked)


def _draft(context: CadenceContext, *, pop: bool = False) -> ExtensionDraft | None:
    """The extension being asked for, if any; `pop` ends it."""
    mine = drafts(context)
    found = mine.extension
    if pop:
        mine.extension = None
    return found


async def _asking_programme(update: Update, context: CadenceContext) -> int | None:
    found = await measure_programme(update, context)
    if found is not None:
        return found
    asking = _draft(context)
    return asking.programme_id if asking is not None else None


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
    assert m.id is not None
    drafts(context).extension = ExtensionDraft(
        measure_id=m.id, code=m.code, programme_id=m.programme_id, deadline=m.deadline.isoformat()
    )
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
    assert message is not None
    asking = _draft(context)
    if asking is None:
        await message.reply_text(expired(context.t))
        return END
    current = date.fromisoformat(asking.deadline)
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
    asking.wanted = wanted.isoformat()
    await message.reply_text(
        context.t._("Why is more time needed? The task force will read your reason.")
    )
    return REASON


@gate(where=Where.PRIVATE, programme_of=_asking_programme)
async def reason(update: Update, context: CadenceContext) -> int | None:
    """The reason; the request goes to every coordinator."""
    message = update.effective_message
    assert message is not None
    text = await typed_text(message, context.t)
    if text is None:
        return REASON
    asking = _draft(context, pop=True)
    m, why = await allowed(context, asking.measure_id if asking else 0)
    if m is None or context.member is None or asking is None or asking.wanted is None:
        await message.reply_text(why or expired(context.t))
        return END
    assert context.programme is not None
    asked = await extension.ask(
        context.session,
        programme=context.programme,
        actor=actor_of(context),
        extension=extension.Extension(
            measure=m, new_deadline=date.fromisoformat(asking.wanted), reason=text
        ),
        now=context.svc.clock.now(),
    )
    said = context.t._(
        "Sent. The task force will decide on the new deadline for {code}.", code=asked.code
    )
    context.reply(lambda: message.reply_text(said))  # "sent" once it is stored
    return END
