"""/history CODE: a measure's recorded steps, for coordinators, leaders and its owner."""

from __future__ import annotations

from telegram import Update

from bot.context import CadenceContext
from core.domain.model import Role
from core.render.limits import echo
from handlers.gate import Where, gate
from handlers.send import reply_long
from storage import history
from usecases.history import measure_history


@gate(Role.COORDINATOR, Role.LEADER, Role.OWNER, where=Where.ANY)
async def history_command(update: Update, context: CadenceContext) -> None:
    """/history CODE."""
    message = update.effective_message
    assert message is not None and context.programme is not None
    t = context.t
    code = " ".join(context.args or []).strip()
    if not code:
        await message.reply_text(
            t._("Please name the measure: /history CODE, for example /history 1.2.3")
        )
        return
    measure = await history.measure_by_code(
        context.session, programme_id=context.programme_id, code=code
    )
    held = context.member.roles if context.member else frozenset()
    sees_all = context.is_admin or bool(held & {Role.COORDINATOR, Role.LEADER})
    mine = (
        context.member is not None
        and measure is not None
        and measure.owner_id == context.member.person_id
    )
    if measure is None or not (sees_all or mine):
        # an owner asking about someone else's measure learns no more than a wrong code would
        await message.reply_text(
            t._("No measure {code} among the measures you can see.", code=echo(code))
        )
        return
    await reply_long(message, await measure_history(context.session, t, context.programme, measure))
