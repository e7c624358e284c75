"""CLI: export the documents for any date, for scripts and archiving."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date, datetime, time
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.settings import Settings
from core.clock import Clock, today_in
from core.i18n import tr
from storage import programmes
from storage.models import Programme

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession
    from telegram import Bot

    from bot.context import Services
    from usecases.documents import Document

WHAT = ("ledger", "monthly", "halfyear", "progress", "letter", "evidence")


def add_parser(sub: Any) -> None:
    """Register the export sub-command."""
    exp = sub.add_parser("export", help="write a document (ledger, reports, letter, evidence)")
    exp.add_argument("--programme", required=True)
    exp.add_argument("--what", choices=WHAT, required=True)
    exp.add_argument("--code", default=None, help="letter: the measure; evidence: only this one")
    exp.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        help="ledger, letter: the day (default today); monthly, halfyear, progress: a day in the "
        "(last) month reported on (default last month)",
    )
    exp.add_argument("--locale", default=None)
    exp.add_argument(
        "--output",
        required=True,
        help="the file to write (evidence parts: -2, -3…; monthly: the chart beside it, .png)",
    )


def _month(as_of: date | None, today: date) -> tuple[int, int]:
    """The month reported on: the one holding as-of, else the month before today."""
    if as_of is not None:
        return as_of.year, as_of.month
    return (today.year - 1, 12) if today.month == 1 else (today.year, today.month - 1)


def _fail(text: str) -> int:
    print(text, file=sys.stderr)
    return 1


async def export(settings: Settings, args: argparse.Namespace, clock: Clock) -> int:
    """Build the document(s) and write them to --output."""
    from bot.lifecycle import bot_and_services, services

    if args.what == "letter" and not args.code:
        return _fail("--what letter needs --code")
    if args.what == "evidence":
        # only the binder talks to the Bot API (getFile); the rest needs no token
        if settings.telegram_bot_token is None:
            return _fail(
                "TELEGRAM_BOT_TOKEN is not set: the evidence files are fetched from Telegram"
            )
        async with bot_and_services(settings, clock) as (bot, svc):
            docs = await _in_session(svc, bot, args, clock)
    else:
        async with services(settings, clock) as svc:
            docs = await _in_session(svc, None, args, clock)
    if isinstance(docs, str):
        return _fail(docs)
    out = Path(args.output)
    for n, doc in enumerate(docs, start=1):
        kind = Path(doc.filename).suffix
        if n == 1:
            path = out
        elif kind != out.suffix:  # another kind of file (the chart) sits beside, by its own suffix
            path = out.with_suffix(kind)
        else:
            path = out.with_name(f"{out.stem}-{n}{out.suffix}")
        await asyncio.to_thread(path.write_bytes, doc.data)
        print(f"{path}: {doc.filename} ({len(doc.data)} bytes)")
    return 0


async def _in_session(
    svc: Services, bot: Bot | None, args: argparse.Namespace, clock: Clock
) -> list[Document] | str:
    """Find the programme and build its documents in one session."""
    async with svc.database.session() as s:
        programme = await programmes.by_name(s, name=args.programme)
        if programme is None:
            return tr(svc.settings.cadence_locale)._(
                "No programme named {name}.", name=args.programme
            )
        now = clock.now()
        signed = today_in(now, programme.timezone)
        return await _build(bot, s, programme, args, args.as_of or signed, signed, now)


async def _build(
    bot: Bot | None,
    session: AsyncSession,
    programme: Programme,
    args: argparse.Namespace,
    today: date,
    signed: date,
    now: datetime,
) -> list[Document] | str:
    """The documents --what names, or what went wrong (`now`: the clock's, whatever the day)."""
    from jobs import letters
    from usecases import binder, documents
    from usecases.report import monthly_package

    t = tr(args.locale or programme.locale)
    if args.what == "ledger":
        return [
            await documents.ledger(
                session, programme=programme, as_of=today, t=t, past=args.as_of is not None
            )
        ]
    year, month = _month(args.as_of, today)
    if args.what == "monthly":
        _, files = await monthly_package(
            session, programme=programme, period=f"{year}-{month:02d}", now=now, t=t
        )
        # the report, then its chart beside it (q.docx, q.png): what the leadership group gets
        report = [f for f in files if f.filename.endswith(".docx")]
        return report + [f for f in files if f.filename.endswith(".png")]
    if args.what == "progress":
        from usecases.progress import progress_document

        return [
            await progress_document(
                session, programme=programme, year=year, month=month, today=signed, now=now, t=t
            )
        ]
    if args.what == "halfyear":
        return [
            await documents.halfyear(
                session, programme=programme, year=year, month=month, now=now, t=t
            )
        ]
    if args.what == "letter":
        noon = datetime.combine(today, time(12), ZoneInfo(programme.timezone))
        result = await letters.issue(
            session, programme=programme, code=args.code, today=today, actor="cli", now=noon, t=t
        )
        return f"no letter: {result.value}" if isinstance(result, letters.Refusal) else [result[1]]
    assert bot is not None
    from handlers.bot_files import BotFiles

    parts = await binder.evidence(
        BotFiles(bot), session, programme=programme, t=t, now=now, code=args.code
    )
    if not parts:
        return "no evidence files" if parts == [] else f"no measure {args.code}"
    return parts
