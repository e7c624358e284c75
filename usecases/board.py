"""The leaders' board (Mini App): the pictures /summary, /history, the report and /pending draw.

Every figure comes from the function the chat uses for it; this module only picks the reader's
scope (an owner sees their own measures, a leader and a coordinator the programme) and shapes
the answer for the page, its labels in the reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import today_in
from core.domain import filters, report
from core.domain.counts import Group, count
from core.domain.glance import Row
from core.domain.lights import light
from core.domain.model import Role
from core.domain.outcomes import in_month
from core.i18n import Tr, tr
from core.languages import match
from core.render import board as render
from core.render import labels
from core.render.decisions import already, request_text
from core.render.docx_outcomes import count_line
from core.render.history import history_text
from storage import (
    as_of,
    decisions,
    dispatch_items,
    lookup,
    measures,
    outcomes,
    people,
    picture,
    reports,
)  # fmt: skip
from storage import board as stored
from storage.decisions import EXTENSION
from storage.documents import day_after
from storage.models import Programme
from usecases import history, signoff
from usecases.actor import Actor
from usecases.copies import local_views

SEES_ALL = frozenset({Role.LEADER, Role.COORDINATOR})
MAX_WEEKS = 53  # a year of weeks: the trend of a longer programme starts a year back


@dataclass(frozen=True)
class Viewer:
    """Who looks at the board: their programme, their person and roles, their language."""

    user_id: int
    programme: Programme
    person_id: int
    name: str
    roles: frozenset[Role]
    locale: str

    @property
    def sees_all(self) -> bool:
        """A leader or a coordinator sees the programme; anyone else their own measures."""
        return bool(self.roles & SEES_ALL)

    @property
    def owner_id(self) -> int | None:
        """The owner whose measures are shown, or None for the whole programme."""
        return None if self.sees_all else self.person_id

    @property
    def pid(self) -> int:
        assert self.programme.id is not None
        return self.programme.id

    @property
    def t(self) -> Tr:
        return tr(self.locale)


async def viewer(
    session: AsyncSession, *, user_id: int, language_code: str | None
) -> Viewer | None:
    """The person a signed Telegram user is here, in the programme the chat would choose; None
    when they are bound to none (the chat's /use picks among several, as here)."""
    who = await people.identity(session, user_id=user_id)
    member = who.membership(who.current_programme_id)
    if member is None and len(who.memberships) == 1:
        member = who.memberships[0]
    if member is None:
        return None
    programme = people.attach_programme(session, who, member.programme_id)
    if programme is None:
        return None
    locale = who.locale or match(language_code) or programme.locale or "zh_CN"
    return Viewer(user_id, programme, member.person_id, member.person_name, member.roles, locale)


class BadFilter(Exception):
    """The page asked for an area or unit the programme does not have."""


async def board(
    session: AsyncSession, v: Viewer, *, now: datetime, area: int | None, unit: str | None
) -> dict[str, Any]:
    """Headline, lights, tiles by area and by lead unit, and the red and yellow items."""
    today = today_in(now, v.programme.timezone)
    args = ["area", str(area)] if area else ["unit", unit] if unit else []
    try:
        content = await reports.summary_content(
            session, programme=v.programme, today=today, args=args, owner_id=v.owner_id
        )
    except filters.FilterError:
        raise BadFilter() from None
    rows = await picture.rows(await session.connection(), programme_id=v.pid, owner_id=v.owner_id)
    by_unit: dict[str, list[Row]] = {}
    for r in rows:
        by_unit.setdefault(r.lead_unit, []).append(r)
    units = [Group(name, count(mine, today)) for name, mine in by_unit.items()]
    units.sort(key=lambda g: (-g.counts.red, -g.counts.yellow, g.key))
    listed = [m.code for m in (*content.red, *content.yellow)]
    ids = await lookup.ids_of_codes(session, programme_id=v.pid, codes=listed)
    shown = render.board(
        v.t, content, v.programme.name, units, ids, owner_view=v.owner_id is not None
    )
    # 建章立制: the reader's measures' rules, counted as the monthly report counts them
    end = day_after(today, v.programme.timezone)  # as of today: today's records count
    rules = await outcomes.as_of(session, programme=v.programme, at=end, facts=rows)
    recent = in_month(rules, today.year, today.month)
    return {**shown, "outcomes": count_line(v.t, rules, today, recent)}


async def measure(
    session: AsyncSession, v: Viewer, *, measure_id: int, now: datetime
) -> dict[str, Any] | None:
    """One measure's story; None when it is not one the reader may see (as /history says)."""
    m = await measures.by_id(session, programme_id=v.pid, measure_id=measure_id)
    if m is None or not (v.sees_all or m.owner_id == v.person_id):
        return None
    [(_, facts)] = await measures.facts(session, programme_id=v.pid, ids=[measure_id])
    today = today_in(now, v.programme.timezone)
    told = history_text(v.t, m.code, m.text, await history.entries(session, v.programme, m))
    tz = ZoneInfo(v.programme.timezone)
    files = [
        render.File(f.name, f.created_at.astimezone(tz), f.size)
        for f in await stored.evidence(session, measure_id=measure_id)
    ]
    asked = [
        render.Asked(
            extension=r.kind == EXTENSION,
            state=r.state,
            at=r.created_at.astimezone(tz),
            deadline=r.new_deadline,
            by=by,
            decided=r.decided_at.astimezone(tz) if r.decided_at else None,
            reason=r.reason,
        )
        for r, by in await stored.requests(session, measure_id=measure_id)
    ]
    rules = [
        render.rule(v.t, o)
        for o in await outcomes.recorded(
            session, programme=v.programme, at=day_after(today, v.programme.timezone)
        )
        if o.measure_id == measure_id
    ]
    shown = render.measure(
        v.t, facts, light(facts, today), told.split("\n")[1:], files, asked, today
    )
    return {**shown, "outcomes": rules}


async def units(session: AsyncSession, v: Viewer, *, now: datetime) -> list[dict[str, Any]]:
    """Lead units with on-time rate, this month's 反馈率 and overdue count, worst first."""
    today = today_in(now, v.programme.timezone)
    owners = None if v.owner_id is None else [v.owner_id]
    facts = [f for _, f in await measures.facts(session, programme_id=v.pid, owner_ids=owners)]
    answers = await dispatch_items.answers_by_unit(
        session,
        programme_id=v.pid,
        year=today.year,
        month=today.month,
        tz=v.programme.timezone,
        at=now,
        units={f.code: f.lead_unit for f in facts},
    )
    groups = report.by_unit(facts, today, answers)
    return [render.unit(v.t, g) for g in sorted(groups, key=worst_first)]


def worst_first(g: Group) -> tuple[int, float, float, str]:
    """Most overdue first, then the lowest on-time rate, then the lowest 反馈率."""
    return (
        -g.counts.overdue,
        1.0 if g.on_time_rate is None else g.on_time_rate,
        1.0 if g.answer_rate is None else g.answer_rate,
        g.key,
    )


async def trend(session: AsyncSession, v: Viewer, *, now: datetime) -> dict[str, Any]:
    """Closed, red and yellow per week (Monday to Sunday) since the programme began."""
    p = v.programme
    tz, today = p.timezone, today_in(now, p.timezone)
    started = today_in(p.created_at, tz) if p.created_at.tzinfo else p.created_at.date()
    first = max(started - timedelta(days=started.weekday()), today - timedelta(weeks=MAX_WEEKS))
    first -= timedelta(days=first.weekday())
    mine = await _own_ids(session, v)
    sign_offs = [
        day
        for code, day in await as_of.closed_days(session, programme=p)
        if mine is None or code in mine.values()
    ]
    spans = []
    monday = first
    while monday <= today:
        spans.append((monday, min(monday + timedelta(days=6), today)))
        monday += timedelta(days=7)
    ends = [day_after(last, tz) for _, last in spans]
    only = None if mine is None else set(mine)
    lamps = await stored.lamps_at(session, programme=p, moments=ends, only=only)
    weeks = [
        (monday, last, sum(1 for day in sign_offs if monday <= day <= last), count(lit, last))
        for (monday, last), lit in zip(spans, lamps, strict=True)
    ]
    return render.trend(v.t, weeks, today)


async def _own_ids(session: AsyncSession, v: Viewer) -> dict[int, str] | None:
    """The owner's measures (id -> code), or None for a reader who sees the programme."""
    if v.owner_id is None:
        return None
    rows = await measures.facts(session, programme_id=v.pid, owner_ids=[v.owner_id])
    return {m.id or 0: m.code for m, _ in rows}


async def pending(session: AsyncSession, v: Viewer) -> list[dict[str, Any]] | None:
    """/pending as a list: each request as a coordinator's copy shows it; None if not theirs."""
    if Role.COORDINATOR not in v.roles:
        return None
    out = []
    for request_id in await decisions.pending(session, programme_id=v.pid):
        view = await decisions.view(session, request_id=request_id)
        if view is None:
            continue
        shown, _ = local_views(v.programme, view)
        out.append(
            {
                "id": request_id,
                "code": shown.code,
                "extension": shown.extension is not None,
                "text": request_text(v.t, shown),
            }
        )
    return out


async def decide(
    session: AsyncSession, v: Viewer, *, request_id: int, approve: bool, reason: str, now: datetime
) -> tuple[bool, str] | None:
    """Approve or send back, as the chat's buttons do (usecases.signoff.decide): whether this
    decision stood, and what the coordinator reads. None if the reader is not a coordinator."""
    if Role.COORDINATOR not in v.roles:
        return None
    actor = Actor(person_id=v.person_id, name=v.name, audit=f"tg:{v.user_id}")
    done = await signoff.decide(
        session, programme=v.programme, request_id=request_id, approve=approve,
        reason=reason, actor=actor, now=now,
    )  # fmt: skip
    t = v.t
    if isinstance(done, signoff.Decided):
        if done.extension:
            return True, t._("Approved.") if approve else t._("Refused. The owner has the reason.")
        return True, t._("Signed off.") if approve else t._("Sent back. The owner has the reason.")
    if isinstance(done, signoff.Already):
        return False, already(t, done.verdict)
    if isinstance(done, signoff.Withdrawn):
        return False, t._(
            "The sign-off request for {code} was withdrawn: the ledger now gives it as {status}. There is nothing to decide.",
            code=done.code,
            status=labels.status(t, done.status),
        )
    return False, t._("This button has expired.")
