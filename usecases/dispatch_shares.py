"""The co-units' lines of the weekly dispatch: each liaison their own message for their shares."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import today_in
from core.domain.absence import Away, recipient
from core.domain.model import Beat
from core.i18n import tr
from core.render.shares import share_dispatch, share_keyboard
from storage import people, shares
from storage.models import Person, Programme
from storage.outbox_plan import plan

KEY = "share:"  # the outbox key of a liaison's share message, beside the owners' own


async def plan_shares(
    session: AsyncSession,
    *,
    programme: Programme,
    period: str,
    now: datetime,
    expires: datetime,
    by: datetime | None,
    persons: Mapping[int, Person],
    away: Mapping[int, Away],
) -> int:
    """Plan one message per liaison with open shares, to whoever the domain's rule names
    (core.domain.absence.recipient: the liaison, or their stand-in while away)."""
    assert programme.id is not None
    today = today_in(now, programme.timezone)
    bound = {i for i, p in persons.items() if p.telegram_user_id is not None}
    units = await people.unit_names(session, programme_id=programme.id)
    planned = 0
    for person_id, mine in (await shares.open_shares(session, programme_id=programme.id)).items():
        to = recipient(person_id, away, bound)
        if to is None or to not in bound or not mine:
            continue
        reader = persons[to]
        locale = (await people.locales_of(session, user_ids=[reader.telegram_user_id or 0])).get(
            reader.telegram_user_id or 0
        ) or programme.locale
        t = tr(locale)
        items = [(m.code, m.text, units.get(m.lead_unit_id, ""), unit) for m, unit in mine]
        plan(
            session, programme_id=programme.id, beat=Beat.DISPATCH.value, period=period,
            key=f"{KEY}{person_id}", chat_id=reader.telegram_user_id or 0,
            text=share_dispatch(t, persons[person_id].name, items, today, by),
            markup=share_keyboard(t, [(m.id or 0, m.code) for m, _ in mine]),
            person=reader, measure_ids=[], locale=t.locale, now=now, expires=expires,
        )  # fmt: skip
        planned += 1
    return planned
