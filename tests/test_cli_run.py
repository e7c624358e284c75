"""`python -m bot run` as deployed: migrates a new database in a child process, then answers."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from pathlib import Path

from fakebot import BOT_TOKEN, FakeTelegram, User
from stranger_texts import STRANGER_TEXT_EN

from storage.migrate import alembic_config

ROOT = Path(__file__).resolve().parents[1]
STRANGER = User(555, "Mallory", language_code="en")


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "CADENCE_", "DATABASE_"))
    }
    return {**clean, "PYTHONPATH": str(ROOT), "TELEGRAM_BOT_TOKEN": BOT_TOKEN, **extra}


def _head() -> str:
    from alembic.script import ScriptDirectory

    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    assert head is not None
    return head


async def test_run_migrates_a_new_database_then_answers(tmp_path: Path) -> None:
    db = tmp_path / "new.db"
    async with FakeTelegram() as api:
        env = _env(tmp_path, DATABASE_URL=f"sqlite:///{db}", TELEGRAM_API_BASE_URL=api.base_url)
        proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL,
        )  # fmt: skip
        try:
            api.send_private(STRANGER, "/start")
            [reply] = await api.wait_for(STRANGER.id, timeout=60)
            assert reply.plain == STRANGER_TEXT_EN
        finally:
            proc.terminate()
            assert await asyncio.wait_for(proc.wait(), 30) == 0
    with sqlite3.connect(db) as conn:
        [(version,)] = conn.execute("SELECT version_num FROM alembic_version").fetchall()
    assert version == _head()


async def test_run_stops_with_the_migration_s_error_when_the_database_is_unreachable(
    tmp_path: Path,
) -> None:
    env = _env(tmp_path, DATABASE_URL="postgresql://nobody@127.0.0.1:9/none")
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", "run", cwd=tmp_path, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    _, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode == 3
    assert err.decode().startswith("Cannot reach the database (postgresql at 127.0.0.1:9/none): ")
