"""A work prompt letter as a document to post (the CLI's export; the issuing: usecases.letters)."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.letters import Letter
from core.i18n import Tr
from storage.models import Programme
from usecases import letters
from usecases.documents import Document
from usecases.letters import Refusal

__all__ = ["Refusal", "issue"]


async def issue(
    session: AsyncSession,
    *,
    programme: Programme,
    code: str,
    today: date,
    actor: str,
    now: datetime,
    t: Tr,
) -> tuple[Letter, Document] | Refusal:
    """The letter for a red measure, numbered and recorded, as a document; a Refusal for any other."""
    found = await letters.issue(
        session, programme=programme, code=code, today=today, actor=actor, now=now, t=t
    )
    if isinstance(found, Refusal):
        return found
    return found.letter, Document(found.filename, found.data)
