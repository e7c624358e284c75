"""Buttons under an escalation or a blocked alert: ask the owner again, read their latest answer."""

from __future__ import annotations

from telegram import Update

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.model import Role
from core.domain.workcal import CalendarKind, add_workdays
from core.i18n import tr
from core.render import callbacks
from core.render.alerts import chase_text, latest_text
from core.render.keyboards import measures_keyboard
from handlers.gate import Where, gate, measure_programme
from handlers.send import answer_query, send_long
from storage import audit, measures, people
from storage.models import Person
from usecases.notices import tell


@gate(Role.LEADER, Role.COORDINATOR, where=Where.ANY, programme_of=measure_programme)
async def chase_button(update: Update, context: CadenceContext) -> None:
    """Remind the owner of one measure (with its answer button), or show the latest answer."""
    query = update.callback_query
    assert query is not None and context.programme is not None and query.message is not None
    t, programme, s = context.t, context.programme, context.session
    button = context.pressed(callbacks.Chase)
    m = (
        await measures.by_id(s, programme_id=context.programme_id, measure_id=button.measure_id)
        if button
        else None
    )
    if button is None or m is None or m.id is None:
        await answer_query(query, t._("This button has expired."), alert=True)
        return
    said = (await measures.latest_answers(s, programme_id=m.programme_id, measure_id=m.id)).get(
        m.id
    )
    chat_id = query.message.chat.id
    if button.action == "latest":
        await answer_query(query, "")
        await send_long(context.bot, chat_id, latest_text(t, m.code, m.text, said))
        return
    owner = await s.get(Person, m.owner_id)
    if owner is None or owner.telegram_user_id is None:
        name = owner.name if owner else "?"
        await answer_query(
            query,
            t._("{name} has not opened their invite yet: nobody could be reminded.", name=name),
            alert=True,
        )
        return
    now = context.svc.clock.now()
    today = today_in(now, programme.timezone)
    due = add_workdays(today, 1, CalendarKind(programme.calendar))
    locales = await people.locales_of(s, user_ids=[owner.telegram_user_id])
    locale = locales.get(owner.telegram_user_id) or programme.locale
    to = tr(locale)
    facts = [(mm.id or 0, f) for mm, f in await measures.facts(s, programme_id=m.programme_id)]
    mine = [(i, f) for i, f in facts if i == m.id]
    by = context.member.person_name if context.member is not None else t._("The task force")
    text = chase_text(to, by=by, code=m.code, text=m.text, due=to.when(due, today))
    keyboard = measures_keyboard(to, mine, today, scope="open", person_id=owner.id or 0)
    audit.record(
        s,
        programme_id=m.programme_id,
        actor=context.actor,
        action="measure.remind",
        entity="measure",
        entity_id=m.id,
        after={"owner": owner.name, "by": by},
        now=now,
    )
    # planned with the record: it leaves once both are stored (held while they are unreachable)
    tell(
        s, programme_id=m.programme_id, about=f"remind:{m.id}", person=owner, text=text,
        now=now, markup=keyboard, locale=locale,
    )  # fmt: skip
    if owner.unreachable_since is not None:
        await answer_query(query, t._("{name} could not be reached.", name=owner.name), alert=True)
        return
    await answer_query(query, t._("Reminder sent to {name}.", name=owner.name))
