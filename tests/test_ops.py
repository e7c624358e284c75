"""Operations: backup and restore as the README says, /status for admins."""

from __future__ import annotations

import os
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from conftest import ADMIN, Bot, sample
from fakebot import User
from sqlmodel import col, select
from stranger_texts import STRANGER_TEXT_ZH
from test_e2e_foundation import all_invites, invite_tokens, setup_programme

from bot.cli import main
from storage import audit
from storage.db import where
from storage.models import OutboxMessage, Person

OWNER = User(301, "Liaison", language_code="zh-hans")


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A clean environment in a temporary folder with a SQLite database URL."""
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "CADENCE_", "DATABASE_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'data' / 'cadence.db'}")
    return tmp_path


def _summary(capsys: pytest.CaptureFixture[str]) -> str:
    capsys.readouterr()
    assert main(["summary", "--programme", "P", "--as-of", "2024-09-30", "--locale", "en"]) == 0
    return capsys.readouterr().out


def test_backup_while_writing_then_wipe_and_restore_gives_the_same_summary(
    env: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = env / "data" / "cadence.db"
    (env / "l.csv").write_bytes(sample("ledger.zh.csv"))
    assert main(["migrate"]) == 0
    assert main(["import", "l.csv", "--programme", "P"]) == 0
    before = _summary(capsys)
    assert "As of 30 September, 35 of 42 measures are complete; 7 are in progress." in before
    # the bot is in the middle of a write: the backup must neither wait for it nor contain it
    writer = sqlite3.connect(db)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("UPDATE measure SET status = 'closed'")
    try:
        assert main(["backup", "backups/cadence.db"]) == 0
        out = capsys.readouterr().out
    finally:
        writer.rollback()
        writer.close()
    size = (env / "backups" / "cadence.db").stat().st_size
    assert out == f"Backed up {db} to backups/cadence.db ({size} bytes).\n"
    assert main(["backup", "backups/cadence.db"]) == 1
    assert capsys.readouterr().err == ("backups/cadence.db already exists; give a new file name.\n")
    # the README's restore: stop the bot, remove the database and its WAL files, copy the backup
    for leftover in db.parent.glob("cadence.db*"):
        leftover.unlink()
    assert list(db.parent.iterdir()) == []
    shutil.copy(env / "backups" / "cadence.db", db)
    assert main(["migrate"]) == 0
    assert _summary(capsys) == before


def test_backup_never_creates_a_database(env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["backup", "copy.db"]) == 1
    assert capsys.readouterr().err == f"No SQLite database at {env / 'data' / 'cadence.db'}.\n"
    assert not (env / "data" / "cadence.db").exists() and not (env / "copy.db").exists()


def test_backup_of_postgres_points_to_pg_dump(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgresql://cadence:pa55word@db.internal:5433/cadence")
    assert main(["backup", "cadence.dump"]) == 2
    assert capsys.readouterr().err == (
        "python -m bot backup copies SQLite databases only. For PostgreSQL use pg_dump, e.g.\n"
        "    pg_dump -Fc -h db.internal -p 5433 -U cadence -f cadence.dump cadence\n"
        "and restore with pg_restore --clean --if-exists -d cadence cadence.dump "
        "(see README, Backup).\n"
    )


async def test_status_for_admins_only(bot: Bot) -> None:
    # a UTC clock, as in production, so stored moments read back right on both databases
    bot.clock.set(datetime(2024, 9, 30, 1, 0, tzinfo=UTC))
    await setup_programme(bot, "P")
    # one owner has opened their invite, so the dispatch goes out (to nobody it would not count)
    liaison = User(2001, "城管", language_code="zh-hans")
    await bot.say(liaison, "/start")
    async with bot.db.session() as s:
        found = (await s.exec(select(Person).where(Person.name == "城市管理局联络员"))).one()
        found.telegram_user_id = liaison.id
        s.add(found)
    await bot.say(ADMIN, "/dispatch")
    lost = ["审计局联络员", "建设局联络员"]
    async with bot.db.session() as s:
        for person in (await s.exec(select(Person).where(col(Person.name).in_(lost)))).all():
            person.telegram_user_id = 1000 + (person.id or 0)
            person.unreachable_since = bot.clock.now()
            s.add(person)
        # the outbox as /status counts it: 2 waiting, 1 held, 1 given up this week, 1 long ago
        now, pid = bot.clock.now(), (await s.exec(select(Person.programme_id))).first() or 0
        for n, (state, created) in enumerate(
            [
                ("queued", now),
                ("queued", now),
                ("held", now),
                ("failed", now),
                ("failed", now - timedelta(days=20)),
                ("sent", now),
            ]
        ):
            s.add(
                OutboxMessage(
                    programme_id=pid, beat="review", period="2024-09-25", key=f"k{n}",
                    chat_id=1, text="t", state=state, created_at=created,
                    expires_at=now + timedelta(days=2),
                )
            )  # fmt: skip
    bot.clock.advance(timedelta(hours=2, minutes=5))
    async with bot.db.session() as s:
        anchor = await audit.anchor(s, programme_id=pid)
    reply = await bot.say(ADMIN, "/status")
    assert (
        reply.plain
        == (
            "Cadence 0.1.0，已运行1小时5分钟。\n"  # started 10:00 Shanghai (2:00 UTC)
            f"数据库：{where(bot.db.url)}\n"
            "\n"
            "整改项目“P”：\n"
            "• 最近一次：每周调度，9月30日9:00发出\n"
            "• 下一次：每周调度，10月8日（周二）9:00\n"  # 1–7 October are holidays
            "• 消息：待发送2条，因无法送达暂缓1条，近7天未送达1条\n"
            "• 发送超时：近7天无\n"
            f"• 审计链：共{anchor.count}条记录，链首{anchor.head[:12]}。\n"
            "• 2人无法送达：审计局联络员和建设局联络员"
        )
    )
    assert (await bot.say(OWNER, "/status")).plain == STRANGER_TEXT_ZH  # a stranger
    links = invite_tokens(await all_invites(bot))
    await bot.say(OWNER, f"/start {links['党群工作部联络员']}")
    assert (await bot.say(OWNER, "/status")).plain == "抱歉，只有管理员可以查看运行状态。"
