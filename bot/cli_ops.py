"""CLI: `backup` — a consistent copy of a SQLite database, safe while the bot runs."""

from __future__ import annotations

import argparse
import sqlite3
import sys
from pathlib import Path

from sqlalchemy.engine import make_url

from bot.settings import Settings

PG_HINT = (
    "python -m bot backup copies SQLite databases only. For PostgreSQL use pg_dump, e.g.\n"
    "    pg_dump -Fc -h {host} -p {port} -U {user} -f {path} {db}\n"
    "and restore with pg_restore --clean --if-exists -d {db} {path} (see README, Backup)."
)


def add_parser(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """The `backup` sub-command."""
    p = sub.add_parser("backup", help="copy the SQLite database to PATH, safe while the bot runs")
    p.add_argument("path", type=Path)


def backup(settings: Settings, args: argparse.Namespace) -> int:
    """Copy the live SQLite database page by page with SQLite's online backup API."""
    url = make_url(settings.database_url)
    target: Path = args.path
    if url.get_backend_name() != "sqlite":
        hint = PG_HINT.format(
            host=url.host or "localhost",
            port=url.port or 5432,
            user=url.username or "postgres",
            db=url.database or "cadence",
            path=target,
        )
        print(hint, file=sys.stderr)
        return 2
    source = Path(url.database or "")
    if not url.database or not source.is_file():
        print(f"No SQLite database at {source}.", file=sys.stderr)
        return 1
    if target.exists():
        print(f"{target} already exists; give a new file name.", file=sys.stderr)
        return 1
    try:
        ok = _copy(source, target)
    except (OSError, sqlite3.Error) as exc:  # a folder that cannot be made, a full disk...
        print(f"Cannot write the backup to {target}: {exc}", file=sys.stderr)
        return 1
    if ok != "ok":
        print(f"The copy in {target} failed its integrity check: {ok}", file=sys.stderr)
        return 1
    print(f"Backed up {source} to {target} ({target.stat().st_size} bytes).")
    return 0


def _copy(source: Path, target: Path) -> str:
    """Copy source to target (its folder made if needed); the copy's integrity check result."""
    target.parent.mkdir(parents=True, exist_ok=True)
    # read-only: a typo in DATABASE_URL must never create or change a database
    src = sqlite3.connect(f"{source.resolve().as_uri()}?mode=ro", uri=True)
    try:
        dst = sqlite3.connect(target)
        try:
            src.backup(dst)  # one step: a snapshot as of one moment, writers carry on meanwhile
            return str(dst.execute("PRAGMA integrity_check").fetchone()[0])
        finally:
            dst.close()
    finally:
        src.close()
