"""Sign-off (销号): coordinators get each request, the first decision wins, every copy shows it."""

from __future__ import annotations

import logging

from telegram import Message, Update
from telegram.ext import ConversationHandler

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.model import Role, Status
from core.i18n import Tr, tr
from core.render import callbacks, labels
from core.render.decisions import (
    Request,
    Verdict,
    already,
    verdict_line,
    waiting_head,
)
from core.render.keyboards import answer_choices
from handlers.answer_draft import SENDING_BACK, expired, step
from handlers.gate import Where, gate
from handlers.send import answer_query
from handlers.signoff_copies import (
    edit_copies,
    local_views,
    locale_of,
    send_copy,
)
from storage import decisions, withdrawals
from storage.decisions import APPROVED, EXTENSION, RequestView
from storage.models import Person
from usecases.notices import tell

log = logging.getLogger(__name__)
REASON = 0
END = ConversationHandler.END
MAX_REASON = 1000


async def _request_programme(update: Update, context: CadenceContext) -> int | None:
    query = update.callback_query
    button = step(query.data if query else None, callbacks.Decide)
    if button is None:
        sending = (context.user_data or {}).get(SENDING_BACK)
        if isinstance(sending, int):
            return await decisions.programme_of_request(context.session, request_id=sending)
        return None
    return await decisions.programme_of_request(context.session, request_id=button.request_id)


async def _open_view(context: CadenceContext, request_id: int) -> RequestView | None:
    view = await decisions.view(context.session, request_id=request_id)
    if (
        view is None
        or context.programme is None
        or view.request.programme_id != context.programme_id
    ):
        return None
    return view


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_request_programme)
async def decide(update: Update, context: CadenceContext) -> int | None:
    """Approve or Send back on a request: approve at once, or ask for the reason."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    button = step(query.data, callbacks.Decide)
    view = await _open_view(context, button.request_id) if button else None
    if button is None or view is None or context.member is None:
        await answer_query(query, expired(context.t), alert=True)
        return END
    assert context.programme is not None
    gone = _overtaken(context, view)
    if gone is not None:
        await answer_query(query, gone, alert=True)
        return END
    request, verdict = local_views(context.programme, view)
    if verdict is not None:
        await answer_query(query, already(context.t, verdict), alert=True)
        return END
    if button.verdict == "back":
        await query.answer()
        assert context.user_data is not None
        context.user_data[SENDING_BACK] = button.request_id
        if request.extension is not None:
            ask = context.t._(
                "Why is the extension for {code} refused? Write the reason: the owner will read it. /cancel keeps the request open.",
                code=request.code,
            )
        else:
            ask = context.t._(
                "Why is {code} sent back? Write the reason: the owner will read it. /cancel keeps the request open.",
                code=request.code,
            )
        await query.message.reply_text(ask)
        return REASON
    await _decide(context, view, APPROVED, "")
    done = context.t._("Approved.") if request.extension else context.t._("Signed off.")
    await query.answer(done)
    return END


def _overtaken(context: CadenceContext, view: RequestView) -> str | None:
    """What to say of a request the ledger overtook (a re-import, or a status changed since):
    it is withdrawn and nothing is decided; None for a request still to decide."""
    request, measure = view.request, view.measure
    if withdrawals.stale(request, measure):
        now = context.svc.clock.now()
        withdrawals.withdraw(context.session, request, measure, actor=context.actor, now=now)
    if request.state != withdrawals.WITHDRAWN:
        return None
    return context.t._(
        "The sign-off request for {code} was withdrawn: the ledger now gives it as {status}. There is nothing to decide.",
        code=measure.code,
        status=labels.status(context.t, Status(measure.status)),
    )


async def _decide(context: CadenceContext, view: RequestView, verdict: str, reason: str) -> bool:
    """Claim the decision; if it is ours, settle the measure, commit, then tell everyone."""
    assert context.programme is not None and context.member is not None and view.request.id
    now = context.svc.clock.now()
    won = await decisions.claim(
        context.session,
        request_id=view.request.id,
        person_id=context.member.person_id,
        verdict=verdict,
        reason=reason,
        now=now,
    )
    if not won:
        return False
    await decisions.settle_measure(
        context.session,
        request=view.request,
        actor=context.actor,
        decider=context.member.person_name,
        today=today_in(now, context.programme.timezone),
        now=now,
    )
    await context.session.commit()  # the decision stands before anyone is told of it
    fresh = await decisions.view(context.session, request_id=view.request.id)
    assert fresh is not None
    await edit_copies(context, fresh)
    await _tell_owner(context, fresh)
    return True


async def _tell_owner(context: CadenceContext, view: RequestView) -> None:
    assert context.programme is not None
    owner = await context.session.get(Person, view.measure.owner_id)
    if owner is None or not owner.telegram_user_id:
        return
    locale = await locale_of(context, owner)
    t = tr(locale)
    request, verdict = local_views(context.programme, view)
    assert verdict is not None and view.measure.id is not None
    markup = None
    if request.extension is not None:
        text = _extension_news(t, request, verdict, view)
    elif verdict.approved:
        text = (
            t._("{code} is signed off (closed).", code=request.code)
            + "\n"
            + verdict_line(t, verdict)
        )
    else:
        text = "\n".join(
            [
                t._("{code} was sent back and is in progress again.", code=request.code),
                verdict_line(t, verdict),
                t._("Answer again below; when the work is done, ask for sign-off again."),
            ]
        )
        markup = answer_choices(t, view.measure.id)
    tell(
        context.session, programme_id=context.programme_id, about=f"decided:{view.request.id}",
        person=owner, text=text, now=context.svc.clock.now(), markup=markup, locale=locale,
    )  # fmt: skip


def _extension_news(t: Tr, request: Request, verdict: Verdict, view: RequestView) -> str:
    """What the owner reads once an extension is decided."""
    m = view.measure
    if verdict.approved:
        head = t._(
            "The deadline of {code} is now {date} (originally {original}).",
            code=request.code,
            date=t.date(m.deadline),
            original=t.date(m.original_deadline or m.deadline),
        )
    else:
        head = t._(
            "The extension for {code} was refused; the deadline stays {date}.",
            code=request.code,
            date=t.date(m.deadline),
        )
    return head + "\n" + verdict_line(t, verdict)


@gate(Role.COORDINATOR, where=Where.PRIVATE, programme_of=_request_programme)
async def reason(update: Update, context: CadenceContext) -> int | None:
    """The reason for sending back: the first decision wins, a later one is told who decided."""
    message = update.effective_message
    assert message is not None and context.user_data is not None
    text = (message.text or "").strip()
    if not text or len(text) > MAX_REASON:
        await message.reply_text(
            context.t._("That is too long: at most {n} characters, please.", n=MAX_REASON)
            if text
            else context.t._("Please describe it in a few words.")
        )
        return REASON
    request_id = context.user_data.pop(SENDING_BACK, None)
    view = await _open_view(context, request_id) if isinstance(request_id, int) else None
    if view is None:
        await message.reply_text(expired(context.t))
        return END
    gone = _overtaken(context, view)
    if gone is not None:
        await message.reply_text(gone)
        return END
    if not await _decide(context, view, decisions.REJECTED, text):
        fresh = await decisions.view(context.session, request_id=request_id or 0)
        assert fresh is not None and context.programme is not None
        _, verdict = local_views(context.programme, fresh)
        assert verdict is not None
        await message.reply_text(already(context.t, verdict))
        return END
    if view.request.kind == EXTENSION:
        await message.reply_text(context.t._("Refused. The owner has the reason."))
    else:
        await message.reply_text(context.t._("Sent back. The owner has the reason."))
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
