"""Coordinators' copies of a sign-off or extension request: sent with evidence, edited on decision."""

from __future__ import annotations

import logging
from zoneinfo import ZoneInfo

from telegram import Bot, InputMediaDocument, InputMediaPhoto, Message
from telegram.error import TelegramError

from bot.context import CadenceContext
from core.domain.model import Role
from core.i18n import tr
from core.render.decisions import Request, Verdict, decide_keyboard, request_text
from core.render.limits import MEDIA_GROUP
from jobs.send import to_person
from storage import decision_copies, decisions, people
from storage.decisions import APPROVED, EXTENSION, PENDING, RequestView
from storage.models import EvidenceFile, Person, Programme

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


async def _send_evidence(bot: Bot, chat_id: int, files: list[EvidenceFile]) -> None:
    """Re-send the evidence by file_id: albums of documents and of photos where Telegram allows."""
    for kind in ("document", "photo"):
        group = [f for f in files if f.kind == kind]
        for start in range(0, len(group), MEDIA_GROUP[1]):
            chunk = group[start : start + MEDIA_GROUP[1]]
            if len(chunk) >= MEDIA_GROUP[0]:
                media = [
                    InputMediaDocument(f.file_id)
                    if kind == "document"
                    else InputMediaPhoto(f.file_id)
                    for f in chunk
                ]
                await bot.send_media_group(chat_id, media)
            elif kind == "document":
                await bot.send_document(chat_id, chunk[0].file_id)
            else:
                await bot.send_photo(chat_id, chunk[0].file_id)


async def locale_of(context: CadenceContext, person: Person) -> str:
    found = await people.locales_of(context.session, user_ids=[person.telegram_user_id or 0])
    fallback = context.programme.locale if context.programme else None
    return found.get(person.telegram_user_id or 0) or fallback or "zh_CN"


async def send_copy(
    context: CadenceContext, view: RequestView, person: Person, *, evidence: bool
) -> Message | None:
    """One coordinator's copy of a request, with Approve and Send back; remembered for edits."""
    assert context.programme is not None and view.request.id is not None
    locale = await locale_of(context, person)
    t = tr(locale)
    request, verdict = local_views(context.programme, view)
    if evidence and person.telegram_user_id and view.files:
        try:
            await _send_evidence(context.bot, person.telegram_user_id, view.files)
        except TelegramError:
            log.warning(
                "evidence for request %s did not reach person %s", view.request.id, person.id
            )
    extension = view.request.kind == EXTENSION
    markup = decide_keyboard(t, view.request.id, extension=extension) if verdict is None else None
    sent = await to_person(
        context.bot, person, request_text(t, request, verdict), context.svc.clock.now(), markup
    )
    context.session.add(person)
    if sent is not None and verdict is None:
        assert person.id is not None
        await decision_copies.add_copy(
            context.session,
            request=view.request,
            person_id=person.id,
            chat_id=sent.chat_id,
            message_id=sent.message_id,
            locale=locale,
        )
    return sent


async def notify_signoff_request(context: CadenceContext, request_id: int) -> int:
    """Send the request, its evidence and the decision buttons to every bound coordinator."""
    view = await decisions.view(context.session, request_id=request_id)
    assert view is not None
    coordinators = await people.with_role(
        context.session, programme_id=context.programme_id, role=Role.COORDINATOR
    )
    told = 0
    for person in coordinators:
        if person.telegram_user_id:
            told += await send_copy(context, view, person, evidence=True) is not None
    return told


async def edit_copies(context: CadenceContext, view: RequestView) -> None:
    """Every coordinator's copy now says who decided what, and when; no buttons are left."""
    assert context.programme is not None and view.request.id is not None
    request, verdict = local_views(context.programme, view)
    for copy in await decision_copies.copies(context.session, request_id=view.request.id):
        text = request_text(tr(copy.locale), request, verdict)
        try:
            await context.bot.edit_message_text(
                text, copy.chat_id, copy.message_id, reply_markup=None
            )
        except TelegramError as exc:
            log.warning("copy %s of request %s not edited: %s", copy.id, view.request.id, exc)
