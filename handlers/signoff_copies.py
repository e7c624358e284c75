"""A coordinator's own copy of a request, sent as the reply to /pending (the rest: usecases.copies)."""

from __future__ import annotations

from telegram import Message

from bot.context import CadenceContext
from core.i18n import tr
from core.render.decisions import decide_keyboard, request_text
from handlers.send import send_long
from storage import decision_copies
from storage.decisions import EXTENSION, RequestView
from storage.models import Person
from usecases.copies import local_views, locale_of


async def send_copy(context: CadenceContext, view: RequestView, me: Person) -> Message:
    """The acting coordinator's own copy of a request (/pending), remembered for edits."""
    assert context.programme is not None and view.request.id is not None
    assert me.telegram_user_id is not None and me.id is not None
    locale = await locale_of(context.session, context.programme, me)
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
