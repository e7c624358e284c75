"""随机抽查: draw signed-off measures from a seed the audit chain gives, and record the findings."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import today_in
from core.domain import spotcheck as rule
from core.domain.model import Beat, Role
from core.i18n import tr
from core.render.keyboards import answer_choices
from core.render.measures import short
from core.render.spotcheck import check_keyboard, check_text
from storage import beats, decisions, people, spotchecks
from storage.models import Measure, Person, Programme
from storage.models_closing import SpotCheck
from usecases.actor import Actor
from usecases.copies import evidence_messages, locale_of
from usecases.notices import tell

BOT = "bot"  # the audit's actor of a scheduled draw


@dataclass(frozen=True)
class Drawn:
    """What a draw did: how many it drew from, the codes drawn, those nobody apart can check."""

    candidates: int
    codes: tuple[str, ...]
    unassigned: tuple[str, ...]


async def draw(
    session: AsyncSession, *, programme: Programme, period: str, now: datetime, actor: str = BOT
) -> Drawn:
    """Draw from the measures signed off since the last draw, record it, send out the checks."""
    assert programme.id is not None
    found = await spotchecks.candidates(session, programme_id=programme.id)
    pool = spotchecks.as_candidates(found)
    day = today_in(now, programme.timezone)
    coordinators = [
        p
        for p in await people.with_role(session, programme_id=programme.id, role=Role.COORDINATOR)
        if p.telegram_user_id and p.id is not None
    ]
    units = await people.unit_names(session, programme_id=programme.id)
    checkers = [rule.Checker(p.id, units.get(p.unit_id or 0, "")) for p in coordinators if p.id]
    # the head is read last, then the draw recorded at once: it is the event's own prev_hash
    head = await spotchecks.head(session, programme_id=programme.id)
    seed = rule.seed_of(head, day)
    codes = rule.draw(seed, pool)
    by_code = {c.code: c for c in pool}
    assigned = rule.assign(seed, [by_code[c] for c in codes], checkers)
    event = spotchecks.record_draw(
        session,
        programme_id=programme.id,
        period=period,
        after={
            "head": head,
            "day": day.isoformat(),
            "seed": seed,
            "candidates": [[c.code, c.unit] for c in pool],
            "drawn": codes,
            "checkers": assigned,
        },
        actor=actor,
        now=now,
    )
    await session.flush()
    assert event.prev_hash == head, "an event slipped in between the head and the draw"
    measures = {m.code: m for m, _ in found}
    persons = {p.id: p for p in coordinators}
    for code in codes:
        m, checker_id = measures[code], assigned[code]
        assert m.id is not None
        row = spotchecks.add(
            session,
            programme_id=programme.id,
            measure_id=m.id,
            period=period,
            checker_id=checker_id,
            now=now,
        )
        await session.flush()
        if checker_id is None:
            await _tell_unassigned(session, programme, coordinators, code, by_code[code].unit, now)
        else:
            await _send_check(session, programme, persons[checker_id], row, now)
    unassigned = tuple(c for c in codes if assigned[c] is None)
    return Drawn(len(pool), tuple(codes), unassigned)


async def _send_check(
    session: AsyncSession, programme: Programme, checker: Person, row: SpotCheck, now: datetime
) -> None:
    """The checker gets the closing report's evidence, then the measure with 属实 · 不属实."""
    assert programme.id is not None and row.id is not None
    request_id = await spotchecks.latest_signoff(session, measure_id=row.measure_id)
    view = await decisions.view(session, request_id=request_id) if request_id else None
    m = await session.get_one(Measure, row.measure_id)
    owner = await session.get(Person, m.owner_id)
    units = await people.unit_names(session, programme_id=programme.id)
    locale = await locale_of(session, programme, checker)
    t = tr(locale)
    files = view.files if view else []
    for kind, payload in evidence_messages(files):
        tell(
            session, programme_id=programme.id, about=f"spotcheck-evidence:{row.id}",
            person=checker, text=payload, now=now, file=(kind, "", b""),
        )  # fmt: skip
    text = check_text(
        t,
        code=m.code,
        text=m.text,
        owner=owner.name if owner else "",
        unit=units.get(m.lead_unit_id, ""),
        closed_on=m.closed_on,
        report=view.request.report if view else "",
        files=len(files),
    )
    tell(
        session, programme_id=programme.id, about=f"spotcheck:{row.id}", person=checker,
        text=text, now=now, locale=locale, markup=check_keyboard(t, row.id),
    )  # fmt: skip


