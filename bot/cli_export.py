"""CLI: export the documents for any date, for scripts and archiving."""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import date
from pathlib import Path
from typing import Any

from bot.clock import Clock, today_in
from bot.i18n import tr
from bot.settings import Settings
from storage import programmes
from storage.db import Database

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
    from jobs import documents
    from jobs.digests import monthly_package

    db = Database(settings.database_url)
    try:
        async with db.session() as s:
            programme = await programmes.by_name(s, name=args.programme)
            if programme is None:
                print(
                    tr(settings.cadence_locale)._(
                        "No programme named {name}.", name=args.programme
                    ),
                    file=sys.stderr,
                )
                return 1
            t = tr(args.locale or programme.locale)
            today = today_in(clock.now(), programme.timezone)
            if args.what == "ledger":
                doc = await documents.ledger(s, programme=programme, as_of=args.as_of or today, t=t)
            else:
                _, files = await monthly_package(
                    s, programme=programme, period=_month(args.as_of, today), t=t
                )
                doc = next(f for f in files if f.filename.endswith(".docx") or f is files[-1])
    finally:
        await db.dispose()
    await asyncio.to_thread(Path(args.output).write_bytes, doc.data)
    print(f"{args.output}: {doc.filename} ({len(doc.data)} bytes)")
    return 0
