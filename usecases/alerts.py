"""Alerts outside the rhythm, planned with what they tell of: a blocked measure, an absence, its end."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Role
from core.i18n import Tr, tr
from core.render.alerts import (
    absence_text,
    back_text,
    blocked_text,
    stand_in_ended_text,
    stand_in_text,
)
from core.render.keyboards import chase_keyboard
from core.render.plain_keys import Keyboard
from storage import lookup, measures, people, programmes
from storage.absences import Ended
from storage.models import Measure, Person
from storage.models_people import Absence
from usecases.notices import tell


async def blocked(s: AsyncSession, *, measure_id: int, now: datetime) -> int:
    """Tell the measure's responsible leader and the task-force chat; returns how many are told."""
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
        about = f"blocked:{m.id}"
        told += _told(s, m.programme_id, about, leader, text(mine), now, follow, mine)
    if programme.taskforce_chat_id is not None:
        follow = chase_keyboard(tr(programme.locale), m.id, blocked=True)
        row = tell(
            s, programme_id=m.programme_id, about=f"blocked:{m.id}", now=now,
            chat_id=programme.taskforce_chat_id, text=text(programme.locale), markup=follow,
            locale=programme.locale,
        )  # fmt: skip
        told += row is not None
    return told


async def away(s: AsyncSession, *, absence_id: int, today: date, now: datetime) -> int:
    """Tell every bound coordinator of an absence and its delegate; returns how many are told."""
    absence = await s.get(Absence, absence_id)
    if absence is None:
        return 0
    persons = await people.persons(s, programme_id=absence.programme_id)
    programme = await programmes.by_id(s, programme_id=absence.programme_id)
    coordinators = [
        p
        for p in await people.with_role(s, programme_id=absence.programme_id, role=Role.COORDINATOR)
        if p.telegram_user_id and p.id != absence.person_id
    ]
    locales = await people.locales_of(s, user_ids=[p.telegram_user_id or 0 for p in coordinators])
    delegate = persons.get(absence.delegate_id or 0)
    told = 0
    for p in coordinators:
        t = tr(locales.get(p.telegram_user_id or 0) or (programme.locale if programme else None))
        text = absence_text(
            t,
            name=persons[absence.person_id].name,
            start=t.when(absence.start, today),
            end=t.when(absence.end, today),
            delegate=delegate.name if delegate else None,
        )
        told += _told(s, absence.programme_id, f"away:{absence_id}", p, text, now)
    if delegate is not None and delegate.telegram_user_id:
        [mine] = await _locales(s, [delegate], programme.locale if programme else None)
        text = stand_in_text(
            mine,
            owner=persons[absence.person_id].name,
            start=mine.when(absence.start, today),
            end=mine.when(absence.end, today),
        )
        told += _told(s, absence.programme_id, f"away:{absence_id}", delegate, text, now)
    return told


async def _locales(s: AsyncSession, whom: list[Person], fallback: str | None) -> list[Tr]:
    """Each person's language, in order (the programme's when they chose none)."""
    found = await people.locales_of(s, user_ids=[p.telegram_user_id or 0 for p in whom])
    return [tr(found.get(p.telegram_user_id or 0) or fallback) for p in whom]


async def back(
    s: AsyncSession, *, person_id: int, ended: list[Ended], today: date, now: datetime
) -> int:
    """Tell every bound coordinator, and each stand-in, that absences ended; how many are told."""
    me = await s.get(Person, person_id)
    if me is None or not ended:
        return 0
    pid = me.programme_id
    programme = await programmes.by_id(s, programme_id=pid)
    fallback = programme.locale if programme else None
    persons = await people.persons(s, programme_id=pid)
    coordinators = [
        p
        for p in await people.with_role(s, programme_id=pid, role=Role.COORDINATOR)
        if p.telegram_user_id and p.id != person_id
    ]
    told = 0
    for p, t in zip(coordinators, await _locales(s, coordinators, fallback), strict=True):
        lines = [
            back_text(
                t,
                name=me.name,
                start=t.when(e.start, today),
                end=t.when(e.end, today),
                begun=e.begun,
                delegate=persons[e.delegate_id].name if e.delegate_id in persons else None,
            )
            for e in ended
        ]
        told += _told(s, pid, f"back:{person_id}", p, "\n".join(lines), now)
    for e in ended:
        delegate = persons.get(e.delegate_id or 0)
        if delegate is None or not delegate.telegram_user_id:
            continue
        [t] = await _locales(s, [delegate], fallback)
        text = stand_in_ended_text(
            t,
            owner=me.name,
            start=t.when(e.start, today),
            end=t.when(e.end, today),
            begun=e.begun,
        )
        told += _told(s, pid, f"back:{person_id}", delegate, text, now)
    return told


def _told(
    s: AsyncSession,
    programme_id: int,
    about: str,
    person: Person,
    text: str,
    now: datetime,
    markup: Keyboard | None = None,
    locale: str = "",
) -> bool:
    """Plan one private notice; whether the person has a chat to get it in."""
    row = tell(
        s, programme_id=programme_id, about=about, person=person, text=text, now=now,
        markup=markup, locale=locale,
    )  # fmt: skip
    return row is not None
