"""An admin's first ledger file when no programme exists: one press creates it and imports."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.context import CadenceContext
from core.domain.founding import programme_name
from core.domain.ledger import ParsedLedger
from core.i18n import Tr
from core.render.callbacks import Found
from core.render.ledger import preview_text
from handlers import ledger_import
from handlers.admin import founded
from handlers.drafts import drafts
from handlers.gate import Where, gate
from handlers.send import answer_query, reply_long
from storage import ledger_store, programmes


async def offer(message: Message, context: CadenceContext, parsed: ParsedLedger) -> None:
    """An admin with no programme: offer one named after the file, created with this ledger."""
    t = context.t
    pending = drafts(context).ledger_import
    assert pending is not None
    name, titled = programme_name(parsed.title, pending.name)
    if await programmes.by_name(context.session, name=name) is not None:
        drafts(context).ledger_import = None
        await message.reply_text(taken_text(t, name))
        return
    pending.found = name
    plan = await ledger_store.plan(context.session, programme_id=0, rows=parsed.rows, current={})
    offer = (
        t._("No programme yet. The button below creates programme {name}, named after the title of the file, and imports this ledger into it.", name=name)
        if titled
        else t._("No programme yet. The button below creates programme {name}, named after the file, and imports this ledger into it.", name=name)
    )  # fmt: skip
    other = t._("For another name, send /newprogramme NAME first, then the file again.")
    label = t._("Create {name} and import", name=name)
    button = InlineKeyboardButton(label, callback_data=Found(pending.sha).pack())
    text = f"{offer}\n\n{preview_text(t, plan, parsed, name)}\n\n{other}"
    await reply_long(message, text, InlineKeyboardMarkup([[button]]))


def taken_text(t: Tr, name: str) -> str:
    """The name a file gives is another programme's: how to import into it, or name a new one."""
    return t._(
        "A programme named {name} already exists. To import this file into it, send /use {name}"
        " and then the file again; for a new programme, send /newprogramme NAME first.",
        name=name,
    )


@gate(where=Where.PRIVATE, needs_programme=False)
async def create_and_import(update: Update, context: CadenceContext) -> None:
    """Create the programme the preview named and import its file, in one transaction."""
    query, user = update.callback_query, update.effective_user
    assert query is not None and user is not None
    t = context.t
    button = context.pressed(Found)
    if not context.is_admin:
        await answer_query(query, t._("Sorry, only admins can create programmes."), alert=True)
        return
    if context.programme is not None:  # a second press, or /newprogramme since the preview
        text = t._(
            "You already work on programme {name}. To import the file into it, send it again.",
            name=context.programme.name,
        )
        await answer_query(query, text, alert=True)
        return
    pending = ledger_import.pending_for(context, button.digest) if button is not None else None
    name = pending.found if pending else None
    if pending is None or not name:
        await answer_query(query, t._("This preview has expired. Send the file again."), alert=True)
        return
    # taken before any wait: this runs beside other updates, and a second press must find nothing
    drafts(context).ledger_import = None
    if await programmes.by_name(context.session, name=name) is not None:
        await answer_query(query, taken_text(t, name), alert=True)
        return
    await query.answer()
    parsed = await ledger_import.reread(context, pending)
    if parsed is None:
        await query.edit_message_text(t._("This preview has expired. Send the file again."))
        return
    context.programme, me = await founded(context, user, name)
    lead = t._("Programme {name} created, and you are its coordinator.", name=name)
    more = t._("To send it sooner, send /dispatch once the owners are bound.")
    await ledger_import.write(
        query, context, parsed, action="keep", importer_id=me.id, lead=lead, more=more
    )
