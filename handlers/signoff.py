"""Sign-off (销号): coordinators get each request, the first decision wins, every copy shows it."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import ConversationHandler

from bot.context import CadenceContext
from core.domain.model import Role
from core.render import callbacks, labels
from core.render.decisions import already, waiting_head
from handlers.answer_draft import expired, typed_text
from handlers.drafts import drafts
from handlers.gate import Where, actor_of, gate
from handlers.send import answer_query
from handlers.signoff_copies import send_copy
from storage import decisions
from storage.decisions import EXTENSION
from storage.models import Person
from usecases import signoff as usecase
from usecases.signoff import Already, Withdrawn

log = logging.getLogger(__name__)
REASON = 0
END = ConversationHandler.END
MAX_REASON = 1000


async def _request_programme(update: Update, context: CadenceContext) -> int | None:
    button = context.pressed(callbacks.Decide)
    if button is None:
        sending = drafts(context).send_back
        if isinstance(sending, int):
            return await decisions.programme_of_request(context.session, request_id=sending)
        return None
    return await decisions.programme_of_request(context.session, request_id=button.request_id)


def _refusal(context: CadenceContext, found: Withdrawn | Already | None) -> str:
    """What a coordinator reads of a request there is nothing (more) to decide on."""
    t = context.t
    if isinstance(found, Withdrawn):
        return t._(
            "The sign-off request for {code} was withdrawn: the ledger now gives it as {status}. There is nothing to decide.",
            code=found.code,
            status=labels.status(t, found.status),
        )
    if isinstance(found, Already):
        return already(t, found.verdict)
    return expired(t)


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_request_programme)
async def decide(update: Update, context: CadenceContext) -> int | None:
    """Approve or Send back on a request: approve at once, or ask for the reason."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    button = context.pressed(callbacks.Decide)
    if button is None or context.programme is None or context.member is None:
        await answer_query(query, expired(context.t), alert=True)
        return END
    now, actor = context.svc.clock.now(), actor_of(context)
    found = await usecase.open_request(
        context.session,
        programme=context.programme,
        request_id=button.request_id,
        actor=actor,
        now=now,
    )
    if not isinstance(found, usecase.Open):
        await answer_query(query, _refusal(context, found), alert=True)
        return END
    if button.verdict == "back":
        await query.answer()
        drafts(context).send_back = button.request_id
        if found.extension:
            ask = context.t._(
                "Why is the extension for {code} refused? Write the reason: the owner will read it. /cancel keeps the request open.",
                code=found.request.code,
            )
        else:
            ask = context.t._(
                "Why is {code} sent back? Write the reason: the owner will read it. /cancel keeps the request open.",
                code=found.request.code,
            )
        await query.message.reply_text(ask)
        return REASON
    done = await usecase.decide(
        context.session,
        programme=context.programme,
        request_id=button.request_id,
        approve=True,
        reason="",
        actor=actor,
        now=now,
    )
    if not isinstance(done, usecase.Decided):
        context.reply(lambda: answer_query(query, _refusal(context, done), alert=True))
        return END
    said = context.t._("Approved.") if done.extension else context.t._("Signed off.")
    context.reply(lambda: query.answer(said))  # once the decision stands
    return END


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_request_programme)
async def reason(update: Update, context: CadenceContext) -> int | None:
    """The reason for sending back: the first decision wins, a later one is told who decided."""
    message = update.effective_message
    assert message is not None
    text = await typed_text(message, context.t, MAX_REASON)
    if text is None:
        return REASON
    mine = drafts(context)
    request_id, mine.send_back = mine.send_back, None
    if not isinstance(request_id, int) or context.programme is None or context.member is None:
        await message.reply_text(expired(context.t))
        return END
    done = await usecase.decide(
        context.session,
        programme=context.programme,
        request_id=request_id,
        approve=False,
        reason=text,
        actor=actor_of(context),
        now=context.svc.clock.now(),
    )
    if not isinstance(done, usecase.Decided):
        said = _refusal(context, done)
    elif done.extension:
        said = context.t._("Refused. The owner has the reason.")
    else:
        said = context.t._("Sent back. The owner has the reason.")
    context.reply(lambda: message.reply_text(said))  # once the decision stands
    return END


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def pending(update: Update, context: CadenceContext) -> None:
    """/pending: open requests, oldest first, each with its buttons."""
    message = update.effective_message
    assert message is not None and context.member is not None
    ids = await decisions.pending(context.session, programme_id=context.programme_id)
    t = context.t
    if not ids:
        await message.reply_text(t._("No sign-off requests are waiting."))
        return
    views = [v for i in ids if (v := await decisions.view(context.session, request_id=i))]
    extensions = sum(v.request.kind == EXTENSION for v in views)
    await message.reply_text(waiting_head(t, len(views) - extensions, extensions))
    me = await context.session.get(Person, context.member.person_id)
    assert me is not None
    for view in views:
        await send_copy(context, view, me)
