"""/export: the ledger workbook and the monthly report files, on demand."""

from __future__ import annotations

from datetime import date

from telegram import Update
from telegram.constants import ChatAction, ChatType

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.model import Role
from core.domain.months import read_month
from core.domain.report import month_end
from core.i18n import N_
from handlers.bot_files import BotFiles
from handlers.export_progress import export_progress
from handlers.files import send_files
from handlers.gate import Where, gate
from handlers.send import send_long
from usecases import binder, documents
from usecases.report import monthly_package

FIRST_YEAR = 2000  # no programme's ledger is older; year 0 is no date at all
# what each kind of export is called, in every language we speak: /export 汇报 10月 works
KINDS = {
    "ledger": "ledger", "台账": "ledger", "整改台账": "ledger",
    "report": "report", "汇报": "report", "报告": "report", "月报": "report", "每月汇报": "report", "月度汇报": "report",
    "halfyear": "halfyear", "半年": "halfyear", "半年报告": "halfyear",
    "evidence": "evidence", "佐证": "evidence", "佐证资料": "evidence",
    "progress": "progress", "进展": "progress", "进展情况": "progress", "整改进展": "progress",
}  # fmt: skip


def month_before(year: int, month: int) -> str:
    """The period key of the month before."""
    return f"{year - 1}-12" if month == 1 else f"{year}-{month - 1:02d}"


USAGE = N_(
    "Use /export for the ledger workbook, /export report [2024-09] for a monthly report, /export progress [2024-09] for the published progress report, /export halfyear for the half-year report, or /export evidence [CODE | area N] for the evidence binder."
)


@gate(Role.COORDINATOR, Role.LEADER, where=Where.ANY)
async def export(update: Update, context: CadenceContext) -> None:
    """/export [ledger | report [2024-09] | halfyear | evidence [CODE | area N]]: files to this chat."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None and context.programme is not None
    t, programme = context.t, context.programme
    if chat.type != ChatType.PRIVATE and chat.id != programme.leadership_chat_id:
        await message.reply_text(
            t._("Documents go to a private chat with me or to the leadership group.")
        )
        return
    args = [a.lower() for a in context.args or []]
    what = KINDS.get(args[0], args[0]) if args else "ledger"
    if what == "ledger" and len(args) <= 1:
        await chat.send_action(ChatAction.UPLOAD_DOCUMENT)
        doc = await documents.ledger(
            context.session, programme=programme, as_of=_today(context), t=t
        )
        await send_files(context.bot, chat.id, [doc])
    elif what == "report" and len(args) <= 3:
        await _report(update, context, " ".join(args[1:]))
    elif what == "progress" and len(args) <= 3:
        await export_progress(update, context, " ".join(args[1:]))
    elif what == "halfyear" and len(args) == 1:
        await _halfyear(update, context)
    elif what == "evidence" and len(args) <= 3:
        await _evidence(update, context, args[1:])
    else:
        await message.reply_text(t._(USAGE))


def _today(context: CadenceContext) -> date:
    assert context.programme is not None
    return today_in(context.svc.clock.now(), context.programme.timezone)


async def _report(update: Update, context: CadenceContext, month: str) -> None:
    """A month's report: text, chart, DOCX and ledger, as the beat posts them."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None and context.programme is not None
    t, today = context.t, _today(context)
    period = month_before(today.year, today.month)
    if month:
        found = read_month(month, today)
        if found is None or found[0] < FIRST_YEAR or month_end(*found) >= today:
            await message.reply_text(
                t._(
                    "Give a month that has ended, from {year} on, for example "
                    "/export report 2024-09.",
                    year=str(FIRST_YEAR),
                )
            )
            return
        period = f"{found[0]}-{found[1]:02d}"
    await chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    text, files = await monthly_package(
        context.session, programme=context.programme, period=period,
        now=context.svc.clock.now(), t=t,
    )  # fmt: skip
    await send_long(context.bot, chat.id, text)
    await send_files(context.bot, chat.id, files)


async def _halfyear(update: Update, context: CadenceContext) -> None:
    """The continuing-rectification report for the six months up to last month."""
    chat = update.effective_chat
    assert chat is not None and context.programme is not None
    today = _today(context)
    last = month_before(today.year, today.month)
    await chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    doc = await documents.halfyear(
        context.session,
        programme=context.programme,
        year=int(last[:4]),
        month=int(last[5:]),
        now=context.svc.clock.now(),
        t=context.t,
    )
    await send_files(context.bot, chat.id, [doc])


async def _evidence(update: Update, context: CadenceContext, scope: list[str]) -> None:
    """The evidence binder: all, one measure (CODE) or one area (area N)."""
    message, chat = update.effective_message, update.effective_chat
    assert message is not None and chat is not None and context.programme is not None
    t = context.t
    code, area = None, None
    if len(scope) == 2 and scope[0] in ("area", "方面") and scope[1].isdecimal():
        area = int(scope[1])
    elif len(scope) == 1:
        code = scope[0]
    elif scope:
        await message.reply_text(t._(USAGE))
        return
    await chat.send_action(ChatAction.UPLOAD_DOCUMENT)
    parts = await binder.evidence(
        BotFiles(context.bot),
        context.session,
        programme=context.programme,
        t=t,
        now=context.svc.clock.now(),
        code=code,
        area=area,
    )
    if parts is None:
        await message.reply_text(t._("No measure matches {scope}.", scope=" ".join(scope)))
    elif not parts:
        await message.reply_text(
            t._("No evidence files have been uploaded for these measures yet.")
        )
    else:
        await send_files(context.bot, chat.id, parts)
