"""半月一研判: the review's digest for the task force, whoever asks for it."""

from __future__ import annotations

from datetime import date, datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import today_in
from core.domain.closing import answer_by
from core.domain.model import Beat
from core.domain.public import overdue
from core.domain.shares import never_reported
from core.domain.workcal import CalendarKind
from core.i18n import tr
from core.render import closing
from core.render import public as public_words
from core.render.digest import review_text
from core.render.keyboards import red_buttons, with_board
from core.render.shares import never_reported_lines
from storage import beats, followups, lookbacks, public, reports, shares
from storage.models import Programme
from usecases.digest import Digest, Part, measure_ids


async def review(
    session: AsyncSession,
    *,
    programme: Programme,
    period: str,
    now: datetime,
    board: str | None = None,
) -> Digest | None:
    """The review digest for the task-force chat, or the leadership group if none."""
    chat = programme.taskforce_chat_id or programme.leadership_chat_id
    if chat is None:
        return None
    assert programme.id is not None
    today = today_in(now, programme.timezone)
    content, snap = await reports.review_content(
        session, programme=programme, today=today, period=period
    )
    t = tr(programme.locale)
    # from the review a coordinator issues a work prompt letter, a leader follows up (督办)
    red = await measure_ids(session, programme.id, [o.measure.code for o in content.red])
    last = await beats.latest(session, programme_id=programme.id, beat=Beat.REVIEW, before=period)
    start = last.sent_at if last else None
    asked = await followups.since(
        session, programme_id=programme.id, start=start, today=today, tz=programme.timezone
    )
    # a 督办 still waiting at the last review stays listed until answered, and its answer is news
    earlier = await followups.carried(
        session, programme_id=programme.id, start=start, today=today, tz=programme.timezone
    )
    kind = CalendarKind(programme.calendar)
    late = [
        (code, due)
        for code, due, asked in await lookbacks.unanswered(
            session, programme_id=programme.id, tz=programme.timezone
        )
        if answer_by(max(due, asked), kind) < today
    ]
    text = "\n".join(
        [
            review_text(t, content, programme.name),
            *closing.review_lines(t, asked, late, today, earlier),
            *await _public_late(session, programme, today),
            *never_reported_lines(t, await silent_co_units(session, programme_id=programme.id)),
        ]
    )
    return Digest(chat, [Part(text, with_board(t, red_buttons(t, red, letters=True), board))], snap)


async def _public_late(session: AsyncSession, programme: Programme, today: date) -> list[str]:
    """群众监督: the items unanswered after 5 working days, for the review."""
    assert programme.id is not None
    kind = CalendarKind(programme.calendar)
    received = [
        (number, today_in(at, programme.timezone))
        for number, at in await public.unanswered(session, programme_id=programme.id)
    ]
    late = [(n, day) for n, day in received if overdue(day, today, kind)]
    return public_words.review_lines(tr(programme.locale), late, today)


async def silent_co_units(session: AsyncSession, *, programme_id: int) -> dict[str, list[str]]:
    """Co-unit → its open shares never answered, for the review."""
    due = [
        (m.code, unit)
        for mine in (await shares.open_shares(session, programme_id=programme_id)).values()
        for m, unit in mine
    ]
    return never_reported(due, await shares.answered(session, programme_id=programme_id))
