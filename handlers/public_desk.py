"""群众监督, the task force's side: 受理, 转办 and 答复 under an item."""

from __future__ import annotations

from telegram import ForceReply, Message, Update
from telegram.ext import ConversationHandler

from bot.context import CadenceContext
from core.domain.model import Role
from core.domain.public import MAX_TEXT
from core.render.callbacks_public import PublicAct
from handlers.answer_draft import typed_text
from handlers.drafts import drafts
from handlers.gate import Where, actor_of, gate
from handlers.send import answer_query
from storage import public
from storage.models_public import PublicItem
from usecases import public as channel
from usecases.public import Outcome, Step

ANSWER = 0
END = ConversationHandler.END
ANSWERING = "public_answering"  # UserDrafts: the id of the item being answered


async def _item_programme(update: Update, context: CadenceContext) -> int | None:
    """The programme of the item a button names, or of the item being answered."""
    button = context.pressed(PublicAct)
    if button is not None:
        item_id: object = button.item_id
    else:
        item_id = drafts(context).public_answering
    if not isinstance(item_id, int):
        return None
    return await channel.item_programme(context.session, item_id=item_id)


async def _item(context: CadenceContext, item_id: int) -> PublicItem | None:
    """The item, if it belongs to the programme the caller acts in."""
    found = await public.item(context.session, item_id=item_id)
    if found is None or context.programme is None or found.programme_id != context.programme.id:
        return None
    return found


def _said(context: CadenceContext, step: Step, act: str) -> tuple[str, bool]:
    """(text, alert): the reply to the coordinator."""
    t, n = context.t, step.number
    if step.outcome is Outcome.NO_MEASURE:
        return t._(
            "Public comment No. {number} names no measure, so it cannot be forwarded: answer "
            "it yourself.",
            number=n,
        ), True
    if step.outcome is Outcome.UNBOUND:
        return t._(
            "{owner}, owner of {code}, is not bound to the bot yet, so the comment cannot be "
            "forwarded. Send them an invite link, or answer it yourself.",
            owner=step.by,
            code=step.code,
        ), True
    if step.outcome is Outcome.ALREADY and act == "accept":
        return t._(
            "{name} already accepted public comment No. {number}.", name=step.by, number=n
        ), True
    if step.outcome is Outcome.ALREADY:
        return t._(
            "Public comment No. {number} was already forwarded to {owner}.", number=n, owner=step.by
        ), True
    if act == "accept":
        return t._("{name} accepted public comment No. {number}.", name=step.by, number=n), False
    return t._(
        "Public comment No. {number} was forwarded to {owner}, owner of {code}.",
        number=n,
        owner=step.by,
        code=step.code,
    ), False


@gate(Role.COORDINATOR, where=Where.ANY, programme_of=_item_programme)
async def act(update: Update, context: CadenceContext) -> int | None:
    """受理 or 转办 at once; 答复 asks for the answer's text."""
    query, button = update.callback_query, context.pressed(PublicAct)
    assert query is not None and context.programme is not None
    item = await _item(context, button.item_id) if button else None
    if button is None or item is None or not isinstance(query.message, Message):
        await answer_query(query, context.t._("This button has expired."), alert=True)
        return END
    now = context.svc.clock.now()
    actor, t = actor_of(context), context.t
    if button.act == "answer":
        if item.answered_at is not None:
            await answer_query(
                query,
                t._("Public comment No. {number} has already been answered.", number=item.number),
                alert=True,
            )
            return END
        drafts(context).public_answering = item.id
        await query.answer()
        await query.message.reply_text(
            t._(
                "{name}, please reply to this message with the answer to public comment No. "
                "{number}, at most {n} characters; it goes to the person who sent it. /cancel "
                "leaves without answering.",
                name=actor.name,
                number=item.number,
                n=t.num(MAX_TEXT),
            ),
            reply_markup=ForceReply(selective=True),
        )
        return ANSWER
    use = channel.accept if button.act == "accept" else channel.forward
    step = await use(context.session, programme=context.programme, actor=actor, item=item, now=now)
    text, alert = _said(context, step, button.act)
    if alert:
        await answer_query(query, text, alert=True)
        return END
    await query.answer()
    message = query.message
    context.reply(lambda: message.reply_text(text))  # once it is recorded
    return END


@gate(Role.COORDINATOR, where=Where.ANY, programme_of=_item_programme)
async def answer(update: Update, context: CadenceContext) -> int | None:
    """The answer's text: recorded, and it goes to the sender."""
    message = update.effective_message
    assert message is not None
    t = context.t
    text = await typed_text(message, context.t, MAX_TEXT)
    if text is None:
        return ANSWER
    mine = drafts(context)
    item_id, mine.public_answering = mine.public_answering, None
    item = await _item(context, item_id) if isinstance(item_id, int) else None
    if item is None or context.programme is None:
        await message.reply_text(t._("This button has expired."))
        return END
    step = await channel.answer(
        context.session,
        programme=context.programme,
        actor=actor_of(context),
        item=item,
        text=text,
        now=context.svc.clock.now(),
    )
    if step.outcome is Outcome.ALREADY:
        said = t._("Public comment No. {number} has already been answered.", number=step.number)
        await message.reply_text(said)
        return END
    said = t._(
        "The answer to public comment No. {number} is recorded and goes to the person who sent it.",
        number=step.number,
    )
    context.reply(lambda: message.reply_text(said))
    return END


@gate(Role.COORDINATOR, where=Where.ANY, programme_of=_item_programme)
async def cancel(update: Update, context: CadenceContext) -> int:
    """/cancel: no answer."""
    assert update.effective_message is not None
    drafts(context).public_answering = None
    await update.effective_message.reply_text(context.t._("Cancelled: nothing was answered."))
    return END
