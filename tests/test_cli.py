"""The command line: token check, import on both databases, summary, schedule."""

from __future__ import annotations

import asyncio
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import PG_URL, sample
from fakebot import BOT_TOKEN, FakeTelegram, Fault

from bot.cli import main

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A clean environment in a temporary folder (no .env, no token)."""
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "CADENCE_", "DATABASE_")):
            monkeypatch.delenv(key)
    return tmp_path


def test_run_without_token_exits_2_with_help(env: Path) -> None:
    clean = {k: v for k, v in os.environ.items() if not k.startswith("TELEGRAM_")}
    clean["PYTHONPATH"] = str(ROOT)
    done = subprocess.run(
        [sys.executable, "-m", "bot"],
        cwd=env,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 2
    assert "@BotFather" in done.stderr and ".env" in done.stderr
    assert not (env / "data").exists()  # a deployment never falls into the sandbox


@pytest.mark.parametrize(
    "name", ["ledger.zh.csv", "ledger.zh.xlsx", "ledger.en.csv", "ledger.en.xlsx"]
)
def test_import_samples(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], name: str
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{env / 'c.db'}")
    (env / name).write_bytes(sample(name))
    assert main(["migrate"]) == 0
    assert main(["import", name, "--programme", "P", "--dry-run", "--locale", "en"]) == 0
    assert "Dry run" in capsys.readouterr().out
    assert main(["import", name, "--programme", "P", "--locale", "en"]) == 0
    out = capsys.readouterr().out
    assert "42 measures in 4 areas" in out and "42 new" in out
    assert main(["import", name, "--programme", "P", "--locale", "en"]) == 0
    assert "0 new, 0 changed, 42 unchanged" in capsys.readouterr().out
    assert main(["summary", "--programme", "P", "--as-of", "2024-09-30", "--locale", "en"]) == 0
    assert (
        "As of 30 September, 35 of 42 measures are complete; 7 are in progress."
        in capsys.readouterr().out
    )


@pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set")
def test_import_on_postgres(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import asyncio

    from conftest import _reset_postgres

    assert PG_URL is not None
    asyncio.run(_reset_postgres(PG_URL))
    monkeypatch.setenv("DATABASE_URL", PG_URL)
    (env / "l.xlsx").write_bytes(sample("ledger.zh.xlsx"))
    assert main(["migrate"]) == 0
    assert main(["import", "l.xlsx", "--programme", "整改"]) == 0
    assert main(["summary", "--programme", "整改", "--as-of", "2024-09-30"]) == 0
    assert "截至9月底，42项整改措施已完成35项，其余7项正在按时序推进。" in capsys.readouterr().out


def test_summary_in_chinese_and_bad_file(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{env / 'c.db'}")
    (env / "l.csv").write_bytes(sample("ledger.zh.csv"))
    (env / "bad.csv").write_bytes("编号,方面\n1.1,x\n".encode())
    assert main(["migrate"]) == 0
    assert main(["import", "bad.csv", "--programme", "整改"]) == 1
    assert "完成时限" in capsys.readouterr().err
    assert main(["import", "l.csv", "--programme", "整改"]) == 0
    assert main(["summary", "--programme", "整改", "--as-of", "2024-09-30"]) == 0
    assert "截至9月底，42项整改措施已完成35项，其余7项正在按时序推进。" in capsys.readouterr().out


def test_schedule_prints_holiday_shifts(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{env / 'c.db'}")
    (env / "l.csv").write_bytes(sample("ledger.zh.csv"))
    assert main(["migrate"]) == 0
    assert main(["import", "l.csv", "--programme", "P"]) == 0
    capsys.readouterr()
    assert main(["schedule", "--programme", "P", "--from", "2024-09-01", "--to", "2024-10-31"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert any(
        line.startswith("dispatch") and "2024-W38" in line and "2024-09-18 09:00" in line
        for line in lines
    )
    assert any(
        line.startswith("dispatch") and "2024-W41" in line and "2024-10-08 09:00" in line
        for line in lines
    )
    assert any(
        line.startswith("report") and "2024-09 " in line and "2024-10-08 10:00" in line
        for line in lines
    )


async def test_beat_command_sends_through_the_bot_api(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with FakeTelegram() as api:
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{env / 'c.db'}")
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", BOT_TOKEN)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", api.base_url)
        (env / "l.csv").write_bytes(sample("ledger.zh.csv"))

        async def cli(*args: str) -> tuple[int, str]:
            # its own event loop in a worker thread, talking HTTP to the fake on this loop
            code = await asyncio.to_thread(main, list(args))
            return code, capsys.readouterr().out

        assert (await cli("migrate"))[0] == 0
        assert (await cli("import", "l.csv", "--programme", "P"))[0] == 0
        code, out = await cli("invites", "--programme", "P")
        assert code == 0 and "cadence_test_bot?start=" in out
        assert [name for name, _ in api.requests] == ["getMe"]  # asked only for the username
        code, out = await cli("beat", "dispatch", "--programme", "P", "--as-of", "2024-09-30")
        # nobody has redeemed an invite yet: nothing is sent and the week is not used up
        assert (code, out.splitlines()[-1]) == (1, "dispatch 2024-W40: nobody (0)")
        assert api.sent == []
        code, out = await cli("beat", "dispatch", "--programme", "P", "--as-of", "2024-09-30")
        assert (code, out.splitlines()[-1]) == (1, "dispatch 2024-W40: nobody (0)")
        assert api.sent == []


def test_reimport_keeps_missing_measures_unless_told_to_remove_them(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = env / "c.db"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
    full = sample("ledger.en.csv")
    (env / "full.csv").write_bytes(full)
    lines = full.decode("utf-8-sig").splitlines()
    (env / "short.csv").write_text("\n".join(lines[:-2]) + "\n", encoding="utf-8")
    assert main(["migrate"]) == 0
    assert main(["import", "full.csv", "--programme", "P", "--locale", "en"]) == 0
    capsys.readouterr()
    codes = [line.split(",", 1)[0] for line in lines[1:]]
    assert codes[40:] == ["4.2.1", "4.3.1"]

    def live() -> list[str]:
        with sqlite3.connect(db) as conn:
            rows = conn.execute("SELECT code FROM measure WHERE removed_at IS NULL ORDER BY id")
            return [code for (code,) in rows]

    assert main(["import", "short.csv", "--programme", "P", "--locale", "en"]) == 0
    kept = capsys.readouterr().out.splitlines()
    assert kept == [
        "Ledger for P: 40 measures in 4 areas.",
        "0 new, 0 changed, 40 unchanged.",
        "Columns read (field: column in the file, where they differ): Code; Area; Problem; Measure;"
        " Responsible leader; Lead unit; Co-units; Owner; Deadline; Status.",
        "In the ledger but not in this file: 4.2.1 and 4.3.1. Keep them, or remove them from the ledger?",
        "Imported: 0 new, 0 changed, 40 unchanged. 2 measures not in the file were kept.",
    ]
    assert live() == codes
    assert (
        main(["import", "short.csv", "--programme", "P", "--locale", "en", "--remove-missing"]) == 0
    )
    removed = capsys.readouterr().out.splitlines()
    assert removed[-1] == "Imported: 0 new, 0 changed, 40 unchanged. 2 measures removed."
    assert live() == codes[:40]


async def test_beat_command_run_again_finishes_what_the_first_run_queued(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with FakeTelegram() as api:
        db = env / "r.db"
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", BOT_TOKEN)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", api.base_url)
        monkeypatch.setenv("CADENCE_RETRY_SECONDS", "0.05")
        (env / "l.csv").write_bytes(sample("ledger.zh.csv"))

        async def cli(*args: str) -> tuple[int, str, str]:
            code = await asyncio.to_thread(main, list(args))
            captured = capsys.readouterr()
            return code, captured.out, captured.err

        assert (await cli("migrate"))[0] == 0
        assert (await cli("import", "l.csv", "--programme", "P"))[0] == 0
        with sqlite3.connect(db) as conn:  # two liaisons are bound to Telegram
            for user_id, name in ((701, "城市管理局联络员"), (702, "科技创新局联络员")):
                conn.execute(
                    "UPDATE person SET telegram_user_id = ? WHERE name = ?", (user_id, name)
                )
        api.faults.always(701, Fault.BAD_GATEWAY)  # Telegram fails for one of them
        beat = ("beat", "dispatch", "--programme", "P", "--as-of", "2024-09-30")
        code, out, err = await cli(*beat, "--budget", "0.3")
        assert code == 3
        assert err.splitlines()[0] == (
            "dispatch 2024-W40: 1 of 2 sent, NOT delivered: "
            "0 held for people who cannot be reached, "
            "0 taken by another process (freed when its lease ends), "
            "1 queued for retry by the running bot, 0 given up"
        )
        assert [m.chat_id for m in api.sent] == [702]
        api.faults.always(701, None)  # Telegram is back: running the beat again finishes it
        code, out, err = await cli(*beat)
        assert (code, out.splitlines()[-1]) == (0, "dispatch 2024-W40: already (1)")
        assert sorted(m.chat_id for m in api.sent) == [701, 702]  # each once


async def test_beat_command_exits_0_only_when_every_message_was_delivered(
    env: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    async with FakeTelegram() as api:
        db = env / "r.db"
        monkeypatch.setenv("DATABASE_URL", f"sqlite:///{db}")
        monkeypatch.setenv("TELEGRAM_BOT_TOKEN", BOT_TOKEN)
        monkeypatch.setenv("TELEGRAM_API_BASE_URL", api.base_url)
        monkeypatch.setenv("CADENCE_RETRY_SECONDS", "0.05")
        (env / "l.csv").write_bytes(sample("ledger.zh.csv"))

        async def cli(*args: str) -> tuple[int, str, str]:
            code = await asyncio.to_thread(main, list(args))
            captured = capsys.readouterr()
            return code, captured.out, captured.err

        assert (await cli("migrate"))[0] == 0
        assert (await cli("import", "l.csv", "--programme", "P"))[0] == 0
        with sqlite3.connect(db) as conn:  # three liaisons are bound; one blocked the bot before
            for user_id, name in (
                (701, "城市管理局联络员"), (702, "科技创新局联络员"), (703, "建设局联络员"),
            ):  # fmt: skip
                conn.execute(
                    "UPDATE person SET telegram_user_id = ? WHERE name = ?", (user_id, name)
                )
            conn.execute(
                "UPDATE person SET unreachable_since = '2024-09-20 00:00:00' WHERE name = ?",
                ("建设局联络员",),
            )
        api.faults.always(701, Fault.BAD_GATEWAY)
        beat = ("beat", "dispatch", "--programme", "P", "--as-of", "2024-09-30")
        code, _, err = await cli(*beat, "--budget", "0.3")
        assert code == 3
        assert err.splitlines()[0] == (
            "dispatch 2024-W40: 1 of 3 sent, NOT delivered: "
            "1 held for people who cannot be reached, "
            "0 taken by another process (freed when its lease ends), "
            "1 queued for retry by the running bot, 0 given up"
        )
        api.faults.always(701, None)
        with sqlite3.connect(db) as conn:  # a process killed mid-send still holds 701's lease
            conn.execute(
                "UPDATE outboxmessage SET leased_until = '2999-01-01 00:00:00' WHERE chat_id = 701"
            )
        code, out, err = await cli(*beat)
        assert (code, out) == (3, "")
        assert err.splitlines() == [
            "dispatch 2024-W40: 1 of 3 sent, NOT delivered: "
            "1 held for people who cannot be reached, "
            "1 taken by another process (freed when its lease ends), "
            "0 queued for retry by the running bot, 0 given up"
        ]
        assert [m.chat_id for m in api.sent] == [702]
