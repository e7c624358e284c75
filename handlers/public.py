"""群众监督, the sender's side: anyone with the public link writes a 监督意见, step by step."""

# The sender may be a stranger: these steps pass the gate as `public`, show nothing of the
# programme but its name and its areas, and bind nobody to it.

from __future__ import annotations

from telegram import Message, Update
from telegram.ext import ConversationHandler

from bot.context import CadenceContext
from core.domain.public import MAX_NOISE, MAX_PHOTOS, MAX_TEXT, parse_payload
from core.render import public as words
from core.render.callbacks_public import PublicArea, PublicStep
from core.render.plain_keys import Keyboard
from handlers.drafts import PublicDraft, drafts
from handlers.gate import Where, gate
from handlers.keys import markup
from handlers.send import answer_query
from storage import history, public
from storage.models import Programme
from usecases import public as channel

TEXT, PHOTOS, ABOUT, NAME = range(4)
END = ConversationHandler.END


def _draft(context: CadenceContext) -> PublicDraft | None:
    return drafts(context).public_draft


async def _programme(context: CadenceContext) -> Programme | None:
    draft = _draft(context)
    pid = draft.programme_id if draft else None
    if not isinstance(pid, int):
        return None
    return await context.session.get(Programme, pid)


async def _say(update: Update, text: str, reply_markup: Keyboard | None = None) -> None:
    message = update.effective_message
    assert message is not None
    await message.reply_text(text, reply_markup=markup(reply_markup))


async def _noise(
    update: Update, context: CadenceContext, why: str, state: int, said: str = ""
) -> int:
    """A message that fits no step: refused plainly; too many of them drop the draft."""
    draft = _draft(context)
    if draft is None:
        await _say(update, words.cancelled(context.t))
        return END
    draft.noise += 1
    if draft.noise > MAX_NOISE:
        drafts(context).public_draft = None
        await _say(update, words.refusal(context.t, "flood"))
        return END
    markup = words.next_keyboard(context.t) if state == PHOTOS else None
    await _say(update, said or words.refusal(context.t, why), reply_markup=markup)
    return state


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def begin(update: Update, context: CadenceContext) -> int:
    """/start jiandu[_KEY]: which programme, whether today's items are left, then the text."""
    assert update.effective_user is not None
    link = parse_payload((context.args or [""])[0])
    programme = await channel.programme_of(context.session, link) if link else None
    if programme is None or programme.id is None:
        await _say(update, words.refusal(context.t, "no_programme"))
        return END
    now = context.svc.clock.now()
    user_id = update.effective_user.id
    if not await channel.may_write(context.session, programme=programme, user_id=user_id, now=now):
        await _say(update, words.refusal(context.t, "limit"))
        return END
    drafts(context).public_draft = PublicDraft(programme_id=programme.id)
    await _say(update, words.intro(context.t, programme.name))
    return TEXT


def _too_long(context: CadenceContext, text: str) -> str | None:
    if not text:
        return words.refusal(context.t, "empty")
    if len(text) > MAX_TEXT:
        return words.refusal(context.t, "too_long", got=len(text))
    return None


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def text(update: Update, context: CadenceContext) -> int:
    """The comment's text (or a photo with it as its caption)."""
    message = update.effective_message
    draft = _draft(context)
    assert message is not None
    if draft is None:
        await _say(update, words.cancelled(context.t))
        return END
    if message.photo and not message.caption:
        return await _noise(update, context, "text_first", TEXT)
    said = (message.caption if message.photo else message.text) or ""
    refused = _too_long(context, said.strip())
    if refused is not None:
        await _say(update, refused)
        return TEXT
    draft.text = said.strip()
    if message.photo:
        draft.photos = [message.photo[-1].file_id]
        await _say(
            update, words.photo_taken(context.t, 1), reply_markup=words.next_keyboard(context.t)
        )
    else:
        await _say(update, words.ask_photos(context.t), reply_markup=words.next_keyboard(context.t))
    return PHOTOS


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def photo(update: Update, context: CadenceContext) -> int:
    """One more photo, up to MAX_PHOTOS."""
    message = update.effective_message
    draft = _draft(context)
    assert message is not None and message.photo
    if draft is None:
        await _say(update, words.cancelled(context.t))
        return END
    photos = draft.photos
    if len(photos) >= MAX_PHOTOS:
        return await _noise(update, context, "photos", PHOTOS)
    photos.append(message.photo[-1].file_id)
    await _say(
        update,
        words.photo_taken(context.t, len(photos)),
        reply_markup=words.next_keyboard(context.t),
    )
    return PHOTOS


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def file(update: Update, context: CadenceContext) -> int | None:
    """A document instead of a photo: refused, in whichever step."""
    draft = _draft(context)
    return await _noise(update, context, "file", PHOTOS if draft and draft.text else TEXT)


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def stray_text(update: Update, context: CadenceContext) -> int:
    """Text where photos or buttons are expected."""
    return await _noise(update, context, "text_again", PHOTOS)


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def stray_in_about(update: Update, context: CadenceContext) -> int:
    """A photo or file where the area or code is expected."""
    return await _noise(update, context, "buttons", ABOUT)


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def stray_in_name(update: Update, context: CadenceContext) -> int:
    """Anything typed at the last step."""
    return await _noise(update, context, "buttons", NAME)


