"""A previewed ledger file and its import: the pending preview, the file read again, and the
use case (usecases.ledger_import) called with it, its progress and its reply shown."""

from __future__ import annotations

import contextlib
import hashlib

from telegram import CallbackQuery
from telegram.error import TelegramError

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.ledger import MAX_BYTES, ParsedLedger, parse_ledger
from core.render.ledger import done_text
from core.render.limits import MESSAGE_TEXT, fit
from handlers.drafts import PendingLedger, drafts
from handlers.next_steps import next_steps
from usecases.ledger_import import PROGRESS_ROWS, Action, LedgerImport, import_ledger

LIMIT = MESSAGE_TEXT[1]


async def fetch(context: CadenceContext, file_id: str) -> bytes:
    file = await context.bot.get_file(file_id)
    return bytes(await file.download_as_bytearray())


def current(context: CadenceContext) -> int | None:
    """The caller's programme, or None: an admin with none is offered one made from the file."""
    return context.programme.id if context.programme is not None else None


def pending_for(context: CadenceContext, digest: str) -> PendingLedger | None:
    """The preview a button of this file belongs to, if it is still the caller's latest here."""
    pending = drafts(context).ledger_import
    if pending is None or pending.sha != digest or pending.programme_id != current(context):
        return None
    return pending


async def reread(context: CadenceContext, pending: PendingLedger) -> ParsedLedger | None:
    """The previewed file read again, or None when it is no longer the one previewed."""
    data = await fetch(context, pending.file_id)
    parsed = parse_ledger(data, pending.name, sheet=pending.sheet, max_bytes=MAX_BYTES)
    if hashlib.sha256(data).hexdigest()[:16] != pending.sha or not parsed.ok:
        return None
    return parsed


async def write(
    query: CallbackQuery,
    context: CadenceContext,
    parsed: ParsedLedger,
    *,
    action: str,
    importer_id: int | None,
    lead: str = "",
    more: str = "",
) -> None:
    """Import the parsed file into the caller's programme, in the update's transaction, and say
    what it wrote (after `lead`) and what comes next (then `more`)."""
    t = context.t
    assert context.programme is not None
    now = context.svc.clock.now()
    total = len(parsed.rows)

    async def progress(done: int, _total: int) -> None:
        text = t._("Importing: {done} of {total} rows done…", done=t.num(done), total=t.num(total))
        # only news: an edit Telegram refuses (too many too fast) must not undo the import
        with contextlib.suppress(TelegramError):
            await query.edit_message_text(text)

    if total > PROGRESS_ROWS:
        await progress(0, total)
    # the button's word: what it is not ("file", "drop") keeps what chat changed
    chosen: Action = "file" if action == "file" else "drop" if action == "drop" else "keep"
    request = LedgerImport(
        programme=context.programme, rows=parsed.rows, action=chosen, actor=context.actor,
        importer_id=importer_id, now=now, today=today_in(now, context.programme.timezone),
    )  # fmt: skip
    plan = await import_ledger(context.session, request, progress=progress)
    context.replan_after_commit(context.programme_id)
    done = t.sentences(lead, done_text(t, plan, removed=action == "drop"))
    after = "\n".join(x for x in (await next_steps(context, context.programme), more) if x)
    await query.edit_message_text(fit(done, LIMIT - len(after) - 2) + "\n\n" + after)