async def _tell_unassigned(
    session: AsyncSession,
    programme: Programme,
    coordinators: list[Person],
    code: str,
    unit: str,
    now: datetime,
) -> None:
    """Every coordinator is of the measure's lead unit: none may check it, and all are told so."""
    assert programme.id is not None
    for person in coordinators:
        locale = await locale_of(session, programme, person)
        text = tr(locale)._(
            "🔎 Random spot check: {code} was drawn, but every coordinator is of its lead unit, {unit}, so nobody may check it. It stays drawn and unchecked. Add a coordinator from another unit in /people so that later draws can be checked.",
            code=code,
            unit=unit,
        )
        tell(
            session, programme_id=programme.id, about=f"spotcheck-none:{code}", person=person,
            text=text, now=now, locale=locale,
        )  # fmt: skip


class Refused(StrEnum):
    """Why nothing was recorded."""

    EXPIRED = "expired"  # no such check in this programme
    NOT_YOURS = "not_yours"  # given to another coordinator
    ANSWERED = "answered"  # answered already


@dataclass(frozen=True)
class Answered:
    """The reply to the checker: the measure and the finding."""

    code: str
    untrue: bool


async def open_check(
    session: AsyncSession, *, programme: Programme, check_id: int, actor: Actor
) -> SpotCheck | Refused:
    """The check, if this coordinator may still answer it."""
    row = await session.get(SpotCheck, check_id)
    if row is None or row.programme_id != programme.id:
        return Refused.EXPIRED
    if row.checker_id != actor.person_id:
        return Refused.NOT_YOURS
    if row.verdict is not None:
        return Refused.ANSWERED
    return row


async def answer(
    session: AsyncSession,
    *,
    programme: Programme,
    actor: Actor,
    check_id: int,
    untrue: bool,
    note: str,
    now: datetime,
) -> Answered | Refused:
    """Record the first finding; 不属实 reopens the measure, the owner and the leader are told."""
    row = await open_check(session, programme=programme, check_id=check_id, actor=actor)
    if isinstance(row, Refused):
        return row
    m = await spotchecks.answer(
        session,
        row=row,
        verdict=rule.UNTRUE if untrue else rule.TRUE,
        note=note,
        person_id=actor.person_id,
        actor=actor.audit,
        now=now,
    )
    if m is None:
        return Refused.ANSWERED
    if untrue:
        assert programme.id is not None and m.id is not None
        for person_id in dict.fromkeys(p for p in (m.owner_id, m.leader_id) if p):
            person = await session.get(Person, person_id)
            if person is None:
                continue
            locale = await locale_of(session, programme, person)
            t = tr(locale)
            news = t._(
                "🔎 Random spot check: {code} {text} was found not true by {name}: {note}\nIt is reopened and back in the weekly dispatch.",
                code=m.code,
                text=short(m.text),
                name=actor.name,
                note=short(note, 300),
            )
            markup = answer_choices(t, m.id) if person_id == m.owner_id else None
            tell(
                session, programme_id=programme.id, about=f"spotcheck-untrue:{row.id}",
                person=person, text=news, now=now, locale=locale, markup=markup,
            )  # fmt: skip
    return Answered(code=m.code, untrue=untrue)


@dataclass(frozen=True)
class Earlier:
    """This month's draw was made already: when, and what it drew."""

    at: datetime
    codes: tuple[str, ...]


async def draw_now(
    session: AsyncSession, *, programme: Programme, actor: Actor, now: datetime
) -> Drawn | Earlier:
    """A coordinator's draw now: it is this month's, and the scheduled one then draws nothing."""
    assert programme.id is not None
    local = now.astimezone(ZoneInfo(programme.timezone))
    period = f"{local.year:04d}-{local.month:02d}"
    done = await beats.find(session, programme_id=programme.id, beat=Beat.SPOTCHECK, period=period)
    if done is None:
        done = await beats.claim(
            session,
            programme_id=programme.id,
            beat=Beat.SPOTCHECK,
            period=period,
            now=now,
            manual=True,
        )
        if done is not None:
            return await draw(
                session, programme=programme, period=period, now=now, actor=actor.audit
            )
        done = await beats.find(
            session, programme_id=programme.id, beat=Beat.SPOTCHECK, period=period
        )
    assert done is not None
    codes = await spotchecks.codes_of(session, programme_id=programme.id, period=period)
    return Earlier(at=done.sent_at.astimezone(local.tzinfo), codes=tuple(codes))