async def _ask_name(update: Update, context: CadenceContext) -> int:
    await _say(update, words.ask_name(context.t), reply_markup=words.name_keyboard(context.t))
    return NAME


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def photos_done(update: Update, context: CadenceContext) -> int | None:
    """Next: what it is about."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    programme = await _programme(context)
    if (
        programme is None
        or programme.id is None
        or context.pressed(PublicStep) != PublicStep("next")
    ):
        await answer_query(query, context.t._("This button has expired."), alert=True)
        return None
    await query.answer()
    areas = [
        (a.id or 0, a.name) for a in await public.areas(context.session, programme_id=programme.id)
    ]
    await query.message.reply_text(
        words.ask_about(context.t), reply_markup=markup(words.about_keyboard(context.t, areas))
    )
    return ABOUT


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def about_button(update: Update, context: CadenceContext) -> int | None:
    """An area's button, or 不指定."""
    query = update.callback_query
    assert query is not None
    programme, draft, button = await _programme(context), _draft(context), context.button
    area_id = button.area_id if isinstance(button, PublicArea) else None
    areas = (
        {a.id for a in await public.areas(context.session, programme_id=programme.id or 0)}
        if programme
        else set()
    )
    if draft is None or not (button == PublicStep("none") or area_id in areas):
        await answer_query(query, context.t._("This button has expired."), alert=True)
        return None
    draft.area_id = area_id
    await query.answer()
    return await _ask_name(update, context)


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def about_text(update: Update, context: CadenceContext) -> int:
    """A measure's code, an area's number or its name, typed."""
    message = update.effective_message
    programme, draft = await _programme(context), _draft(context)
    assert message is not None
    if programme is None or programme.id is None or draft is None:
        await _say(update, words.cancelled(context.t))
        return END
    typed = (message.text or "").strip()
    measure = await history.measure_by_code(context.session, programme_id=programme.id, code=typed)
    if measure is not None and measure.removed_at is None:
        draft.measure_id = measure.id
        return await _ask_name(update, context)
    for area in await public.areas(context.session, programme_id=programme.id):
        if typed in (str(area.number), area.name):
            draft.area_id = area.id
            return await _ask_name(update, context)
    return await _noise(update, context, "", ABOUT, words.unknown_about(context.t, typed))


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def send(update: Update, context: CadenceContext) -> int | None:
    """Unnamed or named: the item is stored, numbered, and goes to the task force."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    programme, draft, button = await _programme(context), _draft(context), context.button
    if (
        programme is None
        or draft is None
        or button not in (PublicStep("anon"), PublicStep("named"))
    ):
        await answer_query(query, context.t._("This button has expired."), alert=True)
        return None
    named = button == PublicStep("named")
    handle = f" @{user.username}" if user.username else ""
    name = f"{user.full_name}{handle}" if named else None
    number = await channel.submit(
        context.session,
        programme=programme,
        sender=channel.Sender(user_id=user.id, locale=context.t.locale, name=name),
        draft=channel.Draft(
            text=draft.text,
            photos=list(draft.photos),
            measure_id=draft.measure_id,
            area_id=draft.area_id,
        ),
        now=context.svc.clock.now(),
    )
    drafts(context).public_draft = None
    await query.answer()
    assert isinstance(query.message, Message)
    reply = query.message.reply_text
    if number is None:
        await reply(words.refusal(context.t, "limit"))
        return END
    said = words.received(context.t, number, programme.name)
    context.reply(lambda: reply(said))  # "received" once it is stored
    return END


@gate(where=Where.PRIVATE, needs_programme=False, public=True)
async def cancel(update: Update, context: CadenceContext) -> int:
    """/cancel: nothing is sent."""
    drafts(context).public_draft = None
    await _say(update, words.cancelled(context.t))
    return END
