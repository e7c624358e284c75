"""CLI: `import` and `invites`."""

from __future__ import annotations

import argparse
import sys

from bot.context import Services
from bot.lifecycle import bot_and_services, services
from bot.settings import Settings
from core.clock import Clock, today_in
from core.domain.ledger import parse_ledger
from core.i18n import Tr, tr
from core.render import labels
from core.render.ledger import done_text, preview_text
from handlers.ledger import refusal_text
from storage import invites as invite_links
from storage import ledger_store, programmes


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
    parsed = parse_ledger(data, args.file.name, sheet=args.sheet)
    if not parsed.ok:
        print(refusal_text(t, parsed, args.file.name), file=sys.stderr)
        if parsed.sheets:
            print(t._("Choose one with --sheet NAME."), file=sys.stderr)
        return 1
    async with services(settings, clock) as svc, svc.database.session() as s:
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
    return 0


async def invites(settings: Settings, args: argparse.Namespace, clock: Clock) -> int:
    """Print invite links for every unbound owner and leader."""
    t = tr(args.locale or settings.cadence_locale)
    if args.bot_username:
        username = args.bot_username
        async with services(settings, clock) as svc:
            rows = await _invite_rows(svc, args.programme, t)
    elif settings.telegram_bot_token is None:
        print(t._("Give --bot-username or set TELEGRAM_BOT_TOKEN."), file=sys.stderr)
        return 2
    else:
        async with bot_and_services(settings, clock) as (bot, svc):
            username = bot.username  # the bot's own getMe, as the links must name it
            rows = await _invite_rows(svc, args.programme, t)
    if rows is None:
        print(t._("No programme named {name}.", name=args.programme), file=sys.stderr)
        return 1
    for name, roles, token in rows:
        print(f"{name} ({roles}): https://t.me/{username}?start={token}")
    if not rows:
        print(t._("Everyone in the ledger is already bound."))
    return 0


async def _invite_rows(svc: Services, name: str, t: Tr) -> list[tuple[str, str, str]] | None:
    """(name, roles, token) per unbound person; None when there is no such programme."""
    async with svc.database.session() as s:
        programme = await programmes.by_name(s, name=name)
        if programme is None or programme.id is None:
            return None
        return await invite_links.invite_rows(
            s,
            programme_id=programme.id,
            now=svc.clock.now(),
            days=svc.settings.cadence_invite_days,
            role_label=lambda r: t._(labels.ROLE[r]),
        )
