"""Ledger import by file in a private chat: preview, then confirm."""

from __future__ import annotations

import hashlib

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

from bot.context import CadenceContext
from core.domain.ledger import MAX_BYTES, ParsedLedger, Problem, parse_ledger
from core.domain.model import Role
from core.i18n import Tr
from core.render.callback_codec import MAX_PAGE
from core.render.callbacks import Import, ImportSheet
from core.render.ledger import issues_text, preview_text
from core.render.measures import short
from handlers.drafts import PendingLedger, drafts
from handlers.founding import offer
from handlers.gate import Where, gate
from handlers.ledger_import import current, fetch, pending_for, reread, write
from handlers.send import answer_query, reply_long
from storage import ledger_store

PROGRESS_SECONDS = (
    1.0  # Telegram throttles edits of one message: at most one progress edit a second
)


def too_large_text(t: Tr, filename: str, cap: int) -> str:
    """A file over the size cap: the cap, and what to do."""
    return t._(
        "Nothing was imported from {file}: it is larger than {mb} MB, the most one import takes."
        " Save it as XLSX (smaller than CSV) or split the ledger into several files.",
        file=filename,
        mb=t.num(cap // 1_000_000),
    )


def refusal_text(t: Tr, parsed: ParsedLedger, filename: str) -> str:
    """Why nothing was imported: a file over a cap says the cap; any other, every problem."""
    issue = parsed.issues[0] if len(parsed.issues) == 1 else None
    if issue is not None and issue.problem is Problem.TOO_LARGE:
        return too_large_text(t, filename, int(issue.value))
    if issue is not None and issue.problem is Problem.TOO_MANY_ROWS:
        return t._(
            "Nothing was imported from {file}: it has more than {rows} rows, the most one import"
            " takes. Split the ledger into several files and import them one after another.",
            file=filename,
            rows=t.num(int(issue.value)),
        )
    return issues_text(t, parsed, filename)


async def preview(update: Update, context: CadenceContext) -> None:
    """Parse the file, report every problem or preview what importing it would do (gated by the caller)."""
    message = update.effective_message
    assert message is not None and message.document is not None
    t, doc = context.t, message.document
    name = doc.file_name or "ledger"
    if doc.file_size and doc.file_size > MAX_BYTES:
        await message.reply_text(too_large_text(t, name, MAX_BYTES))
        return
    data = await fetch(context, doc.file_id)
    digest = hashlib.sha256(data).hexdigest()[:16]
    pending = PendingLedger(
        file_id=doc.file_id, name=name, sha=digest, programme_id=current(context)
    )
    drafts(context).ledger_import = pending
    parsed = parse_ledger(data, name, max_bytes=MAX_BYTES)
    if parsed.sheets and not parsed.rows:
        pending.sheets = list(parsed.sheets)
        buttons = [
            [InlineKeyboardButton(short(sheet), callback_data=ImportSheet(digest, i).pack())]
            for i, sheet in enumerate(parsed.sheets[: MAX_PAGE + 1])
        ]
        text = t._(
            "{file} has several sheets that hold a ledger. Which one should be imported?",
            file=name,
        )
        await message.reply_text(text, reply_markup=InlineKeyboardMarkup(buttons))
        return
    await _preview(message, context, parsed)


async def _preview(message: Message, context: CadenceContext, parsed: ParsedLedger) -> None:
    """Every problem of the file, or what importing it would do with buttons to go on."""
    t = context.t
    pending = drafts(context).ledger_import
    assert pending is not None
    name, digest = pending.name, pending.sha
    if not parsed.ok:
        drafts(context).ledger_import = None
        await reply_long(message, refusal_text(t, parsed, name))
        return
    if context.programme is None:
        await offer(message, context, parsed)
        return
    plan = await ledger_store.plan(
        context.session, programme_id=context.programme_id, rows=parsed.rows
    )
    kept = plan.kept or plan.kept_deadlines or plan.kept_edits
    if not plan.writes and not plan.missing and not kept:
        drafts(context).ledger_import = None
        await message.reply_text(
            t._("Nothing to change: the ledger already matches {file}.", file=name)
        )
        return
    keep, drop, cancel = (Import(a, digest).pack() for a in ("keep", "drop", "no"))
    buttons = [InlineKeyboardButton(t._("Import"), callback_data=keep)]
    if plan.missing:
        buttons = [
            InlineKeyboardButton(t._("Import, keep missing"), callback_data=keep),
            InlineKeyboardButton(t._("Import, remove missing"), callback_data=drop),
        ]
    rows = [buttons]
    if kept:
        # a status, deadline or edit made in chat is kept by default; this takes the file's instead
        files = Import("file", digest).pack()
        if plan.kept_edits:
            label = t._("Import, the file's values over chat's")
        elif not plan.kept_deadlines:
            label = t._("Import, statuses from the file")
        elif not plan.kept:
            label = t._("Import, deadlines from the file")
        else:
            label = t._("Import, statuses and deadlines from the file")
        rows.append([InlineKeyboardButton(label, callback_data=files)])
    rows.append([InlineKeyboardButton(t._("Cancel"), callback_data=cancel)])
    keyboard = InlineKeyboardMarkup(rows)
    await reply_long(message, preview_text(t, plan, parsed, context.programme.name), keyboard)


receive_file = gate(Role.COORDINATOR, where=Where.PRIVATE)(preview)


# no programme needed: an admin founding one from a workbook chooses its sheet too
@gate(where=Where.PRIVATE, needs_programme=False)
async def choose_sheet(update: Update, context: CadenceContext) -> None:
    """Preview the sheet the coordinator chose; stale or forged buttons do nothing."""
    query = update.callback_query
    assert query is not None
    t = context.t
    button = context.pressed(ImportSheet)
    pending = pending_for(context, button.digest) if button is not None else None
    sheets = pending.sheets if pending else []
    if button is None or not pending or button.index >= len(sheets):
        await answer_query(query, t._("This preview has expired. Send the file again."), alert=True)
        return
    await query.answer()
    pending.sheet = sheets[button.index]
    await query.edit_message_text(t._("Sheet chosen: {sheet}", sheet=pending.sheet))
    data = await fetch(context, pending.file_id)
    parsed = parse_ledger(data, pending.name, sheet=pending.sheet, max_bytes=MAX_BYTES)
    assert isinstance(query.message, Message)
    await _preview(query.message, context, parsed)


@gate(Role.COORDINATOR, where=Where.PRIVATE)
async def confirm(update: Update, context: CadenceContext) -> None:
    """Write the previewed file, all or nothing; stale or forged buttons do nothing."""
    query = update.callback_query
    assert query is not None
    t = context.t
    button = context.pressed(Import)
    pending = pending_for(context, button.digest) if button is not None else None
    if button is None or not pending:
        await answer_query(query, t._("This preview has expired. Send the file again."), alert=True)
        return
    action = button.action
    await query.answer()
    # taken at once: this runs beside other updates, and a second press must find nothing
    drafts(context).ledger_import = None
    if action == "no":
        await query.edit_message_text(t._("Import cancelled. Nothing was written."))
        return
    parsed = await reread(context, pending)
    if parsed is None:
        await query.edit_message_text(t._("This preview has expired. Send the file again."))
        return
    importer = context.member.person_id if context.member else None
    await write(query, context, parsed, action=action, importer_id=importer)
