"""Co-units' shares (多级交办): /invites co-unit, and a liaison answering their unit's part."""

from __future__ import annotations

from telegram import Message, Update

from bot.context import CadenceContext
from core.domain.model import Role
from core.domain.numbers import PercentProblem
from core.domain.shares import read_share
from core.render import callbacks
from handlers.answer_draft import END, MAX_TEXT, expired
from handlers.drafts import ShareDraft, drafts
from handlers.gate import Where, actor_of, gate, measure_programme
from handlers.invites_out import invite_link
from handlers.send import answer_query
from storage import measures
from usecases import shares
from usecases.shares import NoShare, Share

CO_UNIT_WORDS = ("co-unit", "counit", "配合单位", "责任单位")
WORDS = 0  # the conversation's one state: waiting for the share's words


def _draft_programme(context: CadenceContext) -> int | None:
    found = drafts(context).share
    return found.programme_id if found is not None else None


async def share_programme(update: Update, context: CadenceContext) -> int | None:
    """The programme of the share being answered."""
    return _draft_programme(context)


async def co_unit_invites(message: Message, context: CadenceContext, args: list[str]) -> None:
    """/invites co-unit UNIT [CODE]: the co-unit's liaison bound to its share, with a link."""
    t = context.t
    if len(args) not in (2, 3):
        await message.reply_text(
            t._(
                "Usage: /invites co-unit UNIT [CODE]: an invite link for the liaison of a co-unit, "
                "for its share of one measure or of every open measure it co-operates on."
            )
        )
        return
    unit, code = args[1], args[2] if len(args) == 3 else None
    days = context.svc.settings.cadence_invite_days
    done = await shares.invite(
        context.session, programme_id=context.programme_id, unit=unit, code=code,
        actor=context.actor, now=context.svc.clock.now(), days=days,
    )  # fmt: skip
    if done is NoShare.UNIT:
        await message.reply_text(
            t._(
                "{unit} is not a co-unit of any open measure. Check the name in the ledger.",
                unit=unit,
            )
        )
        return
    if done is NoShare.MEASURE:
        await message.reply_text(
            t._("{unit} is not a co-unit of open measure {code}.", unit=unit, code=code or "")
        )
        return
    assert not isinstance(done, NoShare)
    codes = t.join(done.codes)
    if done.token is None:
        text = t._(
            "{name} already uses the bot: from the next weekly dispatch they also report {unit}'s "
            "share of {codes}.",
            name=done.person.name, unit=unit, codes=codes,
        )  # fmt: skip
    else:
        text = t._(
            "Invite link for the liaison of co-unit {unit}, for its share of {codes} (valid {days} "
            "days; it works once): {link}",
            unit=unit, codes=codes, days=days, link=invite_link(context.bot.username, done.token),
        )  # fmt: skip
    # once the token is committed: with people's updates side by side, a link shown earlier could
    # be opened before it exists and be called invalid
    context.reply(lambda: message.reply_text(text))


@gate(Role.LIAISON, where=Where.PRIVATE, programme_of=measure_programme)
async def start(update: Update, context: CadenceContext) -> int | None:
    """A share's button in the liaison's dispatch: ask for the unit's words."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    button = context.pressed(callbacks.ShareAnswer)
    if button is None:
        await answer_query(query, expired(context.t), alert=True)
        return None
    m = await measures.by_id(
        context.session, programme_id=context.programme_id, measure_id=button.measure_id
    )
    if m is None:
        await answer_query(
            query, context.t._("This measure is no longer in the ledger."), alert=True
        )
        return None
    await query.answer()
    assert m.id is not None
    drafts(context).share = ShareDraft(measure_id=m.id, code=m.code, programme_id=m.programme_id)
    await query.message.reply_text(
        context.t._(
            "Write your unit's progress on its share of {code}; you may start with a percentage, "
            "such as “60%, survey done”. /cancel leaves without saving.",
            code=m.code,
        )
    )
    return WORDS


@gate(Role.LIAISON, where=Where.PRIVATE, programme_of=share_programme)
async def words(update: Update, context: CadenceContext) -> int | None:
    """The share's words (and percentage): recorded as the co-unit's, not the measure's answer."""
    message = update.effective_message
    assert message is not None
    t, text = context.t, (message.text or "").strip()
    if len(text) > MAX_TEXT:
        await message.reply_text(
            t._("That is too long: at most {n} characters, please.", n=MAX_TEXT)
        )
        return WORDS
    read = read_share(text)
    if isinstance(read, PercentProblem) or not read[1]:
        await message.reply_text(
            t._(
                "Please write a few words on the progress, optionally after a percentage from 0 to 100."
            )
        )
        return WORDS
    mine = drafts(context)
    asking, mine.share = mine.share, None
    percent, said = read
    done = await shares.answer(
        context.session, programme_id=context.programme_id, actor=actor_of(context),
        share=Share(asking.measure_id if asking else 0, said, percent), now=context.svc.clock.now(),
    )  # fmt: skip
    if done is None:
        await message.reply_text(t._("This share is no longer yours to answer."))
        return END
    m, unit = done
    reply = t._(
        "Saved: {unit}'s progress on {code}. The lead owner sees it when answering.",
        unit=unit, code=m.code,
    )  # fmt: skip
    context.reply(lambda: message.reply_text(reply))
    return END
