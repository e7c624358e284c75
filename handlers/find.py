"""/find TEXT: measures by code, text, unit or name, as buttons that open each, ten a page."""

from __future__ import annotations

from telegram import InlineKeyboardMarkup, Message, Update

from bot.context import CadenceContext
from core.domain.ledger_edit import MAX_QUERY
from core.domain.ledger_words import clean
from core.domain.model import Role
from core.render.callbacks_ledger import FindPage, Found
from core.render.find import results_keyboard, results_text
from core.render.limits import echo
from handlers.answer_draft import expired
from handlers.drafts import Search, drafts, next_seq
from handlers.gate import Where, gate, measure_programme
from handlers.keys import markup
from handlers.send import answer_query, reply_long
from usecases import find
from usecases.history import measure_history

ROLES = (Role.COORDINATOR, Role.LEADER, Role.OWNER)


def _viewer(context: CadenceContext) -> find.Viewer:
    held = context.member.roles if context.member else frozenset()
    sees_all = context.is_admin or bool(held & {Role.COORDINATOR, Role.LEADER})
    return find.Viewer(context.member.person_id if context.member else None, sees_all)


async def _page(
    context: CadenceContext, search: Search, page: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    t = context.t
    r = await find.search(
        context.session, programme_id=context.programme_id, viewer=_viewer(context),
        text=search.text, page=page,
    )  # fmt: skip
    text = results_text(t, echo(search.text), r.total, r.page, r.pages)
    hits = [(h.measure_id, h.code, h.text) for h in r.hits]
    return text, markup(results_keyboard(t, hits, search.id, r.page, r.pages))


@gate(*ROLES, where=Where.PRIVATE)
async def find_command(update: Update, context: CadenceContext) -> None:
    """/find TEXT."""
    message = update.effective_message
    assert message is not None
    t = context.t
    text = clean(" ".join(context.args or []))
    if not text or len(text) > MAX_QUERY:
        await message.reply_text(
            t._(
                "Please say what to look for: /find TEXT, for example /find 1.3 — a code, words of a measure, a unit or a person's name (at most {n} characters).",
                n=t.num(MAX_QUERY),
            )
        )
        return
    seq = next_seq(drafts(context).find_seq)
    drafts(context).find_seq = seq
    search = Search(id=seq, text=text, programme_id=context.programme_id)
    drafts(context).find = search
    said, keyboard = await _page(context, search, 0)
    await message.reply_text(said, reply_markup=keyboard)


@gate(*ROLES, where=Where.PRIVATE)
async def find_page(update: Update, context: CadenceContext) -> None:
    """Previous or Next under the latest search; an older search's buttons are out of date."""
    query = update.callback_query
    assert query is not None
    button = context.pressed(FindPage)
    search = drafts(context).find
    if button is None or search is None or search.programme_id != context.programme_id:
        await answer_query(query, expired(context.t), alert=True)
        return
    if button.search != search.id:
        said = context.t._(
            "These results are out of date: use the latest search, or send /find again."
        )
        await answer_query(query, said, alert=True)
        return
    await query.answer()
    said, keyboard = await _page(context, search, button.page)
    await query.edit_message_text(said, reply_markup=keyboard)


@gate(*ROLES, where=Where.PRIVATE, programme_of=measure_programme)
async def open_found(update: Update, context: CadenceContext) -> None:
    """A measure among the results: its history, if the caller may see it."""
    query = update.callback_query
    assert query is not None and isinstance(query.message, Message)
    assert context.programme is not None
    button = context.pressed(Found)
    m = (
        await find.visible(
            context.session,
            programme_id=context.programme_id,
            viewer=_viewer(context),
            measure_id=button.measure_id,
        )
        if button is not None
        else None
    )
    if m is None:
        # retired since, another programme's, or not the caller's: no more than a stale button
        await answer_query(query, expired(context.t), alert=True)
        return
    await query.answer()
    text = await measure_history(context.session, context.t, context.programme, m)
    await reply_long(query.message, text)
