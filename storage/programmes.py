"""Programmes and the chats attached to them."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, time
from enum import StrEnum

from sqlmodel import col, or_, select
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.catchup import Since, change_floor
from core.domain.catchup import upcoming as planned_next
from core.domain.model import Beat
from core.domain.periods import Rhythm
from core.domain.workcal import CalendarKind
from storage import audit, beats
from storage.models import AuditEvent, Programme


class ChatKind(StrEnum):
    """Which of a programme's chats a group is."""

    LEADERSHIP = "leadership"
    TASKFORCE = "taskforce"


async def by_name(session: AsyncSession, *, name: str) -> Programme | None:
    """The programme with this exact name."""
    result = await session.exec(select(Programme).where(Programme.name == name))
    return result.first()


async def by_id(session: AsyncSession, *, programme_id: int) -> Programme | None:
    """The programme with this id."""
    return await session.get(Programme, programme_id)


async def all_programmes(session: AsyncSession) -> list[Programme]:
    """Every programme, oldest first."""
    result = await session.exec(select(Programme).order_by(Programme.id))  # type: ignore[arg-type]
    return list(result.all())


async def for_chat(session: AsyncSession, *, chat_id: int) -> Programme | None:
    """The programme whose leadership or task-force chat this is."""
    result = await session.exec(
        select(Programme).where(
            or_(Programme.leadership_chat_id == chat_id, Programme.taskforce_chat_id == chat_id)
        )
    )
    return result.first()


async def create(
    session: AsyncSession,
    *,
    name: str,
    actor: str,
    now: datetime,
    timezone: str = "Asia/Shanghai",
    locale: str = "zh_CN",
) -> Programme:
    """Create a programme with default rhythm settings."""
    programme = Programme(name=name, timezone=timezone, locale=locale, created_at=now)
    session.add(programme)
    await session.flush()
    assert programme.id is not None
    audit.record(
        session,
        programme_id=programme.id,
        actor=actor,
        action="programme.create",
        entity="programme",
        entity_id=programme.id,
        after={"name": name, "timezone": timezone, "locale": locale},
        now=now,
    )
    return programme


async def get_or_create(
    session: AsyncSession, *, name: str, actor: str, now: datetime, timezone: str, locale: str
) -> tuple[Programme, bool]:
    """The named programme, creating it with defaults when missing."""
    found = await by_name(session, name=name)
    if found is not None:
        return found, False
    made = await create(session, name=name, actor=actor, now=now, timezone=timezone, locale=locale)
    return made, True


async def attach_chat(
    session: AsyncSession,
    *,
    programme: Programme,
    chat_id: int,
    kind: ChatKind,
    actor: str,
    now: datetime,
) -> None:
    """Make a group the programme's leadership or task-force chat."""
    field = "leadership_chat_id" if kind is ChatKind.LEADERSHIP else "taskforce_chat_id"
    before = getattr(programme, field)
    setattr(programme, field, chat_id)
    session.add(programme)
    assert programme.id is not None
    audit.record(
        session,
        programme_id=programme.id,
        actor=actor,
        action="programme.chat",
        entity="programme",
        entity_id=programme.id,
        before={field: before},
        after={field: chat_id},
        now=now,
    )


RHYTHM_FIELDS = (
    "dispatch_weekday",
    "dispatch_time",
    "review_weekday",
    "review_time",
    "report_time",
    "timezone",
    "calendar",
    "lookback_days",
    "remind_workdays",
    "spotcheck_day",
    "spotcheck_time",
)


async def update_rhythm(
    session: AsyncSession,
    *,
    programme: Programme,
    changes: Mapping[str, int | str],
    actor: str,
    now: datetime,
) -> None:
    """Change a programme's rhythm settings (day, time, zone, calendar) and audit it."""
    unknown = set(changes) - set(RHYTHM_FIELDS)
    if unknown:
        raise ValueError(f"not rhythm settings: {sorted(unknown)}")
    before = {k: getattr(programme, k) for k in RHYTHM_FIELDS}
    for key, value in changes.items():
        setattr(programme, key, value)
    session.add(programme)
    assert programme.id is not None
    audit.record(
        session,
        programme_id=programme.id,
        actor=actor,
        action="programme.schedule",
        entity="programme",
        entity_id=programme.id,
        before=before,
        after={k: getattr(programme, k) for k in RHYTHM_FIELDS},
        now=now,
    )


def _hm(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


def rhythm_of(programme: Programme) -> Rhythm:
    """The programme's schedule settings as the domain's Rhythm."""
    return Rhythm(
        tz=programme.timezone,
        calendar=CalendarKind(programme.calendar),
        dispatch_weekday=programme.dispatch_weekday,
        dispatch_time=_hm(programme.dispatch_time),
        review_weekday=programme.review_weekday,
        review_time=_hm(programme.review_time),
        review_anchor=programme.review_anchor or date(2024, 1, 3),
        report_time=_hm(programme.report_time),
        nudge_workdays=programme.nudge_workdays,
        spotcheck_day=programme.spotcheck_day,
        spotcheck_time=_hm(programme.spotcheck_time),
    )


async def since(session: AsyncSession, *, programme: Programme) -> Since:
    """Since when each beat may be caught up: start, last schedule change, chats' set-up."""
    assert programme.id is not None
    rows = await session.exec(
        select(AuditEvent)
        .where(
            AuditEvent.programme_id == programme.id,
            col(AuditEvent.action).in_(("programme.schedule", "programme.chat")),
        )
        .order_by(col(AuditEvent.seq))
    )
    changed = programme.created_at
    chats: dict[str, tuple[int, datetime]] = {}
    for event in rows.all():
        if event.action == "programme.schedule":
            before, after = audit.load(event.before) or {}, audit.load(event.after) or {}
            moved = {k for k in after if before.get(k) != after.get(k)} if before else {"all"}
            # the look-back's and reminders' days move no beat: a change of only them holds
            # back no catch-up
            if moved - {"lookback_days", "remind_workdays"}:
                changed = max(changed, change_floor(rhythm_of(programme), event.at))
            continue
        for field, chat_id in (audit.load(event.after) or {}).items():
            chats[field] = (chat_id, event.at)

    def set_up(field: str) -> datetime | None:
        chat_id = getattr(programme, field)
        if chat_id is None:
            return None
        found = chats.get(field)
        # a chat set up before the audit trail knew of it counts from the programme's start
        return found[1] if found and found[0] == chat_id else programme.created_at

    review = set_up("taskforce_chat_id") or set_up("leadership_chat_id")
    return Since(beats=changed, review=review, report=set_up("leadership_chat_id"))


async def upcoming(
    session: AsyncSession, *, programme: Programme, now: datetime
) -> dict[Beat, datetime]:
    """When each beat of the programme goes next, as the scheduler will plan it."""
    assert programme.id is not None
    sent = await beats.sent_times(session, programme_id=programme.id)
    floors = await since(session, programme=programme)
    return planned_next(rhythm_of(programme), now, sent, floors)
