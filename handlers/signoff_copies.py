"""Coordinators' copies of a sign-off or extension request: sent with evidence, edited on decision."""

from __future__ import annotations

import json
import logging
from zoneinfo import ZoneInfo

from telegram import Message
from telegram.error import TelegramError

from bot.context import CadenceContext
from core.domain.model import Role
from core.i18n import tr
from core.render.decisions import Request, Verdict, decide_keyboard, request_text
from core.render.limits import MEDIA_GROUP
from handlers.send import send_long
from storage import decision_copies, decisions, outbox, people
from storage.decisions import APPROVED, EXTENSION, PENDING, RequestView
from storage.models import EvidenceFile, Person, Programme
from usecases import notices

log = logging.getLogger(__name__)


def local_views(programme: Programme, view: RequestView) -> tuple[Request, Verdict | None]:
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


COPY = "copy:"  # the notices' `about` of a coordinator's copy of request N: copy:N


async def locale_of(context: CadenceContext, person: Person) -> str:
    found = await people.locales_of(context.session, user_ids=[person.telegram_user_id or 0])
    fallback = context.programme.locale if context.programme else None
    return found.get(person.telegram_user_id or 0) or fallback or "zh_CN"


async def send_copy(context: CadenceContext, view: RequestView, me: Person) -> Message:
    """The acting coordinator's own copy of a request (/pending), remembered for edits."""
    assert context.programme is not None and view.request.id is not None
    assert me.telegram_user_id is not None and me.id is not None
    locale = await locale_of(context, me)
    t = tr(locale)
    request, verdict = local_views(context.programme, view)
    extension = view.request.kind == EXTENSION
    markup = decide_keyboard(t, view.request.id, extension=extension) if verdict is None else None
    sent = await send_long(
        context.bot, me.telegram_user_id, request_text(t, request, verdict), markup
    )
    if verdict is None:
        await decision_copies.add_copy(
            context.session,
            request=view.request,
            person_id=me.id,
            chat_id=sent.chat_id,
            message_id=sent.message_id,
            locale=locale,
        )
    return sent


async def notify_signoff_request(context: CadenceContext, request_id: int) -> int:
    """Plan the request, its evidence and the decision buttons for every bound coordinator.

    In the request's own transaction: the copies go out once it is stored, and are never lost
    to a crash between the two.
    """
    assert context.programme is not None
    view = await decisions.view(context.session, request_id=request_id)
    assert view is not None
    coordinators = await people.with_role(
        context.session, programme_id=context.programme_id, role=Role.COORDINATOR
    )
    now, told = context.svc.clock.now(), 0
    request, _ = local_views(context.programme, view)
    extension = view.request.kind == EXTENSION
    for person in coordinators:
        if not person.telegram_user_id:
            continue
        locale = await locale_of(context, person)
        t = tr(locale)
        for kind, payload in evidence_messages(view.files):
            notices.tell(
                context.session, programme_id=context.programme_id,
                about=f"evidence:{request_id}", person=person, text=payload, now=now,
                file=(kind, "", b""),
            )  # fmt: skip
        notices.tell(
            context.session, programme_id=context.programme_id, about=f"{COPY}{request_id}",
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


async def edit_copies(context: CadenceContext, view: RequestView) -> None:
    """Every coordinator's copy now says who decided what, and when; no buttons are left."""
    assert context.programme is not None and view.request.id is not None
    request, verdict = local_views(context.programme, view)
    sent = [
        (c.chat_id, c.message_id, c.locale)
        for c in await decision_copies.copies(context.session, request_id=view.request.id)
    ]
    for row in await outbox.of_notice(
        context.session, programme_id=context.programme_id, about=f"{COPY}{view.request.id}"
    ):
        if row.state == outbox.SENT and row.message_id is not None:
            sent.append((row.chat_id, row.message_id, row.locale))
        elif row.state in (outbox.QUEUED, outbox.HELD):  # not out yet: it goes out decided
            row.text, row.markup = request_text(tr(row.locale), request, verdict), ""
            context.session.add(row)
    for chat_id, message_id, locale in sent:
        text = request_text(tr(locale), request, verdict)
        try:
            await context.bot.edit_message_text(text, chat_id, message_id, reply_markup=None)
        except TelegramError as exc:
            log.warning("copy in %s of request %s not edited: %s", chat_id, view.request.id, exc)
