"""群众监督: a member of the public sends a 监督意见; the task force accepts, forwards, answers it."""

from __future__ import annotations

import json
import secrets
import string
from dataclasses import dataclass, field
from datetime import datetime, time
from enum import StrEnum
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import today_in
from core.domain.model import Role
from core.domain.public import KEY_LENGTH, Link, may_send
from core.i18n import tr
from core.render.public import (
    ItemView,
    accepted_notice,
    answer_text,
    desk_keyboard,
    forwarded_text,
    item_text,
)
from storage import people, public
from storage.models import Person, Programme
from storage.models_public import PublicItem
from usecases.actor import Actor
from usecases.copies import locale_of
from usecases.notices import tell

_ALPHABET = string.ascii_letters + string.digits
MEDIA_GROUP = 2  # Telegram sends 2–10 photos as one album; one goes alone


async def link_key(session: AsyncSession, *, programme_id: int, now: datetime) -> str:
    """The programme's public link key, made on first use."""
    key = await public.link_key(session, programme_id=programme_id)
    if key is None:
        key = "".join(secrets.choice(_ALPHABET) for _ in range(KEY_LENGTH))
        public.add_link(session, programme_id=programme_id, key=key, now=now)
    return key


async def programme_of(session: AsyncSession, link: Link) -> Programme | None:
    """The programme a public link is for: by its key, or the deployment's only programme."""
    if link.key is not None:
        return await public.by_key(session, key=link.key)
    return await public.only_programme(session)


async def may_write(
    session: AsyncSession, *, programme: Programme, user_id: int, now: datetime
) -> bool:
    """Whether this sender has items left today (the day in the programme's time zone)."""
    zone = ZoneInfo(programme.timezone)
    start = datetime.combine(today_in(now, programme.timezone), time(), zone)
    return may_send(await public.sent_since(session, user_id=user_id, since=start))


@dataclass(frozen=True)
class Draft:
    """What the sender wrote: text, photos (file ids), and what it is about."""

    text: str
    photos: list[str] = field(default_factory=list)
    measure_id: int | None = None
    area_id: int | None = None


@dataclass(frozen=True)
class Sender:
    """Who sent it: the chat the answer goes to, their language, their name only if agreed."""

    user_id: int
    locale: str
    name: str | None = None


async def submit(
    session: AsyncSession, *, programme: Programme, sender: Sender, draft: Draft, now: datetime
) -> int | None:
    """Store the item and tell the task force; its number, or None when today's are used up."""
    assert programme.id is not None
    if not await may_write(session, programme=programme, user_id=sender.user_id, now=now):
        return None
    item = await public.add_item(
        session, programme_id=programme.id, sender_user_id=sender.user_id, sender_name=sender.name,
        locale=sender.locale, text=draft.text, photos=draft.photos, measure_id=draft.measure_id,
        area_id=draft.area_id, now=now,
    )  # fmt: skip
    await _to_task_force(session, programme, item, now)
    return item.number


async def view(session: AsyncSession, programme: Programme, item: PublicItem) -> ItemView:
    """What the task force reads of an item."""
    measure, area = await public.about(session, item=item)
    return ItemView(
        number=item.number,
        received=today_in(item.received_at, programme.timezone),
        text=item.text,
        photos=len(_photos(item)),
        code=measure.code if measure else None,
        measure=measure.text if measure else None,
        area=area.name if area else None,
        name=item.sender_name,
    )


def _photos(item: PublicItem) -> list[str]:
    return [p for p in item.photos.split("\n") if p]


def _tell_photos(
    session: AsyncSession,
    programme_id: int,
    item: PublicItem,
    now: datetime,
    *,
    about: str,
    chat_id: int | None = None,
    person: Person | None = None,
) -> None:
    """The item's photos, before its text: one alone, more as an album."""
    photos = _photos(item)
    if not photos:
        return
    if len(photos) >= MEDIA_GROUP:
        kind, text = "album", json.dumps([["photo", p] for p in photos])
    else:
        kind, text = "photo_id", photos[0]
    tell(
        session, programme_id=programme_id, about=about, text=text, now=now,
        file=(kind, "", b""), chat_id=chat_id, person=person,
    )  # fmt: skip


