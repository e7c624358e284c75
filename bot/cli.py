"""The command line: run, migrate, import, invites, summary, beat, schedule, export."""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.settings import Settings
from core import logs
from core.clock import Clock
from core.i18n import CatalogError, check_catalogs

NO_TOKEN = """TELEGRAM_BOT_TOKEN is not set.

Get a token from @BotFather in Telegram: open a chat with @BotFather, send /newbot,
follow the prompts and copy the token it gives you (it looks like 123456789:AA...).
Then either put it in a file named .env in this folder (copy .env.example):

    TELEGRAM_BOT_TOKEN=123456789:AA...

or set it in the environment:

    export TELEGRAM_BOT_TOKEN=123456789:AA...
"""


TOKEN_REJECTED = (
    "Telegram rejected TELEGRAM_BOT_TOKEN. Check it, or get a new one from @BotFather (/token)."
)


def _settings() -> Settings:
    try:
        return Settings()
    except ValidationError as exc:
        # never the values: a secret that fails its check is still a secret
        print(f"Invalid settings: {'; '.join(map(_problem, exc.errors()))}", file=sys.stderr)
        raise SystemExit(2) from exc


def _problem(error: ErrorDetails) -> str:
    """One settings problem, named by its variable; never its value (it may be a secret)."""
    text = error["msg"].removeprefix("Value error, ")
    name = str(error["loc"][0]).upper() if error["loc"] else ""
    return text if not name or text.startswith(name) else f"{name}: {text}"


def _require_token(settings: Settings) -> None:
    if settings.telegram_bot_token is None:
        print(NO_TOKEN, file=sys.stderr)
        raise SystemExit(2)


def parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    p = argparse.ArgumentParser(prog="python -m bot", description="Cadence rectification bot")
    sub = p.add_subparsers(dest="command")
    sub.add_parser("run", help="run the bot (long polling); the default")
    sub.add_parser("migrate", help="apply database migrations")
    sub.add_parser("check-token", help="exit 2 with help when TELEGRAM_BOT_TOKEN is missing")
    box = sub.add_parser("sandbox", help="the bot against a local Telegram in the browser")
    box.add_argument("--port", type=int, default=None, help="the page's port (default 8080)")
    imp = sub.add_parser("import", help="import a ledger file (CSV or XLSX)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--programme", required=True)
    imp.add_argument("--dry-run", action="store_true")
    imp.add_argument("--remove-missing", action="store_true")
    imp.add_argument("--sheet", default=None, help="the sheet to read when several hold a ledger")
    imp.add_argument("--locale", default=None)
    inv = sub.add_parser("invites", help="print invite links for unbound owners and leaders")
    inv.add_argument("--programme", required=True)
    inv.add_argument("--bot-username", default=None, help="skip asking the Bot API for it")
    inv.add_argument("--locale", default=None)
    from bot import cli_audit, cli_export, cli_ops, cli_rhythm

    cli_rhythm.add_parsers(sub)
    cli_export.add_parser(sub)
    cli_audit.add_parsers(sub)
    cli_ops.add_parser(sub)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    args = parser().parse_args(argv)
    settings = _settings()
    token = settings.telegram_bot_token
    logs.install(token.get_secret_value() if token else None)
    try:
        check_catalogs()
    except CatalogError as exc:
        print(f"Cannot start: {exc}", file=sys.stderr)
        return 2
    try:
        return _command(args, settings)
    except Exception as exc:
        failed = _one_line(exc, settings)
        if failed is None:
            raise
        print(failed[0], file=sys.stderr)
        return failed[1]


def _one_line(exc: Exception, settings: Settings) -> tuple[str, int] | None:
    """A failure an operator can fix, as one line and an exit status; None for a bug."""
    if "telegram" in sys.modules:  # only a command that loaded Telegram can fail talking to it
        from telegram.error import InvalidToken, NetworkError, TelegramError

        api = urlsplit(settings.telegram_api_base_url or "https://api.telegram.org").netloc
        if isinstance(exc, InvalidToken):
            return TOKEN_REJECTED, 2
        if isinstance(exc, NetworkError) and exc.__cause__ is not None:
            from storage.db import reason

            return f"Cannot reach Telegram's Bot API ({api}): {reason(exc)}", 3
        if isinstance(exc, TelegramError):  # a 5xx, or an answer that is not the Bot API's
            return f"Telegram's Bot API ({api}) failed: {exc.message}", 3
    from storage.db import reason, unreachable, unreadable, where

    if unreadable(exc):
        return f"Cannot read the database ({where(settings.database_url)}): {reason(exc)}", 3
    if unreachable(exc):
        return f"Cannot reach the database ({where(settings.database_url)}): {reason(exc)}", 3
    return None


def _command(args: argparse.Namespace, settings: Settings) -> int:
    """Run one sub-command."""
    command = args.command or "run"
    if command in ("run", "check-token"):
        _require_token(settings)
        if command == "run":
            from storage.schema_version import up_to_date

            # nothing pending is told in milliseconds without Alembic; only then is the child
            # (a second interpreter loading Alembic: 1.5-3 s) skipped, so no update ever meets
            # an old schema; an unreadable database goes to the child for its one-line error
            if not up_to_date(settings.database_url):
                # migrate in a child process: Alembic's modules and the migration's work would
                # stay in the long-running bot's memory (about 10 MB) for nothing
                # (its "up to date" is no news; a failure is its one line on stderr)
                migrated = subprocess.run(
                    [sys.executable, "-m", "bot", "migrate"], check=False, stdout=subprocess.DEVNULL
                )
                if migrated.returncode:
                    return migrated.returncode
            from bot.lifecycle import run

            return run(settings)
        return 0
    if command == "sandbox":
        from bot.sandbox.main import run as sandbox

        return sandbox(settings, args.port)
    if command == "migrate":
        from storage.migrate import upgrade

        upgrade(settings.database_url)
        print("database is up to date")
        return 0
    # each command imports only its own module: `summary` must not load the bot's handlers
    if command == "backup":
        from bot import cli_ops

        return cli_ops.backup(settings, args)
    if command in ("verify-audit", "history"):
        from bot import cli_audit

        return asyncio.run(cli_audit.run(settings, args, Clock()))
    if command in ("import", "invites"):
        from bot import cli_ledger

        job = cli_ledger.import_file if command == "import" else cli_ledger.invites
        return asyncio.run(job(settings, args, Clock()))
    if command == "export":
        from bot import cli_export

        return asyncio.run(cli_export.export(settings, args, Clock()))
    from bot import cli_rhythm

    return asyncio.run(cli_rhythm.dispatch(settings, args, Clock()))
