"""Issue a work prompt letter (工作提示函) for a red measure: checks, number, history, DOCX."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.letters import Letter
from core.domain.lights import light
from core.domain.model import Light, Status
from core.i18n import Tr
from core.render.letter import letter_docx
from core.render.letter_words import number_label
from storage import letters, measures
from storage.models import Programme


class Refusal(StrEnum):
    """Why no letter was issued."""

    UNKNOWN = "unknown"
    CLOSED = "closed"
    NOT_RED = "not_red"


@dataclass(frozen=True)
class Issued:
    """The letter, numbered and recorded, and its DOCX for the coordinator who asked."""

    letter: Letter
    filename: str
    data: bytes


async def issue(
    session: AsyncSession,
    *,
    programme: Programme,
    code: str,
    today: date,
    actor: str,
    now: datetime,
    t: Tr,
) -> Issued | Refusal:
    """The letter for a red measure, numbered and recorded; a Refusal for any other.

    The number is taken in this transaction: it is kept only if the letter is (the caller sends
    the document once it commits).
    """
    assert programme.id is not None
    rows = await measures.facts(session, programme_id=programme.id)
    found = next(((m, f) for m, f in rows if f.code.casefold() == code.casefold()), None)
    if found is None:
        return Refusal.UNKNOWN
    measure, facts = found
    if facts.status is Status.CLOSED:
        return Refusal.CLOSED
    if light(facts, today) is not Light.RED:
        return Refusal.NOT_RED
    content = await letters.issue(
        session,
        programme=programme,
        measure=measure,
        facts=facts,
        today=today,
        actor=actor,
        now=now,
    )
    kind = t._("Work prompt letter")
    name = f"{kind} {number_label(t, content.year, content.number)} {facts.code}"
    return Issued(content, f"{name}.docx", letter_docx(t, content))
