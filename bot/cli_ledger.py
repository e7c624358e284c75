"""CLI: `import` and `invites`."""

from __future__ import annotations

import argparse
import sys

from bot.clock import Clock, today_in
from bot.domain.ledger import parse_ledger
from bot.i18n import tr
from bot.render import labels
from bot.render.ledger import done_text, issues_text, preview_text
from bot.settings import Settings
from storage import ledger_store, people, programmes
from storage.db import Database


async def import_file(settings: Settings, args: argparse.Namespace, clock: Clock) -> int:
    """Import a ledger file into a programme, creating the programme if needed."""
    t = tr(args.locale or settings.cadence_locale)
    try:
        data = args.file.read_bytes()
    except OSError as exc:
        print(
            t._("Cannot read {file}: {error}", file=args.file, error=exc.strerror), file=sys.stderr
        )
        return 1
    parsed = parse_ledger(data, args.file.name)
    if not parsed.ok:
        print(issues_text(t, parsed, args.file.name), file=sys.stderr)
        return 1
    db = Database(settings.database_url)
    try:
        async with db.session() as s:
            now = clock.now()
            programme, created = await programmes.get_or_create(
                s,
                name=args.programme,
                actor="cli",
                now=now,
                timezone=settings.cadence_timezone,
                locale=settings.cadence_locale,
            )
            assert programme.id is not None
            plan = await ledger_store.plan(s, programme_id=programme.id, rows=parsed.rows)
            print(preview_text(t, plan, parsed, programme.name))
            if args.dry_run:
                await s.rollback()
                print(t._("Dry run: nothing was written."))
                return 0
            plan = await ledger_store.apply(
                s,
                programme_id=programme.id,
                rows=parsed.rows,
                actor="cli",
                now=now,
                today=today_in(now, programme.timezone),
                remove_missing=args.remove_missing,
            )
            if created:
                print(t._("Programme {name} created.", name=programme.name))
            print(done_text(t, plan, removed=args.remove_missing))
    finally:
        await db.dispose()
    return 0


async def invites(settings: Settings, args: argparse.Namespace, clock: Clock) -> int:
    """Print invite links for every unbound owner and leader."""
    t = tr(args.locale or settings.cadence_locale)
    username = args.bot_username
    if not username:
        from telegram import Bot

        if settings.telegram_bot_token is None:
            print(t._("Give --bot-username or set TELEGRAM_BOT_TOKEN."), file=sys.stderr)
            return 2
        kwargs = (
            {"base_url": settings.telegram_api_base_url} if settings.telegram_api_base_url else {}
        )
        async with Bot(settings.telegram_bot_token.get_secret_value(), **kwargs) as bot:  # type: ignore[arg-type]
            username = bot.username
    db = Database(settings.database_url)
    try:
        async with db.session() as s:
            programme = await programmes.by_name(s, name=args.programme)
            if programme is None or programme.id is None:
                print(t._("No programme named {name}.", name=args.programme), file=sys.stderr)
                return 1
            rows = await people.invite_rows(
                s,
                programme_id=programme.id,
                now=clock.now(),
                days=settings.cadence_invite_days,
                role_label=lambda r: t._(labels.ROLE[r]),
            )
    finally:
        await db.dispose()
    for name, roles, token in rows:
        print(f"{name} ({roles}): https://t.me/{username}?start={token}")
    if not rows:
        print(t._("Everyone in the ledger is already bound."))
    return 0
