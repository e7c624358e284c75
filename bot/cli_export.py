"""CLI: export the documents for any date, for scripts and archiving."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from bot.clock import Clock, today_in
from bot.i18n import tr
from bot.settings import Settings
from storage import programmes
from storage.models import Programme

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from jobs.documents import Document

WHAT = ("ledger", "monthly")


def add_parser(sub: Any) -> None:
    """Register the export sub-command."""
    exp = sub.add_parser("export", help="write a document (ledger workbook, monthly report)")
    exp.add_argument("--programme", required=True)
    exp.add_argument("--what", choices=WHAT, required=True)
    exp.add_argument(
        "--as-of",
        type=date.fromisoformat,
        default=None,
        help="ledger: the day (default today); monthly: a day in the month (default last month)",
    )
    exp.add_argument("--locale", default=None)
    exp.add_argument("--output", required=True, help="the file to write")


def _month(as_of: date | None, today: date) -> str:
    """The month reported on: the one holding as-of, else the month before today."""
    if as_of is not None:
        return f"{as_of.year}-{as_of.month:02d}"
    return f"{today.year - 1}-12" if today.month == 1 else f"{today.year}-{today.month - 1:02d}"


async def export(settings: Settings, args: argparse.Namespace, clock: Clock) -> int:
    """Build the document and write it to --output."""
    from bot.app import services

    async with services(settings, clock) as svc, svc.database.session() as s:
        programme = await programmes.by_name(s, name=args.programme)
        if programme is None:
            message = tr(settings.cadence_locale)._(
                "No programme named {name}.", name=args.programme
            )
            print(message, file=sys.stderr)
            return 1
        doc = await _build(s, programme, args, today_in(clock.now(), programme.timezone))
    await asyncio.to_thread(Path(args.output).write_bytes, doc.data)
    print(f"{args.output}: {doc.filename} ({len(doc.data)} bytes)")
    return 0


async def _build(
    session: AsyncSession, programme: Programme, args: argparse.Namespace, today: date
) -> Document:
    """The document --what names."""
    from jobs import documents
    from jobs.digests import monthly_package

    t = tr(args.locale or programme.locale)
    if args.what == "ledger":
        return await documents.ledger(session, programme=programme, as_of=args.as_of or today, t=t)
    _, files = await monthly_package(
        session, programme=programme, period=_month(args.as_of, today), t=t
    )
    return next(f for f in files if f.filename.endswith(".docx") or f is files[-1])
