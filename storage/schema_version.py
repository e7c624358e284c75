"""Whether the database is at the newest migration, told without loading Alembic (start-up speed)."""

from __future__ import annotations

import asyncio
import contextlib
import re
import sqlite3
from pathlib import Path

VERSIONS = Path(__file__).resolve().parent / "migrations" / "versions"
_REVISION = re.compile(r"^revision\s*(?::[^=]*)?=\s*['\"]([^'\"]+)['\"]", re.MULTILINE)
_DOWN = re.compile(r"^down_revision\s*(?::[^=]*)?=\s*(.+)$", re.MULTILINE)


def head() -> str | None:
    """The one head revision of storage/migrations/versions; None when it is not plain to read."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for path in VERSIONS.glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revision, down = _REVISION.search(text), _DOWN.search(text)
        if revision is None or down is None:
            continue  # __init__ or a helper module: not a migration
        revisions.add(revision.group(1))
        parents.update(re.findall(r"['\"]([^'\"]+)['\"]", down.group(1)))
    heads = revisions - parents
    return next(iter(heads)) if len(heads) == 1 else None


def current(url: str) -> str | None:
    """The database's revision (alembic_version); None when it has none or cannot be read."""
    scheme, _, rest = url.partition("://")
    try:
        if scheme.split("+", 1)[0] == "sqlite":
            return _sqlite(rest.removeprefix("/"))
        return asyncio.run(_postgres(f"postgresql://{rest}"))
    except Exception:  # the migration child reports an unreachable database in one line
        return None


def up_to_date(url: str) -> bool:
    """True only when the database is certainly at the head: nothing to migrate."""
    newest = head()
    return newest is not None and current(url) == newest


def _sqlite(path: str) -> str | None:
    if path in ("", ":memory:") or not Path(path).is_file():
        return None
    with contextlib.closing(sqlite3.connect(f"file:{path}?mode=ro", uri=True)) as conn:
        rows = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    return str(rows[0][0]) if len(rows) == 1 else None


async def _postgres(dsn: str) -> str | None:
    import asyncpg

    conn = await asyncpg.connect(dsn, timeout=10)
    try:
        rows = await conn.fetch("SELECT version_num FROM alembic_version")
    finally:
        await conn.close()
    return str(rows[0][0]) if len(rows) == 1 else None
