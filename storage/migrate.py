"""Apply Alembic migrations programmatically (CLI, `make run`, tests)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command
from alembic.config import Config

_INI = Path(__file__).resolve().parent / "alembic.ini"


def alembic_config(url: str) -> Config:
    """An Alembic config pointing at our migrations and the given database."""
    cfg = Config(str(_INI))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def upgrade(url: str, revision: str = "head") -> None:
    """Migrate the database to `revision` (run outside any event loop)."""
    command.upgrade(alembic_config(url), revision)


async def upgrade_async(url: str) -> None:
    """Migrate from async code: env.py runs its own loop, so use a worker thread."""
    await asyncio.to_thread(upgrade, url)
