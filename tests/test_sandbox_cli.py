"""`make run` without a token is the sandbox, with one the live bot (that `python -m bot run`
without a token exits 2 and never falls into the sandbox is in test_cli)."""

from __future__ import annotations

import asyncio
import os
import re
import signal
import subprocess
import sys
from pathlib import Path

import aiohttp
import pytest
from conftest import RELAXED
from fakebot import BOT_TOKEN, FakeTelegram

from bot.sandbox.page import Page
from bot.sandbox.runner import Sandbox
from bot.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
READY = re.compile(
    r"Cadence sandbox: open (http://127\.0\.0\.1:\d+/) to play every role in the browser "
    r"\(nothing leaves this computer\)\. To go live, set TELEGRAM_BOT_TOKEN \(see README\.md\) "
    r"and run make run again\.\n"
)


def _env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment without any Cadence or Telegram setting, plus `extra`."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "CADENCE_", "DATABASE_"))
    }
    env.update(PYTHONPATH=str(ROOT), CADENCE_SANDBOX_DIR=str(tmp_path / "box"))
    env.update(CADENCE_SANDBOX_PORT="0", TELEGRAM_BOT_TOKEN="")  # "" beats a token in .env
    env.update(extra)
    return env


async def _serves_sandbox(proc: asyncio.subprocess.Process, box: Path, exits: int = 0) -> None:
    """The one line is printed, the page answers, and SIGTERM stops it cleanly."""
    assert proc.stdout is not None
    try:
        line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode()
        ready = READY.fullmatch(line)
        assert ready, line
        async with aiohttp.ClientSession() as http, http.get(ready.group(1)) as res:
            assert res.status == 200 and "/static/app.js" in await res.text()
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
    assert await asyncio.wait_for(proc.wait(), 30) == exits
    assert await proc.stdout.read() == b""  # one line, nothing else
    assert (box / "sandbox.db").exists() and (box / "sandbox.log").exists()


def _make_ready() -> bool:
    """Whether `make run` can start without installing anything (which needs the network)."""
    venv = ROOT / ".venv" / "bin" / "python"
    up_to_date = subprocess.run(
        ["make", "-q", "-C", str(ROOT), ".venv/.installed", "i18n-compile"],
        capture_output=True,
        check=False,
    )
    return venv.exists() and up_to_date.returncode == 0