async def _to_task_force(
    session: AsyncSession, programme: Programme, item: PublicItem, now: datetime
) -> None:
    """The task-force chat, else every bound coordinator privately."""
    assert programme.id is not None and item.id is not None
    v = await view(session, programme, item)
    today = today_in(now, programme.timezone)
    about = f"public:{item.id}"
    if programme.taskforce_chat_id is not None:
        t = tr(programme.locale)
        chat = programme.taskforce_chat_id
        _tell_photos(session, programme.id, item, now, about=about, chat_id=chat)
        tell(
            session, programme_id=programme.id, about=about, chat_id=chat, now=now,
            text=item_text(t, v, today), markup=desk_keyboard(t, item.id), locale=programme.locale,
        )  # fmt: skip
        return
    for person in await people.with_role(session, programme_id=programme.id, role=Role.COORDINATOR):
        if not person.telegram_user_id:
            continue
        locale = await locale_of(session, programme, person)
        t = tr(locale)
        _tell_photos(session, programme.id, item, now, about=about, person=person)
        tell(
            session, programme_id=programme.id, about=about, person=person, now=now,
            text=item_text(t, v, today), markup=desk_keyboard(t, item.id), locale=locale,
        )  # fmt: skip


class Outcome(StrEnum):
    """How a task-force step on an item went."""

    DONE = "done"
    ALREADY = "already"  # this step was taken before (by whom: `by`)
    NO_MEASURE = "no_measure"  # nothing to forward to
    UNBOUND = "unbound"  # the owner cannot get it in Telegram


@dataclass(frozen=True)
class Step:
    """The reply to the coordinator: the item, the outcome, and the person it names."""

    outcome: Outcome
    number: int
    by: str = ""  # who accepted it before; to whom it went (forward)
    code: str = ""
    when: datetime | None = None


async def accept(
    session: AsyncSession, *, programme: Programme, actor: Actor, item: PublicItem, now: datetime
) -> Step:
    """受理: recorded once; the sender is told."""
    if item.accepted_by is not None:
        return Step(Outcome.ALREADY, item.number, by=await _name(session, item.accepted_by))
    public.mark(
        session, item=item, step="accept", actor=actor.audit, person_id=actor.person_id, now=now
    )
    assert programme.id is not None
    tell(
        session, programme_id=programme.id, about=f"public:{item.id}:accepted", chat_id=item.sender_user_id,
        text=accepted_notice(tr(item.locale), item.number, programme.name), now=now,
        locale=item.locale,
    )  # fmt: skip
    return Step(Outcome.DONE, item.number, by=actor.name)


async def forward(
    session: AsyncSession, *, programme: Programme, actor: Actor, item: PublicItem, now: datetime
) -> Step:
    """转办: the measure's owner gets the item (anonymised as the task force saw it)."""
    measure, _ = await public.about(session, item=item)
    if measure is None:
        return Step(Outcome.NO_MEASURE, item.number)
    owner = await session.get(Person, measure.owner_id)
    assert owner is not None and programme.id is not None
    if item.forwarded_to is not None:
        name = await _name(session, item.forwarded_to)
        return Step(Outcome.ALREADY, item.number, by=name, code=measure.code)
    if not owner.telegram_user_id:
        return Step(Outcome.UNBOUND, item.number, by=owner.name, code=measure.code)
    public.mark(
        session, item=item, step="forward", actor=actor.audit, person_id=owner.id or 0, now=now
    )
    locale = await locale_of(session, programme, owner)
    v = await view(session, programme, item)
    today = today_in(now, programme.timezone)
    _tell_photos(
        session, programme.id, item, now, about=f"public:{item.id}:forwarded", person=owner
    )
    tell(
        session, programme_id=programme.id, about=f"public:{item.id}:forwarded", person=owner, now=now,
        text=forwarded_text(tr(locale), v, today), locale=locale, measure_ids=[measure.id or 0],
    )  # fmt: skip
    return Step(Outcome.DONE, item.number, by=owner.name, code=measure.code)


async def answer(
    session: AsyncSession,
    *,
    programme: Programme,
    actor: Actor,
    item: PublicItem,
    text: str,
    now: datetime,
) -> Step:
    """答复: recorded once, and it goes to the sender."""
    if item.answered_at is not None:
        return Step(Outcome.ALREADY, item.number, when=item.answered_at)
    public.mark(
        session, item=item, step="answer", actor=actor.audit, person_id=actor.person_id, now=now,
        answer=text,
    )  # fmt: skip
    assert programme.id is not None
    tell(
        session, programme_id=programme.id, about=f"public:{item.id}:answered", chat_id=item.sender_user_id,
        text=answer_text(tr(item.locale), item.number, programme.name, text), now=now,
        locale=item.locale,
    )  # fmt: skip
    return Step(Outcome.DONE, item.number)


async def _name(session: AsyncSession, person_id: int) -> str:
    person = await session.get(Person, person_id)
    return person.name if person else ""


async def item_programme(session: AsyncSession, *, item_id: int) -> int | None:
    """The programme of an item a button names."""
    item = await public.item(session, item_id=item_id)
    return item.programme_id if item else None
