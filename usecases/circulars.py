"""Issue a work circular (工作通报): a month's figures, the task force's mentions, a number, the DOCX."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.circulars import Circular, Finding, Mention, Picture, circular, picture
from core.domain.report import month_end
from core.i18n import tr
from core.render.circular import circular_docx
from core.render.circular_words import circular_name
from storage import circulars, reports, spotchecks
from storage.documents import day_after
from storage.models import Programme
from usecases.notices import tell


class Refusal(StrEnum):
    """Why no circular was issued."""

    NO_GROUP = "no_group"  # the leadership group is not set up: nobody would receive it
    UNKNOWN_UNIT = "unknown_unit"  # a mention names a unit the month does not rank


@dataclass(frozen=True)
class Issued:
    """The circular, numbered, recorded and planned for the leadership group."""

    circular: Circular


async def untrue(
    session: AsyncSession, *, programme: Programme, year: int, month: int
) -> list[Finding]:
    """The measures spot checks (随机抽查) found 不属实 in the month: the circular lists them."""
    assert programme.id is not None
    first = date(year, month, 1)
    found = await spotchecks.untrue_between(
        session,
        programme_id=programme.id,
        start=day_after(first - timedelta(days=1), programme.timezone),
        end=day_after(month_end(year, month), programme.timezone),
    )
    return [Finding(code, text, unit, note) for code, text, unit, note in found]


async def figures(
    session: AsyncSession, *, programme: Programme, year: int, month: int, now: datetime
) -> Picture:
    """The month's ranking and overdue items: the monthly report's own figures, as it left them."""
    report = await reports.report_content(
        session, programme=programme, period=f"{year}-{month:02d}", now=now
    )
    found = await untrue(session, programme=programme, year=year, month=month)
    return picture(report, found)


async def issue(
    session: AsyncSession,
    *,
    programme: Programme,
    year: int,
    month: int,
    mentions: Sequence[Mention],
    today: date,
    actor: str,
    now: datetime,
) -> Issued | Refusal:
    """Number the circular, record it, and plan it for the leadership group, in this transaction.

    The number is taken here and kept only if the circular is: the group gets it once committed.
    """
    assert programme.id is not None
    chat = programme.leadership_chat_id
    if chat is None:
        return Refusal.NO_GROUP
    month_figures = await figures(session, programme=programme, year=year, month=month, now=now)
    if any(m.unit not in month_figures.units for m in mentions):
        return Refusal.UNKNOWN_UNIT
    number = await circulars.next_number(session, programme_id=programme.id, year=today.year)
    content = circular(programme.name, month_figures, mentions, number=number, issued_on=today)
    circulars.record(session, programme_id=programme.id, circular=content, actor=actor, now=now)
    t = tr(programme.locale)  # the group reads the programme's language
    data = await asyncio.to_thread(circular_docx, t, content)  # python-docx is CPU work
    name = circular_name(t, content.year, content.number)
    caption = t._(
        "{name} on {month}, issued by the task force.",
        name=name,
        month=t.month(year, month),
    )
    tell(
        session,
        programme_id=programme.id,
        about=f"circular:{content.year}-{content.number}",
        chat_id=chat,
        text=caption,
        now=now,
        locale=programme.locale,
        file=("document", f"{name}.docx", data),
    )
    return Issued(content)
