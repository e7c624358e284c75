"""Errors and secrets: no token in any output, truthful apologies, one line for a dead database."""

from __future__ import annotations

import asyncio
import io
import logging
import os
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from conftest import ADMIN, SH, Bot, make_app, sample, settings_for
from fakebot import BOT_TOKEN, FakeTelegram, User
from telegram import Update
from telegram.ext import CommandHandler

from bot.context import CadenceContext, Services
from bot.lifecycle import start_app, stop_app
from core import logs
from core.clock import FixedClock
from handlers.gate import Where, gate
from storage.db import Database

ROOT = Path(__file__).resolve().parents[1]
BAD_TOKEN = "987654321:AAbadSECRETtokenThatTelegramRejects0"
GUEST = User(777, "Guest", language_code="en")
SORRY_EN = "Sorry, something went wrong while handling that. Please try again."
SORRY_ZH = "抱歉，处理这次操作时出错，请重试。"


def _clean_env(**extra: str) -> dict[str, str]:
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("TELEGRAM_", "CADENCE_", "DATABASE_"))
    }
    return {**base, "PYTHONPATH": str(ROOT), **extra}


async def _cli(cwd: Path, env: dict[str, str], *args: str) -> tuple[int, str, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot",
        *args,
        cwd=cwd,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    return proc.returncode or 0, out.decode(), err.decode()


@pytest.mark.parametrize("command", [["run"], ["invites", "--programme", "P"]])
async def test_a_rejected_token_is_never_printed(tmp_path: Path, command: list[str]) -> None:
    async with FakeTelegram() as api:  # it knows only BOT_TOKEN: any other is a 401
        env = _clean_env(
            DATABASE_URL=f"sqlite:///{tmp_path / 'c.db'}",
            TELEGRAM_BOT_TOKEN=BAD_TOKEN,
            TELEGRAM_API_BASE_URL=api.base_url,
        )
        assert (await _cli(tmp_path, env, "migrate"))[0] == 0
        code, out, err = await _cli(tmp_path, env, *command)
    secret = BAD_TOKEN.partition(":")[2]
    assert secret not in out + err and BAD_TOKEN not in out + err
    assert code == 2
    assert err.strip().splitlines()[-1] == (
        "Telegram rejected TELEGRAM_BOT_TOKEN. Check it, or get a new one from @BotFather (/token)."
    )


def test_the_filter_redacts_message_arguments_and_traceback() -> None:
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(logging.Formatter(logs.FORMAT))
    handler.addFilter(logs.Redactor(logs.secrets_of(BAD_TOKEN)))
    logger = logging.getLogger("cadence.test.redact")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        logs.start_update(41, 7)
        logs.set_programme(3)
        try:
            raise RuntimeError(f"POST /bot{BAD_TOKEN}/getMe failed")
        except RuntimeError:
            logger.exception("token %s, secret %s", BAD_TOKEN, BAD_TOKEN.partition(":")[2])
    finally:
        logger.removeHandler(handler)
    text = stream.getvalue()
    assert BAD_TOKEN.partition(":")[2] not in text
    first = text.splitlines()[0]
    assert first.endswith(
        "ERROR cadence.test.redact [programme=3 update=41 user=7]: "
        "token [token redacted], secret [token redacted]"
    )
    assert "RuntimeError: POST /bot[token redacted]/getMe failed" in text


@pytest.mark.parametrize("command", [["run"], ["migrate"], ["import", "l.csv", "--programme", "P"]])
async def test_database_unreachable_at_start_is_one_line(
    tmp_path: Path, command: list[str]
) -> None:
    (tmp_path / "l.csv").write_bytes(sample("ledger.zh.csv"))
    env = _clean_env(
        DATABASE_URL="postgresql://cadence:pa55word@127.0.0.1:1/cadence",  # port 1: closed
        TELEGRAM_BOT_TOKEN=BOT_TOKEN,
        TELEGRAM_API_BASE_URL="http://127.0.0.1:1/bot",
    )
    code, out, err = await _cli(tmp_path, env, *command)
    assert code == 3
    assert out == ""
    assert err.splitlines() == [
        "Cannot reach the database (postgresql at 127.0.0.1:1/cadence): "
        "[Errno 111] Connect call failed ('127.0.0.1', 1)"
    ]


async def _boom(update: Update, context: CadenceContext) -> None:
    raise RuntimeError(f"boom with {BOT_TOKEN} inside")


async def test_unexpected_error_apologises_in_the_users_language_and_is_forwarded(
    sqlite_url: str,
) -> None:
    async with FakeTelegram() as api:
        settings = settings_for(api, sqlite_url, cadence_error_chat_id=-4242)
        clock = FixedClock(datetime(2024, 9, 30, 10, 0, tzinfo=SH))
        app = make_app(settings, clock)
        # first in the main group: the catch-all for unknown commands sits at its end
        app.handlers[0][:0] = [
            CommandHandler("boom", _boom),
            CommandHandler("gboom", gate(where=Where.ANY, needs_programme=False)(_boom)),
        ]
        await start_app(app, poll_timeout=1)
        bot = Bot(api, app, clock, settings)
        try:
            assert (await bot.say(GUEST, "/boom")).plain == SORRY_EN
            update_id = api.updates[-1]["update_id"]
            assert (await bot.say(ADMIN, "/boom")).plain == SORRY_ZH
            await bot.say(ADMIN, "/newprogramme 巡视整改")
            chooser = await bot.say(ADMIN, "/lang")
            await bot.press(ADMIN, chooser, "lang:en")
            assert (await bot.say(ADMIN, "/gboom")).plain == SORRY_EN  # /lang beats Telegram's
            gated = api.updates[-1]["update_id"]
        finally:
            await stop_app(app)
    forwarded = api.messages_to(-4242)
    assert len(forwarded) == 3
    first = forwarded[0].plain
    assert first.splitlines()[0] == f"意外错误（项目-，更新{update_id}，用户{GUEST.id}）："
    assert first.splitlines()[1] == "Traceback (most recent call last):"
    assert first.rstrip().endswith("RuntimeError: boom with [token redacted] inside")
    assert all(BOT_TOKEN.partition(":")[2] not in m.text for m in forwarded if m.text)
    # the gate named the programme, so the log line and the forward carry it
    assert forwarded[2].plain.splitlines()[0] == f"意外错误（项目1，更新{gated}，用户{ADMIN.id}）："


async def test_a_lost_database_is_logged_once_a_minute(
    bot: Bot, caplog: pytest.LogCaptureFixture
) -> None:
    svc = bot.app.bot_data["svc"]
    assert isinstance(svc, Services)
    alive = svc.db
    svc.db = Database("postgresql://cadence:pa55word@127.0.0.1:1/cadence")
    try:
        with caplog.at_level(logging.ERROR, logger="cadence"):
            for _ in range(3):
                assert (await bot.say(GUEST, "/help")).plain == SORRY_EN
            bot.clock.advance(timedelta(seconds=61))
            assert (await bot.say(ADMIN, "/help")).plain == SORRY_ZH
    finally:
        await svc.database.dispose()
        svc.db = alive
    lost = [r.getMessage() for r in caplog.records if r.name == "cadence"]
    line = (
        "database unreachable (postgresql at 127.0.0.1:1/cadence): "
        "[Errno 111] Connect call failed ('127.0.0.1', 1); "
        "retrying on every update, next report in a minute"
    )
    assert lost == [line, line]
    assert "pa55word" not in caplog.text


async def test_while_the_database_is_down_each_update_gets_one_apology(bot: Bot) -> None:
    svc = bot.app.bot_data["svc"]
    assert isinstance(svc, Services)
    alive = svc.db
    svc.db = Database("postgresql://cadence:pa55word@127.0.0.1:1/cadence")
    try:
        for _ in range(3):
            await bot.say(GUEST, "/help")
    finally:
        await svc.database.dispose()
        svc.db = alive
    # the handler and the update's persistence both fail: still one apology each
    assert [m.plain for m in bot.api.messages_to(GUEST.id)] == [SORRY_EN] * 3


async def _boom_long(update: Update, context: CadenceContext) -> None:
    raise RuntimeError("long " + "x" * 10_000)


async def test_a_long_message_does_not_push_the_traceback_out(sqlite_url: str) -> None:
    async with FakeTelegram() as api:
        settings = settings_for(api, sqlite_url, cadence_error_chat_id=-4242)
        clock = FixedClock(datetime(2024, 9, 30, 10, 0, tzinfo=SH))
        app = make_app(settings, clock)
        app.handlers[0][:0] = [CommandHandler("boom", _boom_long)]
        await start_app(app, poll_timeout=1)
        try:
            assert (await Bot(api, app, clock, settings).say(GUEST, "/boom")).plain == SORRY_EN
        finally:
            await stop_app(app)
    [forwarded] = api.messages_to(-4242)
    lines = forwarded.plain.splitlines()
    assert lines[1] == "Traceback (most recent call last):"
    assert any("in _boom_long" in line for line in lines)
    assert lines[-1] == "RuntimeError: long " + "x" * (500 - len("RuntimeError: long ")) + "… [cut]"


async def test_a_failed_beat_is_forwarded_to_the_error_chat(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    from jobs import scheduler

    svc = bot.app.bot_data["svc"]
    assert isinstance(svc, Services)
    svc.settings = svc.settings.model_copy(update={"cadence_error_chat_id": -4242})

    async def broken(*_args: object, **_kw: object) -> None:
        raise RuntimeError("the beat broke")

    monkeypatch.setattr(scheduler, "run_beat", broken)
    assert bot.app.job_queue is not None
    data = {"programme_id": 1, "beat": "dispatch", "period": "2024-W40"}
    bot.app.job_queue.run_once(scheduler.beat_job, when=0, name="beat:1:dispatch", data=data)
    await bot.api.wait_until(lambda: bool(bot.api.messages_to(-4242)), timeout=5)
    for job in bot.app.job_queue.get_jobs_by_name("beat:1:dispatch"):
        job.schedule_removal()  # the retry would forward it again
    text = bot.api.messages_to(-4242)[0].plain
    assert text.splitlines()[0] == "意外错误（项目1，更新-，用户-）："
    assert text.splitlines()[1] == "Traceback (most recent call last):"
    assert text.rstrip().endswith("RuntimeError: the beat broke")
