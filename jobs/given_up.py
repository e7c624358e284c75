"""Messages whose period ended undelivered: given up, and coordinators told who missed what."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot

from bot.context import Services
from core.domain.model import Role
from core.i18n import Tr, tr
from jobs.outbox import sender_of
from storage import outbox, people, programmes
from storage.documents import day_in
from storage.models import OutboxMessage
from storage.outbox_plan import plan


def _what(t: Tr, beat: str) -> str:
    names = {
        "dispatch": t._("weekly dispatch"),
        "nudge": t._("reminder"),
        "escalation": t._("escalation"),
        "review": t._("fortnightly review"),
        "report": t._("monthly report"),
        "lookback": t._("look-back question"),
        "reminder": t._("deadline reminder"),
    }
    return names.get(beat, beat)


async def report_given_up(bot: Bot, svc: Services) -> int:
    """Messages whose period ended undelivered are given up, and coordinators are told who missed what."""
    now = svc.clock.now()
    async with svc.database.session() as s:
        rows = await outbox.expired(s, now=now)
        by_programme: dict[int, list[OutboxMessage]] = {}
        for row in rows:
            row.state, row.reported = outbox.FAILED, True
            s.add(row)
            if row.beat != "giveup":
                by_programme.setdefault(row.programme_id, []).append(row)
        for pid, lost in by_programme.items():
            await _tell_coordinators(s, pid, lost, now)
    if by_programme:
        await sender_of(svc).deliver(bot, budget=30.0)
    return sum(len(v) for v in by_programme.values())


async def _tell_coordinators(
    s: AsyncSession, pid: int, lost: list[OutboxMessage], now: datetime
) -> None:
    persons = await people.persons(s, programme_id=pid)
    coordinators = [
        p
        for p in await people.with_role(s, programme_id=pid, role=Role.COORDINATOR)
        if p.telegram_user_id
    ]
    locales = await people.locales_of(
        s, user_ids=[p.telegram_user_id for p in coordinators if p.telegram_user_id]
    )
    programme = await programmes.by_id(s, programme_id=pid)
    tz = programme.timezone if programme is not None else "UTC"
    for c in coordinators:
        assert c.telegram_user_id is not None
        t = tr(locales.get(c.telegram_user_id) or lost[0].locale or None)
        lines = [
            t._(
                "{what}, {date}: {who}",
                what=_what(t, r.beat),
                date=t.short_date(day_in(r.created_at, tz)),
                who=persons[r.person_id].name if r.person_id in persons else t._("group chat"),
            )
            for r in lost
        ]
        plan(
            s,
            programme_id=pid,
            beat="giveup",
            period=now.isoformat(),
            key=str(c.id),
            chat_id=c.telegram_user_id,
            person=c,
            text="\n".join(
                [
                    t.n_(
                        "⚠️ {n} message could not be delivered before its period ended:",
                        "⚠️ {n} messages could not be delivered before their period ended:",
                        len(lost),
                    ),
                    "",
                    *lines,
                ]
            ),
            now=now,
            expires=now + timedelta(days=1),
        )
