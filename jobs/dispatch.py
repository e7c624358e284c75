"""一周一调度: the weekly dispatch, the nudge (催办) and the escalation to leaders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import today_in
from core.domain.absence import recipient
from core.domain.dispatches import answer_window
from core.domain.model import ANSWERABLE, Beat, MeasureFacts
from core.domain.periods import week_start
from core.domain.reply_by import reply_by
from core.i18n import Tr, tr
from core.render.dispatch import dispatch_text, nudge_text
from core.render.keyboards import measures_keyboard
from jobs.dispatch_shares import plan_shares
from jobs.escalate import escalate
from storage import absences, current_state, dispatch_items, measures, people
from storage.models import Absence, DispatchItem, Measure, Person, Programme
from storage.outbox_plan import flush_and_forget, plan
from storage.programmes import rhythm_of
from usecases.buttons import ordered

PLAN_BATCH = 100  # owners planned per flush: the session never holds a whole fan-out's rows


def _tr(locales: dict[int, str], person: Person, programme: Programme) -> Tr:
    return tr(locales.get(person.telegram_user_id or 0) or programme.locale)


async def _audience(session: AsyncSession, pid: int) -> tuple[dict[int, Person], dict[int, str]]:
    """Every person of the programme, and the language of those bound to Telegram."""
    persons = await people.persons(session, programme_id=pid)
    return persons, await _locales(session, persons)


async def _locales(session: AsyncSession, persons: dict[int, Person]) -> dict[int, str]:
    """The language of each person bound to Telegram who chose one."""
    return await people.locales_of(
        session, user_ids=[p.telegram_user_id for p in persons.values() if p.telegram_user_id]
    )


@dataclass(frozen=True)
class Seen:
    """The programme's people and who is away today, as `reach` read them."""

    persons: dict[int, Person]
    away: dict[int, Absence]


@dataclass(frozen=True)
class Planned:
    """What a dispatch planned: messages, owners with open measures, and who is not bound yet."""

    messages: int
    owners: int
    unbound: tuple[str, ...] = ()
    # what reach read, for the dispatch planned right after it in the same transaction
    seen: Seen | None = field(default=None, compare=False, repr=False)


def _recipient(
    owner: Person, persons: dict[int, Person], away: dict[int, Absence]
) -> Person | None:
    """The person the domain's rule names (core.domain.absence.recipient)."""
    found = recipient(owner.id or 0, away, _Bound(persons))
    return None if found is None else persons.get(found, owner)


@dataclass(frozen=True)
class _Bound:
    """The programme's people who use the bot, asked one at a time (only for owners away)."""

    persons: dict[int, Person]

    def __contains__(self, person_id: object) -> bool:
        p = self.persons.get(person_id) if isinstance(person_id, int) else None
        return p is not None and p.telegram_user_id is not None


async def reach(session: AsyncSession, *, programme: Programme, now: datetime) -> Planned:
    """Who a dispatch now would reach, without writing anything."""
    assert programme.id is not None
    pid, today = programme.id, today_in(now, programme.timezone)
    # the owners alone: their measures' facts (answers, silences) are the dispatch's to read
    owners = await measures.answerable_owners(session, programme_id=pid)
    persons = await people.persons(session, programme_id=pid)
    away = {a.person_id: a for a in await absences.on(session, programme_id=pid, day=today)}
    recipients = [_recipient(persons[o], persons, away) for o in owners]
    bound = [r for r in recipients if r is not None and r.telegram_user_id is not None]
    unbound = sorted(r.name for r in recipients if r is not None and r.telegram_user_id is None)
    return Planned(len(bound), len(owners), tuple(unbound), Seen(persons, away))


async def dispatch(
    session: AsyncSession,
    *,
    programme: Programme,
    period: str,
    now: datetime,
    expires: datetime,
    seen: Seen | None = None,
) -> Planned:
    """Plan one message per owner listing their open measures.

    The items are written with the plan, so an answer given while the fan-out is still
    going is credited, and the sender records each message as it goes. `seen`: what `reach`
    read just before in the same transaction (not read again).
    """
    assert programme.id is not None
    pid, today = programme.id, today_in(now, programme.timezone)
    rows = [
        (m, f) for m, f in await measures.facts(session, programme_id=pid) if f.status in ANSWERABLE
    ]
    if seen is None:
        persons, locales = await _audience(session, pid)
        away = {a.person_id: a for a in await absences.on(session, programme_id=pid, day=today)}
    else:
        persons, away = seen.persons, seen.away
        locales = await _locales(session, persons)
    existing = {
        i.measure_id: i
        for i in await dispatch_items.items(session, programme_id=pid, period=period)
    }
    replanned = list(existing)
    # the answer window is judged now, by the rhythm in force: a later schedule never rejudges it
    rhythm = rhythm_of(programme)
    answer_by, short = answer_window(rhythm, period, now)
    by = reply_by(rhythm, Beat.DISPATCH, now, answer_by)
    week = week_start(period)
    by_owner: dict[int, list[tuple[Measure, MeasureFacts]]] = defaultdict(list)
    for m, f in rows:
        by_owner[m.owner_id].append((m, f))
    planned, unbound = 0, []
    written: list[object] = []  # this batch's new rows, let go once flushed
    for n, (owner_id, mine) in enumerate(by_owner.items(), start=1):
        owner = persons[owner_id]
        recipient = _recipient(owner, persons, away)
        if recipient is None:
            continue  # paused while away: not counted as silence
        if recipient.telegram_user_id is not None:
            t = _tr(locales, recipient, programme)
            listed = ordered(mine, today)
            message = plan(
                session,
                programme_id=pid,
                beat=Beat.DISPATCH.value,
                period=period,
                # one message per owner's list: a stand-in who owns measures too gets two
                key=str(owner_id),
                chat_id=recipient.telegram_user_id,
                text=dispatch_text(
                    t,
                    owner.name,
                    recipient.name if recipient.id != owner.id else None,
                    [f for _, f in listed],
                    today,
                    week,
                    by,
                ),
                markup=measures_keyboard(
                    t, listed, today, scope="open", person_id=owner_id, replyable=True
                ),
                person=recipient,
                measure_ids=[i for i, _ in listed],
                locale=t.locale,
                now=now,
                expires=expires,
            )
            written.append(message)
            planned += 1
        else:
            unbound.append(recipient.name)
        for m, _ in mine:
            item = existing.pop(m.id or 0, None) or DispatchItem(
                programme_id=pid, period=period, measure_id=m.id or 0, owner_id=owner_id
            )
            item.recipient_id, item.answer_by, item.short = recipient.id, answer_by, short
            session.add(item)
            written.append(item)
        if n % PLAN_BATCH == 0:
            await flush_and_forget(session, written)
    await flush_and_forget(session, written)
    # a period planned again re-judges its items' shortness: their kept silence follows
    await current_state.refresh(session, programme_id=pid, measure_ids=replanned)
    planned += await plan_shares(
        session, programme=programme, period=period, now=now, expires=expires, by=by,
        persons=persons, away=away,
    )  # fmt: skip
    await escalate(
        session,
        programme=programme,
        period=period,
        now=now,
        expires=expires,
        persons=persons,
        locales=locales,
        open_rows=rows,
    )
    return Planned(planned, len(by_owner), tuple(sorted(unbound)))


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
    persons, locales = await _audience(session, pid)
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
        t = _tr(locales, recipient, programme)
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
