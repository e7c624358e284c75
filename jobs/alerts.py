"""Alerts sent at once, outside the rhythm: the people who decide hear of a blocked measure."""

from __future__ import annotations

from datetime import date, datetime

from telegram import Bot

from bot.domain.model import Role
from bot.i18n import tr
from bot.render.alerts import absence_text, blocked_text
from bot.render.keyboards import chase_keyboard
from jobs.send import send, to_person
from storage import lookup, measures, people, programmes
from storage.db import Database
from storage.models import Absence, Measure


async def blocked(bot: Bot, database: Database, *, measure_id: int, now: datetime) -> int:
    """Tell the measure's responsible leader and the task-force chat; returns how many heard."""
    async with database.session() as s:
        m = await s.get(Measure, measure_id)
        if m is None or m.id is None:
            return 0
        programme = await programmes.by_id(s, programme_id=m.programme_id)
        said = (await measures.latest_answers(s, programme_id=m.programme_id, measure_id=m.id)).get(
            m.id
        )
        if programme is None or said is None:
            return 0
        leader, unit = await lookup.leader_and_unit(s, measure=m)
        measure = m

        def text(locale: str | None) -> str:
            return blocked_text(
                tr(locale),
                code=measure.code,
                text=measure.text,
                owner=said.by,
                unit=unit,
                due=measure.deadline,
                said=said,
            )

        told = 0
        if leader is not None and leader.telegram_user_id:
            locales = await people.locales_of(s, user_ids=[leader.telegram_user_id])
            mine = locales.get(leader.telegram_user_id) or programme.locale
            follow = chase_keyboard(tr(mine), m.id, blocked=True)
            told += await to_person(bot, leader, text(mine), now, follow) is not None
            s.add(leader)
        if programme.taskforce_chat_id is not None:
            follow = chase_keyboard(tr(programme.locale), m.id, blocked=True)
            chat = programme.taskforce_chat_id
            told += await send(bot, chat, text(programme.locale), follow) is not None
        return told


async def away(bot: Bot, database: Database, *, absence_id: int, today: date, now: datetime) -> int:
    """Tell every bound coordinator of an absence and its delegate; returns how many heard."""
    async with database.session() as s:
        absence = await s.get(Absence, absence_id)
        if absence is None:
            return 0
        persons = await people.persons(s, programme_id=absence.programme_id)
        programme = await programmes.by_id(s, programme_id=absence.programme_id)
        coordinators = [
            p
            for p in await people.with_role(
                s, programme_id=absence.programme_id, role=Role.COORDINATOR
            )
            if p.telegram_user_id and p.id != absence.person_id
        ]
        locales = await people.locales_of(
            s, user_ids=[p.telegram_user_id or 0 for p in coordinators]
        )
        delegate = persons.get(absence.delegate_id or 0)
        told = 0
        for p in coordinators:
            t = tr(
                locales.get(p.telegram_user_id or 0) or (programme.locale if programme else None)
            )
            text = absence_text(
                t,
                name=persons[absence.person_id].name,
                start=t.when(absence.start, today),
                end=t.when(absence.end, today),
                delegate=delegate.name if delegate else None,
            )
            told += await to_person(bot, p, text, now) is not None
            s.add(p)
        return told
