"""提请督办: silence of two dispatches goes to the responsible leader, else to the task force."""

from __future__ import annotations

from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.dispatches import silent_streak
from core.domain.lights import SILENT_DISPATCHES
from core.domain.model import MeasureFacts, Role
from core.i18n import tr
from core.render.alerts import escalation_text, unheard_escalation_text
from core.render.keyboards import chase_keyboard
from storage import dispatch_items, people
from storage.models import Measure, Person, Programme
from storage.outbox_plan import plan

BEAT = "escalation"


async def escalate(
    session: AsyncSession,
    *,
    programme: Programme,
    period: str,
    now: datetime,
    expires: datetime,
    persons: dict[int, Person],
    locales: dict[int, str],
    open_rows: list[tuple[Measure, MeasureFacts]],
) -> int:
    """Tell the responsible leader, once per silence, of measures silent two dispatches or more.

    A leader who is not bound or cannot be reached is not told in vain: the task force is,
    in its chat or else each coordinator, with the name of the leader who should have been.
    """
    assert programme.id is not None
    pid = programme.id
    by_measure = await dispatch_items.since_last_answer(session, programme_id=pid, before=period)
    told = 0
    for m, f in open_rows:
        run = silent_streak(by_measure.get(m.id or 0, []))
        if len(run) < SILENT_DISPATCHES or any(i.escalated for i in run):
            continue
        for item in run:
            item.escalated = True
            session.add(item)
        leader = persons.get(m.leader_id or 0)
        if leader is not None and leader.telegram_user_id and leader.unreachable_since is None:
            t = tr(locales.get(leader.telegram_user_id) or programme.locale)
            plan(
                session,
                programme_id=pid,
                beat=BEAT,
                period=period,
                key=f"{leader.id}:{m.id}",
                chat_id=leader.telegram_user_id,
                text=escalation_text(t, f, len(run)),
                markup=chase_keyboard(t, m.id or 0),
                person=leader,
                locale=t.locale,
                now=now,
                expires=expires,
            )
        else:
            await _to_task_force(
                session, programme, m, f, leader, len(run), period=period, now=now, expires=expires
            )
        told += 1
    return told


async def _to_task_force(
    session: AsyncSession,
    programme: Programme,
    m: Measure,
    f: MeasureFacts,
    leader: Person | None,
    missed: int,
    *,
    period: str,
    now: datetime,
    expires: datetime,
) -> None:
    """The task-force chat hears of an escalation no leader can; without one, each coordinator."""
    assert programme.id is not None

    def text(locale: str | None) -> tuple[str, str]:
        t = tr(locale)
        return t.locale, unheard_escalation_text(
            t,
            f,
            missed,
            leader=leader.name if leader else None,
            bound=leader is not None and leader.telegram_user_id is not None,
        )

    if programme.taskforce_chat_id is not None:
        locale, body = text(programme.locale)
        plan(
            session,
            programme_id=programme.id,
            beat=BEAT,
            period=period,
            key=f"tf:{m.id}",
            chat_id=programme.taskforce_chat_id,
            text=body,
            markup=chase_keyboard(tr(programme.locale), m.id or 0),
            locale=locale,
            now=now,
            expires=expires,
        )
        return
    coordinators = [
        c
        for c in await people.with_role(session, programme_id=programme.id, role=Role.COORDINATOR)
        if c.telegram_user_id
    ]
    locales = await people.locales_of(
        session, user_ids=[c.telegram_user_id or 0 for c in coordinators]
    )
    for c in coordinators:
        assert c.telegram_user_id is not None
        locale, body = text(locales.get(c.telegram_user_id) or programme.locale)
        plan(
            session,
            programme_id=programme.id,
            beat=BEAT,
            period=period,
            key=f"tf:{c.id}:{m.id}",
            chat_id=c.telegram_user_id,
            text=body,
            markup=chase_keyboard(tr(locale), m.id or 0),
            person=c,
            locale=locale,
            now=now,
            expires=expires,
        )
