"""Decide a sign-off or extension request: the first decision wins, every copy and the owner hear."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.clock import today_in
from core.domain.model import Status
from core.i18n import Tr, tr
from core.render.decisions import Request, Verdict, verdict_line
from core.render.keyboards import answer_choices
from storage import decisions, withdrawals
from storage.decisions import APPROVED, EXTENSION, REJECTED, RequestView
from storage.models import Person, Programme
from usecases.actor import Actor
from usecases.copies import local_views, locale_of, plan_edits
from usecases.notices import tell


@dataclass(frozen=True)
class Open:
    """A request still to decide."""

    request: Request
    extension: bool


@dataclass(frozen=True)
class Withdrawn:
    """The ledger overtook the request (a re-import, a status changed): nothing to decide."""

    code: str
    status: Status


@dataclass(frozen=True)
class Already:
    """Someone decided first: their verdict stands."""

    verdict: Verdict


@dataclass(frozen=True)
class Decided:
    """The reply to the coordinator whose decision won."""

    verdict: Verdict
    extension: bool


async def open_request(
    session: AsyncSession, *, programme: Programme, request_id: int, actor: Actor, now: datetime
) -> Open | Withdrawn | Already | None:
    """The request as it stands; a stale one is withdrawn (audited); None if not this programme's."""
    view = await decisions.view(session, request_id=request_id)
    if view is None or view.request.programme_id != programme.id:
        return None
    request, measure = view.request, view.measure
    if withdrawals.stale(request, measure):
        withdrawals.withdraw(session, request, measure, actor=actor.audit, now=now)
    if request.state == withdrawals.WITHDRAWN:
        return Withdrawn(code=measure.code, status=Status(measure.status))
    shown, verdict = local_views(programme, view)
    if verdict is not None:
        return Already(verdict)
    return Open(request=shown, extension=request.kind == EXTENSION)


async def decide(
    session: AsyncSession,
    *,
    programme: Programme,
    request_id: int,
    approve: bool,
    reason: str,
    actor: Actor,
    now: datetime,
) -> Decided | Withdrawn | Already | None:
    """Claim the decision; if it is ours, settle the measure, and plan the copies' edits and the
    owner's news in this transaction."""
    found = await open_request(
        session, programme=programme, request_id=request_id, actor=actor, now=now
    )
    if not isinstance(found, Open):
        return found
    won = await decisions.claim(
        session,
        request_id=request_id,
        person_id=actor.person_id,
        verdict=APPROVED if approve else REJECTED,
        reason=reason,
        now=now,
    )
    view = await decisions.view(session, request_id=request_id)
    assert view is not None
    if not won:  # another decision came first, since the request was read: it stands
        await session.refresh(view.request)
        view = await decisions.view(session, request_id=request_id)
        assert view is not None
    else:
        await decisions.settle_measure(
            session,
            request=view.request,
            actor=actor.audit,
            decider=actor.name,
            today=today_in(now, programme.timezone),
            now=now,
        )
        await plan_edits(session, programme=programme, view=view, now=now)
        await _tell_owner(session, programme, view, now)
    _, verdict = local_views(programme, view)
    assert verdict is not None
    return Decided(verdict, found.extension) if won else Already(verdict)


async def _tell_owner(
    session: AsyncSession, programme: Programme, view: RequestView, now: datetime
) -> None:
    owner = await session.get(Person, view.measure.owner_id)
    if owner is None or not owner.telegram_user_id or programme.id is None:
        return
    locale = await locale_of(session, programme, owner)
    t = tr(locale)
    request, verdict = local_views(programme, view)
    assert verdict is not None and view.measure.id is not None
    markup = None
    if request.extension is not None:
        text = _extension_news(t, request, verdict, view)
    elif verdict.approved:
        text = (
            t._("{code} is signed off (closed).", code=request.code)
            + "\n"
            + verdict_line(t, verdict)
        )
    else:
        text = "\n".join(
            [
                t._("{code} was sent back and is in progress again.", code=request.code),
                verdict_line(t, verdict),
                t._("Answer again below; when the work is done, ask for sign-off again."),
            ]
        )
        markup = answer_choices(t, view.measure.id)
    tell(
        session, programme_id=programme.id, about=f"decided:{view.request.id}",
        person=owner, text=text, now=now, markup=markup, locale=locale,
    )  # fmt: skip


def _extension_news(t: Tr, request: Request, verdict: Verdict, view: RequestView) -> str:
    """What the owner reads once an extension is decided."""
    m = view.measure
    if verdict.approved:
        head = t._(
            "The deadline of {code} is now {date} (originally {original}).",
            code=request.code,
            date=t.date(m.deadline),
            original=t.date(m.original_deadline or m.deadline),
        )
    else:
        head = t._(
            "The extension for {code} was refused; the deadline stays {date}.",
            code=request.code,
            date=t.date(m.deadline),
        )
    return head + "\n" + verdict_line(t, verdict)
