"""The programme's picture as data: /summary, the review and the monthly report.

One function per picture, called by the beats, the commands and the CLI alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain import filters, report
from core.domain.glance import Glance, Row
from core.domain.letters import to_review
from core.domain.model import Beat, MeasureFacts, Status, code_key
from core.domain.replay import closed_in
from core.domain.workcal import CalendarKind
from storage import (
    absences,
    as_of,
    beats,
    checkpoints,
    decisions,
    dispatch_items,
    letters,
    measures,
    outcomes,
    people,
    picture,
    picture_groups,
)
from storage.documents import day_after, day_in
from storage.models import Programme


def _week(day: date) -> str:
    iso = day.isocalendar()
    return f"{iso.year}-W{iso.week:02d}"


async def summary_content(
    session: AsyncSession,
    *,
    programme: Programme,
    today: date,
    args: Sequence[str] = (),
    owner_id: int | None = None,
    past: bool = False,
    now: datetime | None = None,
) -> report.Summary:
    """/summary as data, for a leader, a coordinator, a group or one owner.

    Raises filters.FilterError when the arguments name no area or unit of the programme.
    Counts and lights come from lean rows of every measure; full facts (the owner's words) are
    loaded only for the few items the picture lists. A past day (`past`) is rebuilt from the
    events up to its end instead: the picture that day, whenever it is asked (`now`, which a
    past day needs: whether its month is over, so kept).
    """
    assert programme.id is not None
    pid = programme.id
    if past:
        tz = programme.timezone
        at = day_after(today, tz)
        if now is None:
            raise ValueError("a past day's picture needs now")
        # a month's last day is that month's end, kept once the month is over
        past_facts = await checkpoints.facts_at(session, programme=programme, at=at, now=now)
        return _summary_of(past_facts, today, args)
    if not any(a.strip() for a in args):
        # no filter: counted by groups in the database, rows read for the listed few only
        with picture.quiet_gc():
            conn = await session.connection()
            seen = await picture_groups.picture(
                conn, programme_id=pid, owner_id=owner_id, today=today
            )
        return await _live_summary(session, pid, seen, today, owner_view=owner_id is not None)
    with picture.quiet_gc():
        rows = await picture.rows(await session.connection(), programme_id=pid, owner_id=owner_id)
        where = filters.EVERYTHING
        if any(a.strip() for a in args):
            # the names people may type, first seen in ledger order
            rows.sort(key=lambda r: (r.area_number, code_key(r.code)))
            where = filters.parse(args, filters.Known.of(rows))
        kept = filters.apply(where, rows, today)
        seen = report.glance(kept, today)
    return await _live_summary(
        session,
        pid,
        seen,
        today,
        where=where,
        unit_share=filters.unit_share(where, kept),
        owner_view=owner_id is not None,
    )


async def _live_summary(
    session: AsyncSession,
    pid: int,
    seen: Glance[Row],
    today: date,
    *,
    where: filters.Filter = filters.EVERYTHING,
    unit_share: tuple[int, int] | None = None,
    owner_view: bool,
) -> report.Summary:
    """/summary from a glance, with the full facts of the measures it lists."""
    listed = {r.id for r in (*seen.red, *seen.yellow, *(r for r, _ in seen.overdue))}
    full = await measures.facts(session, programme_id=pid, ids=sorted(listed)) if listed else []
    return report.summary_of(
        seen,
        {f.code: f for _, f in full},
        today,
        where=where,
        unit_share=unit_share,
        owner_view=owner_view,
    )


def _summary_of(facts: list[MeasureFacts], today: date, args: Sequence[str]) -> report.Summary:
    """/summary from full facts (a past day's), with the same filters as the live one."""
    where = filters.EVERYTHING
    if any(a.strip() for a in args):
        where = filters.parse(args, filters.Known.of(facts))
    kept = filters.apply(where, facts, today)
    return report.summary(kept, today, where=where, unit_share=filters.unit_share(where, kept))


async def review_content(
    session: AsyncSession, *, programme: Programme, today: date, period: str | None = None
) -> tuple[report.Review, dict[str, object]]:
    """The review as data, plus the snapshot the next review compares with.

    It compares with the last review before `period`: this period's own record is already
    claimed (without a snapshot) when the content is computed.
    """
    assert programme.id is not None
    pid = programme.id
    rows = await measures.facts(session, programme_id=pid)
    facts = [f for _, f in rows]
    persons = await people.persons(session, programme_id=pid)
    last_dispatch = await beats.latest(session, programme_id=pid, beat=Beat.DISPATCH)
    silent: list[str] = []
    if last_dispatch is not None:
        for item in await dispatch_items.items(
            session, programme_id=pid, period=last_dispatch.period
        ):
            if item.delivered and not item.answered:
                silent.append(persons[item.owner_id].name)
    open_owners = {m.owner_id for m, f in rows if f.status is not Status.CLOSED}
    unreachable = [
        persons[o].name
        for o in open_owners
        if persons[o].telegram_user_id is None or persons[o].unreachable_since
    ]
    away = [
        (persons[a.person_id].name, a.start, a.end)
        for a in await absences.on(session, programme_id=pid, day=today)
    ]
    last_review = await beats.latest(session, programme_id=pid, beat=Beat.REVIEW, before=period)
    previous = beats.load_snapshot(last_review)
    tz = ZoneInfo(programme.timezone)
    asked = [
        (code, at.astimezone(tz).date())
        for code, at in await decisions.pending_asked(session, programme_id=pid)
    ]
    waiting = report.waiting_long(asked, today, CalendarKind(programme.calendar))
    since = day_in(last_review.sent_at, programme.timezone) if last_review else None
    issued = await letters.states(session, programme_id=pid, tz=programme.timezone)
    content = report.review(
        facts,
        today,
        previous,
        silent_owners=silent,
        away=away,
        unreachable=unreachable,
        waiting=waiting,
        letters=to_review(issued, since, today),
    )
    return content, dict(report.snapshot(facts, today))


async def month_facts(
    session: AsyncSession,
    *,
    programme: Programme,
    year: int,
    month: int,
    now: datetime,
    codes: Mapping[int, str] | None = None,
) -> list[MeasureFacts]:
    """The measures as the month's events left them at its end (or as first imported); a month
    over at `now` is replayed once and kept while what it was rebuilt from stays as it was."""
    cutoff = day_after(report.month_end(year, month), programme.timezone)
    return await checkpoints.facts_at(session, programme=programme, at=cutoff, now=now, codes=codes)


async def report_content(
    session: AsyncSession, *, programme: Programme, period: str, now: datetime
) -> report.MonthlyReport:
    """The monthly report for period YYYY-MM as data: the month as its own events tell it
    (`now`: whether the month is over, so its end kept)."""
    with picture.quiet_gc():
        return await _report_content(session, programme=programme, period=period, now=now)


async def _report_content(
    session: AsyncSession, *, programme: Programme, period: str, now: datetime
) -> report.MonthlyReport:
    assert programme.id is not None
    year, month = (int(x) for x in period.split("-"))
    # every measure's code, read once for the month's facts and its sign-offs
    codes = await as_of.measure_codes(session, programme.id)
    facts = await month_facts(
        session, programme=programme, year=year, month=month, now=now, codes=codes
    )
    cutoff = day_after(report.month_end(year, month), programme.timezone)
    # 反馈率: the dispatches sent in the month, each judged by the window it was sent with, as
    # the month ended: one still open then counts only if already answered, so a report run
    # again later says the same
    answers = await dispatch_items.answers_by_unit(
        session,
        programme_id=programme.id,
        year=year,
        month=month,
        tz=programme.timezone,
        at=cutoff,
        # the units as the month ended; a measure off the ledger by then is out of its report
        units={f.code: f.lead_unit for f in facts},
    )
    sign_offs = await as_of.closed_days(session, programme=programme, codes=codes)
    monthly = report.monthly(facts, year, month, answers, closed_in(sign_offs, year, month))
    rules = await outcomes.as_of(session, programme=programme, at=cutoff, facts=facts)
    return replace(monthly, outcomes=rules)
