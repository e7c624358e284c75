"""Answer a look-back (回头看): the result holds, or it rebounded and the measure is reopened."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.closing import Verdict
from core.domain.model import Role
from core.i18n import tr
from core.render.measures import short
from storage import lookbacks, people
from storage.answers import Evidence
from storage.models import Measure, Programme
from storage.models_closing import LookBack
from usecases.actor import Actor
from usecases.notices import tell


@dataclass(frozen=True)
class LookBackAnswer:
    """The owner's verdict on a look-back, their note and any evidence."""

    lookback_id: int
    verdict: Verdict
    note: str
    files: tuple[Evidence, ...] = ()


class Refused(StrEnum):
    """Why nothing was recorded."""

    EXPIRED = "expired"  # no such look-back in this programme
    ANSWERED = "answered"  # someone answered it first


@dataclass(frozen=True)
class Answered:
    """The reply to the owner: the measure and whether its result holds."""

    code: str
    holds: bool


async def answer(
    session: AsyncSession,
    *,
    programme: Programme,
    actor: Actor,
    answer: LookBackAnswer,
    now: datetime,
) -> Answered | Refused:
    """Record the first answer; a rebound reopens the measure and the task force hears of it."""
    row = await session.get(LookBack, answer.lookback_id)
    if row is None or row.programme_id != programme.id:
        return Refused.EXPIRED
    m = await lookbacks.answer(
        session,
        row=row,
        verdict=answer.verdict,
        note=answer.note,
        person_id=actor.person_id,
        actor=actor.audit,
        now=now,
        files=list(answer.files),
    )
    if m is None:
        return Refused.ANSWERED
    holds = answer.verdict is Verdict.HOLDS
    if not holds:  # the task force hears of a rebound with it
        await _tell_coordinators(session, programme, actor, m, answer.note, now)
    return Answered(code=m.code, holds=holds)


async def _tell_coordinators(
    session: AsyncSession,
    programme: Programme,
    actor: Actor,
    m: Measure,
    text: str,
    now: datetime,
) -> None:
    """Every coordinator but the one acting hears of a rebound, in their language."""
    assert programme.id is not None
    coordinators = await people.with_role(session, programme_id=programme.id, role=Role.COORDINATOR)
    ids = [p.telegram_user_id for p in coordinators if p.telegram_user_id]
    locales = await people.locales_of(session, user_ids=ids)
    for person in coordinators:
        if person.telegram_user_id is None or person.id == actor.person_id:
            continue
        locale = locales.get(person.telegram_user_id) or programme.locale or ""
        ct = tr(locale)
        news = ct._(
            "↩️ Look-back: {code} {text} has rebounded, says {name}: {note}\nIt is reopened and back in the weekly dispatch.",
            code=m.code,
            text=short(m.text),
            name=actor.name,
            note=short(text, 300),
        )
        tell(
            session, programme_id=programme.id, about=f"rebound:{m.id}",
            person=person, text=news, now=now, locale=locale,
        )  # fmt: skip