async def test_make_run_without_token_is_the_sandbox(tmp_path: Path) -> None:
    """`make run` execs `python -m bot sandbox`; without a ready venv that command alone is run."""
    make = ("make", "-s", "--no-print-directory", "-C", str(ROOT), "run")
    command = make if _make_ready() else (sys.executable, "-m", "bot", "sandbox")
    proc = await asyncio.create_subprocess_exec(
        *command,
        cwd=tmp_path,
        env=_env(tmp_path),
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # SIGTERM stops the sandbox cleanly (0); make itself dies of the signal
    await _serves_sandbox(proc, tmp_path / "box", exits=-signal.SIGTERM if command == make else 0)


async def test_make_run_with_token_is_the_bot(tmp_path: Path) -> None:
    if not _make_ready():
        pytest.skip("make run would install the virtual environment first")
    async with FakeTelegram() as api:
        env = _env(
            tmp_path,
            TELEGRAM_BOT_TOKEN=BOT_TOKEN,
            TELEGRAM_API_BASE_URL=api.base_url,
            DATABASE_URL=f"sqlite:///{tmp_path / 'live.db'}",
        )
        proc = await asyncio.create_subprocess_exec(
            *("make", "-s", "--no-print-directory", "-C", str(ROOT), "run"),
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            start_new_session=True,
        )
        try:
            await api.wait_until(lambda: bool(api.calls("getUpdates")), timeout=60)
        finally:
            os.killpg(proc.pid, signal.SIGTERM)
            await asyncio.wait_for(proc.communicate(), 30)
    assert (tmp_path / "live.db").exists()
    assert not (tmp_path / "box").exists()  # the sandbox's folder was never made


async def test_a_second_sandbox_on_the_folder_says_so_in_one_line(tmp_path: Path) -> None:
    """Two ports, one folder: the second exits 2 with one line; the first keeps its files."""
    first = Sandbox(Settings(_env_file=None), port=0, folder=tmp_path / "box", limits=RELAXED)
    await first.start(Page(first).routes)
    try:
        proc = await asyncio.create_subprocess_exec(
            *(sys.executable, "-m", "bot", "sandbox", "--port", "0"),
            cwd=tmp_path,
            env=_env(tmp_path, CADENCE_LOCALE="en"),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        out, err = await asyncio.wait_for(proc.communicate(), 30)
        assert (proc.returncode, out, err.decode()) == (
            2,
            b"",
            f"Another sandbox ({first.url}) already uses the folder {tmp_path / 'box'}. "
            "Stop it first, or give this one its own folder with CADENCE_SANDBOX_DIR.\n",
        )
        assert first.db_path.exists()
        async with aiohttp.ClientSession() as http, http.get(first.url + "api/world") as res:
            assert res.status == 200
    finally:
        await first.stop()


FAKE_PYTHON = """#!/bin/sh
# plays python3, and in the venv it makes, pip and pybabel, each as noisy as the real ones
case "$(basename "$0") $1" in
  "pip "*) echo "WARNING: Location 'file:///opt/pypi' is ignored" >&2; echo "Successfully installed x";;
  "pybabel -q") touch locales/zh_CN/LC_MESSAGES/cadence.mo;;
  "pybabel "*) echo "compiling catalog locales/zh_CN/LC_MESSAGES/cadence.po" >&2
    touch locales/zh_CN/LC_MESSAGES/cadence.mo;;
  *" -m") if [ "$2" = venv ]; then mkdir -p "$3/bin"
      for n in python pip pybabel; do cp "$0" "$3/bin/$n"; done
    else echo "Cadence sandbox: open http://127.0.0.1:1/ to play."; fi;;
  *" -c") exit 1;;  # no token
esac
"""


def test_the_first_make_run_says_one_line(tmp_path: Path) -> None:
    """A fresh clone's `make run` installs in silence: the terminal has only the sandbox's line."""
    (tmp_path / "Makefile").write_bytes((ROOT / "Makefile").read_bytes())
    (tmp_path / "pyproject.toml").write_text("")
    (tmp_path / "locales" / "zh_CN" / "LC_MESSAGES").mkdir(parents=True)
    (tmp_path / "locales" / "zh_CN" / "LC_MESSAGES" / "cadence.po").write_text("")
    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON)
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    first = subprocess.run(
        ["make", "run", f"PY={fake}"], cwd=tmp_path, env=env, capture_output=True, check=False
    )
    assert (first.returncode, first.stdout.decode(), first.stderr.decode()) == (
        0,
        "Cadence sandbox: open http://127.0.0.1:1/ to play.\n",
        "",
    )
    assert "WARNING" in (tmp_path / ".venv" / "install.log").read_text()  # kept, not shown


def test_a_failed_install_shows_why(tmp_path: Path) -> None:
    """Quiet is not silent: when pip fails, its output is on the terminal."""
    (tmp_path / "Makefile").write_bytes((ROOT / "Makefile").read_bytes())
    (tmp_path / "pyproject.toml").write_text("")
    fake = tmp_path / "python3"
    fake.write_text(FAKE_PYTHON.replace('echo "Successfully installed x";;', "exit 1;;"))
    fake.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAKE")}
    failed = subprocess.run(
        ["make", "run", f"PY={fake}"], cwd=tmp_path, env=env, capture_output=True, check=False
    )
    assert failed.returncode != 0
    assert "WARNING: Location 'file:///opt/pypi' is ignored" in failed.stderr.decode()
