"""一周一调度: the weekly dispatch, the nudge (催办) and the escalation to leaders."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import today_in
from core.domain.absence import recipient
from core.domain.dispatches import answer_window
from core.domain.model import ANSWERABLE, Beat, MeasureFacts
from core.domain.periods import week_start
from core.domain.reply_by import reply_by
from core.i18n import Tr, tr
from core.render.dispatch import dispatch_text
from core.render.keyboards import measures_keyboard
from storage import absences, current_state, measures, people
from storage.models import DispatchItem, Measure, Person, Programme
from storage.models_people import Absence
from storage.outbox_plan import flush_and_forget, items_of, plan
from storage.programmes import rhythm_of
from usecases.buttons import ordered
from usecases.dispatch_shares import plan_shares
from usecases.escalate import escalate

PLAN_BATCH = 100  # owners planned per flush: the session never holds a whole fan-out's rows


def tr_for(locales: dict[int, str], person: Person, programme: Programme) -> Tr:
    return tr(locales.get(person.telegram_user_id or 0) or programme.locale)


async def audience(session: AsyncSession, pid: int) -> tuple[dict[int, Person], dict[int, str]]:
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
    fanout: Fanout | None = field(default=None, compare=False, repr=False)  # what dispatch planned


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


@dataclass
class Fanout:
    """A dispatch's owner messages, and what planning them needs: read once, planned in batches."""

    programme: Programme
    period: str
    now: datetime
    expires: datetime
    answer_by: datetime | None
    short: bool
    by: datetime | None
    persons: dict[int, Person]
    locales: dict[int, str]
    # owner id -> (the recipient, the owner's open measures), in planning order
    owners: dict[int, tuple[Person, list[tuple[Measure, MeasureFacts]]]]
    left: list[int] = field(default_factory=list)  # owners whose message is still to plan


async def _read(
    session: AsyncSession, programme: Programme, today: date, seen: Seen | None
) -> tuple[
    list[tuple[Measure, MeasureFacts]], dict[int, Person], dict[int, str], dict[int, Absence]
]:
    """The open measures, the people, their languages and who is away today."""
    pid = programme.id or 0
    rows = [
        (m, f) for m, f in await measures.facts(session, programme_id=pid) if f.status in ANSWERABLE
    ]
    if seen is None:
        persons, locales = await audience(session, pid)
        away = {a.person_id: a for a in await absences.on(session, programme_id=pid, day=today)}
        return rows, persons, locales, away
    return rows, seen.persons, await _locales(session, seen.persons), seen.away


def _by_owner(
    rows: list[tuple[Measure, MeasureFacts]],
) -> dict[int, list[tuple[Measure, MeasureFacts]]]:
    by_owner: dict[int, list[tuple[Measure, MeasureFacts]]] = defaultdict(list)
    for m, f in rows:
        by_owner[m.owner_id].append((m, f))
    return by_owner


