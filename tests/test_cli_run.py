"""`python -m bot run` as deployed: migrates a new database in a child process, then answers."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fakebot import BOT_TOKEN, FakeTelegram, Fault, User
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


async def _run(cwd: Path, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args, cwd=cwd, env=env,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    finally:
        if proc.returncode is None:  # timed out: a bot left running would outlive the suite
            proc.kill()
            await proc.wait()
    return proc.returncode or 0, out.decode(), err.decode()


async def test_an_unknown_database_host_is_one_line(tmp_path: Path) -> None:
    env = _env(tmp_path, DATABASE_URL="postgresql://cadence:pa55@no-such-host.invalid/cadence")
    code, out, err = await _run(tmp_path, env, "migrate")
    assert (code, out) == (3, "")
    [line] = err.splitlines()  # the resolver's words differ from one machine to another
    assert line.startswith(
        "Cannot reach the database (postgresql at no-such-host.invalid/cadence): "
    )
    assert "pa55" not in err


async def test_an_unreadable_sqlite_file_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "c.db").write_bytes(b"this is a spreadsheet, not a database" * 200)
    env = _env(tmp_path, DATABASE_URL=f"sqlite:///{tmp_path / 'c.db'}")
    for command in (["migrate"], ["summary", "--programme", "P"], ["run"]):
        code, out, err = await _run(tmp_path, env, *command)
        assert (code, out) == (3, "")
        assert err.splitlines() == [
            f"Cannot read the database (sqlite file {tmp_path / 'c.db'}): file is not a database"
        ]


async def test_telegram_unreachable_at_start_is_one_line_naming_telegram(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        DATABASE_URL=f"sqlite:///{tmp_path / 'c.db'}",
        TELEGRAM_API_BASE_URL="http://127.0.0.1:1/bot",  # nothing listens on port 1
    )
    code, out, err = await _run(tmp_path, env, "run")
    assert (code, out) == (3, "")
    assert err.splitlines() == [
        "Cannot reach Telegram's Bot API (127.0.0.1:1): "
        "[Errno 111] Connect call failed ('127.0.0.1', 1)"
    ]


@pytest.mark.parametrize(
    ("fault", "said"),
    [(Fault.SERVER, "Internal Server Error"), (Fault.GARBAGE, "Invalid server response")],
)
async def test_a_broken_bot_api_at_start_is_one_line(
    tmp_path: Path, fault: Fault, said: str
) -> None:
    async with FakeTelegram() as api:
        api.faults.methods["getme"] = fault
        env = _env(
            tmp_path,
            DATABASE_URL=f"sqlite:///{tmp_path / 'c.db'}",
            TELEGRAM_API_BASE_URL=api.base_url,
        )
        code, out, err = await _run(tmp_path, env, "run")
    host = urlsplit(api.base_url).netloc
    assert (code, out) == (3, "")
    assert err.splitlines() == [f"Telegram's Bot API ({host}) failed: {said}"]


async def test_a_rejected_token_on_run_is_one_line(tmp_path: Path) -> None:
    async with FakeTelegram() as api:  # it knows only BOT_TOKEN
        env = _env(
            tmp_path,
            DATABASE_URL=f"sqlite:///{tmp_path / 'c.db'}",
            TELEGRAM_API_BASE_URL=api.base_url,
            TELEGRAM_BOT_TOKEN="987654321:AAbadSECRETtokenThatTelegramRejects0",
        )
        code, out, err = await _run(tmp_path, env, "run")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "Telegram rejected TELEGRAM_BOT_TOKEN. Check it, or get a new one from @BotFather (/token)."
    ]


async def test_an_invalid_webhook_secret_is_one_line_without_the_secret(tmp_path: Path) -> None:
    env = _env(
        tmp_path,
        TELEGRAM_WEBHOOK_URL="https://bot.example.org/hook",
        TELEGRAM_WEBHOOK_SECRET="hunter2 with spaces!",
    )
    code, out, err = await _run(tmp_path, env, "run")
    assert (code, out) == (2, "")
    assert err.splitlines() == [
        "Invalid settings: TELEGRAM_WEBHOOK_SECRET: 1-256 characters of A-Z, a-z, 0-9, _ and -"
    ]


async def test_backup_into_a_path_that_cannot_be_a_folder_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "c.db"
    env = _env(tmp_path, DATABASE_URL=f"sqlite:///{db}")
    assert (await _run(tmp_path, env, "migrate"))[0] == 0
    (tmp_path / "backups").write_text("a file where the folder should be")
    code, out, err = await _run(tmp_path, env, "backup", "backups/cadence.db")
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "Cannot write the backup to backups/cadence.db: [Errno 17] File exists: 'backups'"
    ]


async def test_a_409_conflict_stops_run_with_a_non_zero_exit(tmp_path: Path) -> None:
    async with FakeTelegram() as api:
        api.faults.conflict = True  # another instance polls with this token
        env = _env(
            tmp_path,
            DATABASE_URL=f"sqlite:///{tmp_path / 'c.db'}",
            TELEGRAM_API_BASE_URL=api.base_url,
        )
        code, out, err = await _run(tmp_path, env, "run")
    assert (code, out) == (4, "")
    assert "409 Conflict: another instance is polling with this token" in err
