"""催办: the reminder to whoever has not answered this period's dispatch yet."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import today_in
from core.domain.model import ANSWERABLE, Beat
from core.domain.reply_by import reply_by
from core.render.dispatch import nudge_text
from core.render.keyboards import measures_keyboard
from storage import dispatch_items, measures
from storage.models import DispatchItem, Programme
from storage.outbox_plan import flush_and_forget, plan
from storage.programmes import rhythm_of
from usecases.buttons import ordered
from usecases.dispatch import PLAN_BATCH, audience, tr_for


async def nudge(
    session: AsyncSession, *, programme: Programme, period: str, now: datetime, expires: datetime
) -> int:
    """Plan one reminder (催办) to whoever has not answered this period's dispatch yet."""
    assert programme.id is not None
    pid, today = programme.id, today_in(now, programme.timezone)
    pending = [
        i
        for i in await dispatch_items.items(session, programme_id=pid, period=period)
        if i.delivered and not i.answered and not i.nudged
    ]
    facts = {
        m.id: (m, f)
        for m, f in await measures.facts(session, programme_id=pid)
        if f.status in ANSWERABLE
    }
    persons, locales = await audience(session, pid)
    by = reply_by(rhythm_of(programme), Beat.NUDGE, now)
    by_recipient: dict[int, list[DispatchItem]] = defaultdict(list)
    for item in pending:
        if item.measure_id in facts and item.recipient_id is not None:
            by_recipient[item.recipient_id].append(item)
    planned = 0
    written: list[object] = []
    for n, (recipient_id, its) in enumerate(by_recipient.items(), start=1):
        recipient = persons[recipient_id]
        if recipient.telegram_user_id is None:
            continue
        t = tr_for(locales, recipient, programme)
        listed = ordered([facts[i.measure_id] for i in its], today)
        text = nudge_text(t, [f for _, f in listed], today, by)
        message = plan(
            session,
            programme_id=pid,
            beat=Beat.NUDGE.value,
            period=period,
            key=str(recipient.id),
            chat_id=recipient.telegram_user_id,
            text=text,
            markup=measures_keyboard(
                t, listed, today, scope="unanswered", person_id=recipient_id, replyable=True
            ),
            person=recipient,
            measure_ids=[i for i, _ in listed],
            locale=t.locale,
            now=now,
            expires=expires,
        )
        planned += 1
        for item in its:
            item.nudged = True
            session.add(item)
        written += [message, *its]
        if n % PLAN_BATCH == 0:
            await flush_and_forget(session, written)
    await flush_and_forget(session, written)
    return planned
