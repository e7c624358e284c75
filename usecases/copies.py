"""Coordinators' copies of a sign-off or extension request: planned with it, edited on decision.

Both go through the outbox in the transaction of what they tell of: a copy with its evidence
when a request is stored, an edit of every copy already out when it is decided.
"""

from __future__ import annotations

import json
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.evidence import Fingerprint, used_for
from core.domain.model import Role
from core.i18n import tr
from core.render.decisions import Request, Verdict, decide_keyboard, request_text
from core.render.limits import MEDIA_GROUP
from storage import decision_copies, decisions, outbox, people
from storage.decisions import APPROVED, EXTENSION, PENDING, RequestView
from storage.models import EvidenceFile, Person, Programme
from usecases import notices

COPY = "copy:"  # the notices' `about` of a coordinator's copy of request N: copy:N


def local_views(programme: Programme, view: RequestView) -> tuple[Request, Verdict | None]:
    """The request and its verdict (None while undecided) in the programme's time zone."""
    tz = ZoneInfo(programme.timezone)
    r = view.request
    request = Request(
        code=view.measure.code,
        text=view.measure.text,
        owner=view.owner,
        unit=view.unit,
        deadline=view.measure.deadline,
        asked=r.created_at.astimezone(tz),
        report=r.report,
        files=len(view.files),
        extension=r.new_deadline if r.kind == EXTENSION else None,
        original=view.measure.original_deadline,
        reused=tuple(
            (f.name, tuple(codes))
            for f in view.files
            if (
                codes := used_for(
                    Fingerprint(view.measure.code, f.file_unique_id, f.sha256), view.look_alikes
                )
            )
        ),
    )
    verdict = None
    if r.state != PENDING and r.decided_at is not None:
        verdict = Verdict(
            r.state == APPROVED,
            view.decided_by,
            r.decided_at.astimezone(tz),
            r.reason,
            extension=r.kind == EXTENSION,
        )
    return request, verdict


async def locale_of(session: AsyncSession, programme: Programme, person: Person) -> str:
    """A person's language: chosen, else Telegram's, else the programme's."""
    found = await people.locales_of(session, user_ids=[person.telegram_user_id or 0])
    return found.get(person.telegram_user_id or 0) or programme.locale or "zh_CN"


async def plan_copies(
    session: AsyncSession, *, programme: Programme, request_id: int, now: datetime
) -> int:
    """Plan the request, its evidence and the decision buttons for every bound coordinator."""
    assert programme.id is not None
    view = await decisions.view(session, request_id=request_id)
    assert view is not None
    coordinators = await people.with_role(session, programme_id=programme.id, role=Role.COORDINATOR)
    told = 0
    request, _ = local_views(programme, view)
    extension = view.request.kind == EXTENSION
    for person in coordinators:
        if not person.telegram_user_id:
            continue
        locale = await locale_of(session, programme, person)
        t = tr(locale)
        for kind, payload in evidence_messages(view.files):
            notices.tell(
                session, programme_id=programme.id, about=f"evidence:{request_id}",
                person=person, text=payload, now=now, file=(kind, "", b""),
            )  # fmt: skip
        notices.tell(
            session, programme_id=programme.id, about=f"{COPY}{request_id}",
            person=person, text=request_text(t, request, None), now=now, locale=locale,
            markup=decide_keyboard(t, request_id, extension=extension),
        )  # fmt: skip
        told += 1
    return told


def evidence_messages(files: list[EvidenceFile]) -> list[tuple[str, str]]:
    """(kind, text) of the outbox messages that forward evidence: albums where Telegram allows."""
    out: list[tuple[str, str]] = []
    for kind in ("document", "photo"):
        group = [f for f in files if f.kind == kind]
        for start in range(0, len(group), MEDIA_GROUP[1]):
            chunk = group[start : start + MEDIA_GROUP[1]]
            if len(chunk) >= MEDIA_GROUP[0]:
                out.append(("album", json.dumps([[kind, f.file_id] for f in chunk])))
            else:
                out.append(("doc_id" if kind == "document" else "photo_id", chunk[0].file_id))
    return out


async def plan_edits(
    session: AsyncSession, *, programme: Programme, view: RequestView, now: datetime
) -> int:
    """Every coordinator's copy will say who decided what, and when, with no buttons left.

    A copy already out is edited by the sender once this transaction commits; one not out yet
    goes out decided. Returns how many edits are planned.
    """
    assert programme.id is not None and view.request.id is not None
    request, verdict = local_views(programme, view)
    sent: list[tuple[int, int, str, int | None]] = [
        (c.chat_id, c.message_id, c.locale, c.person_id)
        for c in await decision_copies.copies(session, request_id=view.request.id)
    ]
    about = f"{COPY}{view.request.id}"
    for row in await outbox.of_notice(session, programme_id=programme.id, about=about):
        if row.state == outbox.SENT and row.message_id is not None:
            sent.append((row.chat_id, row.message_id, row.locale, row.person_id))
        elif row.state in (outbox.QUEUED, outbox.HELD):  # not out yet: it goes out decided
            row.text, row.markup = request_text(tr(row.locale), request, verdict), ""
            session.add(row)
    for chat_id, message_id, locale, person_id in sent:
        notices.edit(
            session, programme_id=programme.id, about=f"edited:{view.request.id}",
            chat_id=chat_id, message_id=message_id, person_id=person_id, now=now,
            text=request_text(tr(locale), request, verdict), locale=locale,
        )  # fmt: skip
    return len(sent)
