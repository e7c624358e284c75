"""`python -m bot run` skips the migration child only when the database is certainly at the head."""

from __future__ import annotations

import sqlite3
import subprocess
from pathlib import Path
from typing import Any

import pytest
from alembic.script import ScriptDirectory

from bot import cli
from storage import schema_version
from storage.migrate import alembic_config, upgrade


def test_the_head_read_without_alembic_is_alembic_s() -> None:
    assert (
        schema_version.head()
        == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    )


def test_only_a_database_at_the_head_is_up_to_date(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/db.db"
    assert not schema_version.up_to_date(url)  # no file yet: the child creates it
    upgrade(url, "0014_send_timeouts")
    assert schema_version.current(url) == "0014_send_timeouts"
    assert not schema_version.up_to_date(url)
    upgrade(url)
    assert schema_version.up_to_date(url)
    assert not schema_version.up_to_date("postgresql://nobody@127.0.0.1:1/none")  # unreachable


def test_run_migrates_in_a_child_only_when_something_is_pending(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    url = f"sqlite:///{tmp_path}/db.db"
    children: list[list[str]] = []

    def child(args: list[str], **_kwargs: Any) -> subprocess.CompletedProcess[bytes]:
        if not children:  # the first start migrates the new file; the third finds 0014 pending
            upgrade(url)
        children.append(args[1:])
        return subprocess.CompletedProcess(args, 0)

    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "7000001:TEST-TOKEN")
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setattr(subprocess, "run", child)
    monkeypatch.setattr("bot.lifecycle.run", lambda _settings: 0)
    assert cli.main(["run"]) == 0
    assert children == [["-m", "bot", "migrate"]]
    assert cli.main(["run"]) == 0
    assert children == [["-m", "bot", "migrate"]]  # up to date: no second child
    with sqlite3.connect(tmp_path / "db.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = '0014_send_timeouts'")
    assert cli.main(["run"]) == 0
    assert len(children) == 2