async def dispatch(
    session: AsyncSession,
    *,
    programme: Programme,
    period: str,
    now: datetime,
    expires: datetime,
    seen: Seen | None = None,
    first: int | None = None,
) -> Planned:
    """Plan one message per owner listing their open measures.

    The items are written with the plan, so an answer given while the fan-out is still
    going is credited, and the sender records each message as it goes. `seen`: what `reach`
    read just before in the same transaction (not read again). `first`: plan only so many
    owners' messages now; the rest are left in the result's fan-out (jobs.fanout).
    """
    assert programme.id is not None
    today = today_in(now, programme.timezone)
    rows, persons, locales, away = await _read(session, programme, today, seen)
    # the answer window is judged now, by the rhythm in force: a later schedule never rejudges it
    rhythm = rhythm_of(programme)
    answer_by, short = answer_window(rhythm, period, now)
    by = reply_by(rhythm, Beat.DISPATCH, now, answer_by)
    by_owner = _by_owner(rows)
    fanout = Fanout(programme, period, now, expires, answer_by, short, by, persons, locales, {})
    unbound: list[tuple[int, Person]] = []
    for owner_id, mine in by_owner.items():
        recipient = _recipient(persons[owner_id], persons, away)
        if recipient is None:
            continue  # paused while away: not counted as silence
        if recipient.telegram_user_id is not None:
            fanout.owners[owner_id] = (recipient, mine)  # items written with the message
        else:
            unbound.append((owner_id, recipient))
    # the unbound's items now: their owners are listed as not reached, never in a later batch
    await _write_items(session, fanout, [(o, r, by_owner[o]) for o, r in unbound])
    shares = await plan_shares(
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
    todo = list(fanout.owners)
    await plan_owners(session, fanout, todo if first is None else todo[:first])
    fanout.left = [] if first is None else todo[first:]
    messages = len(fanout.owners) + shares
    names = tuple(sorted(r.name for _, r in unbound))
    return Planned(messages, len(by_owner), names, fanout=fanout)


async def fanout_of(
    session: AsyncSession,
    *,
    programme: Programme,
    period: str,
    now: datetime,
    expires: datetime,
    owner_ids: list[int],
) -> Fanout:
    """The fan-out of a dispatch claimed at `now` whose planning stopped (a crash, a stop): the
    owners left whose recipient can still be reached, with their measures open now."""
    rhythm, today = rhythm_of(programme), today_in(now, programme.timezone)
    rows, persons, locales, away = await _read(session, programme, today, None)
    answer_by, short = answer_window(rhythm, period, now)
    by = reply_by(rhythm, Beat.DISPATCH, now, answer_by)
    by_owner = _by_owner(rows)
    fanout = Fanout(
        programme, period, now, expires, answer_by, short, by, persons, locales, {}, owner_ids
    )
    for owner_id in owner_ids:
        owner = persons.get(owner_id)
        recipient = _recipient(owner, persons, away) if owner else None
        if by_owner.get(owner_id) and recipient and recipient.telegram_user_id is not None:
            fanout.owners[owner_id] = (recipient, by_owner[owner_id])
    return fanout


async def plan_owners(session: AsyncSession, fanout: Fanout, owner_ids: list[int]) -> int:
    """Write these owners' messages in the caller's transaction (those still reachable)."""
    p = fanout.programme
    today, week = today_in(fanout.now, p.timezone), week_start(fanout.period)
    written: list[object] = []
    mine_all = [(o, *fanout.owners[o]) for o in owner_ids if o in fanout.owners]
    await _write_items(session, fanout, mine_all)
    for n, (owner_id, to, mine) in enumerate(mine_all, start=1):
        owner = fanout.persons[owner_id]
        t = tr_for(fanout.locales, to, p)
        listed = ordered(mine, today)
        text = dispatch_text(
            t,
            owner.name,
            to.name if to.id != owner.id else None,
            [f for _, f in listed],
            today,
            week,
            fanout.by,
        )
        written.append(
            plan(
                session,
                programme_id=p.id or 0,
                beat=Beat.DISPATCH.value,
                period=fanout.period,
                # one message per owner's list: a stand-in who owns measures too gets two
                key=str(owner_id),
                chat_id=to.telegram_user_id or 0,
                text=text,
                markup=measures_keyboard(
                    t, listed, today, scope="open", person_id=owner_id, replyable=True
                ),
                person=to,
                measure_ids=[i for i, _ in listed],
                locale=t.locale,
                now=fanout.now,
                expires=fanout.expires,
            )
        )
        if n % PLAN_BATCH == 0:
            await flush_and_forget(session, written)
    await flush_and_forget(session, written)
    return len(mine_all)


async def _write_items(
    session: AsyncSession,
    fanout: Fanout,
    owners: list[tuple[int, Person, list[tuple[Measure, MeasureFacts]]]],
) -> None:
    """The dispatch items of these owners' measures, in the caller's transaction."""
    pid = fanout.programme.id or 0
    ids = [m.id or 0 for _, _, mine in owners for m, _ in mine]
    # a forced dispatch's (or a resumed one's) items exist already: updated, not added
    found = await items_of(session, programme_id=pid, period=fanout.period, measure_ids=ids)
    existing = {i.measure_id: i for i in found}
    existing_ids = list(existing)
    written: list[object] = []
    for owner_id, to, mine in owners:
        for m, _ in mine:
            item = existing.pop(m.id or 0, None) or DispatchItem(
                programme_id=pid, period=fanout.period, measure_id=m.id or 0, owner_id=owner_id
            )
            item.recipient_id, item.answer_by = to.id, fanout.answer_by
            item.short = fanout.short
            session.add(item)
            written.append(item)
    await flush_and_forget(session, written)
    # a period planned again re-judges its items' shortness: their kept silence follows
    await current_state.refresh(session, programme_id=pid, measure_ids=list(existing_ids))
