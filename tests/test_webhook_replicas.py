"""Two replicas behind one webhook URL on one database: each update and each beat handled once."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from datetime import datetime
from pathlib import Path

import aiohttp
import pytest
from conftest import ADMIN, SH, Bot, button, make_app, settings_for
from crash_bot import PUBLIC, SECRET
from fakebot import SentMessage, User
from fakewebhook import SECRET_HEADER, WebhookTelegram
from rhythm_support import OWNER_A, OWNER_B, measure_id, seed
from sqlmodel import select

from bot import web
from bot.app import CadenceApp
from bot.lifecycle import start_app, stop_app
from core.clock import FixedClock
from storage.models import DispatchItem, Person, SentBeat

HARNESS = Path(__file__).with_name("crash_bot.py")
MONDAY = datetime(2024, 9, 30, 9, 30, tzinfo=SH)


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _replica(api: WebhookTelegram, db_url: str, clock: FixedClock) -> CadenceApp:
    """A replica: the real application, receiving updates on its own port."""
    settings = settings_for(
        api, db_url, telegram_webhook_url=PUBLIC, telegram_webhook_secret=SECRET
    )
    app = make_app(settings, clock)
    await app.initialize()
    assert app.post_init is not None
    await app.post_init(app)
    port = _port()
    await web.start_webhook(app, listen="127.0.0.1", port=port, url=PUBLIC, secret=SECRET)
    await app.start()
    api.replicas.append(f"http://127.0.0.1:{port}/telegram/hook")
    return app


async def _claims(bot: Bot, pid: int) -> int:
    async with bot.db.session() as s:
        rows = await s.exec(
            select(SentBeat).where(SentBeat.programme_id == pid, SentBeat.beat == "dispatch")
        )
        return len(rows.all())


def _process(db_url: str, api: WebhookTelegram, port: int) -> subprocess.Popen[bytes]:
    """A replica in its own process: the real application behind the webhook."""
    env = {**os.environ, "PYTHONPATH": str(HARNESS.parent)}
    return subprocess.Popen(
        [sys.executable, str(HARNESS), db_url, api.base_url, MONDAY.isoformat(), str(port)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
    )


async def _human(api: WebhookTelegram, user: User, mark: int) -> SentMessage:
    """The bot's reply; the person reads it before the next step, as people do."""
    [reply] = await api.wait_for(user.id, since=mark, timeout=15)
    # kept: the replica sends its reply before its commit; the next step, at the other replica,
    # must find the state, as a person's reading time always gives it
    await asyncio.sleep(0.5)
    return reply


async def test_two_replica_processes_share_updates_conversations_and_beats(db_url: str) -> None:
    clock = FixedClock(MONDAY)
    async with WebhookTelegram() as api:
        # set up with one polling process first, as a task force would before scaling out
        first = make_app(settings_for(api, db_url), clock)
        await start_app(first, poll_timeout=1)
        bot = Bot(api, first, clock, settings_for(api, db_url))
        pid = await seed(bot)
        m132 = await measure_id(bot, "1.3.2")
        await stop_app(first)
        ports = [_port(), _port()]
        procs = [_process(db_url, api, port) for port in ports]
        try:
            for proc in procs:
                assert proc.stdout is not None
                line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 60)
                assert line.strip() == b"ready"
            api.replicas += [f"http://127.0.0.1:{port}/telegram/hook" for port in ports]
            assert api.webhook is not None and api.webhook["url"] == PUBLIC
            assert api.webhook["secret_token"] == SECRET

            # both replicas' schedules catch up the week's dispatch at start: one claim wins
            def dispatches() -> list[SentMessage]:
                return [
                    m for m in api.sent if "每周调度" in m.plain or "Weekly dispatch" in m.plain
                ]

            await api.wait_until(lambda: len(dispatches()) >= 2, timeout=20)
            # kept: a second claim would have sent by now (the replicas are other processes: an
            # absence can only be waited for)
            await asyncio.sleep(1.0)
            assert sorted(m.chat_id for m in dispatches()) == [OWNER_A.id, OWNER_B.id]
            assert await _claims(bot, pid) == 1

            # an answer in five steps, the balancer alternating replicas at each one
            to_a = next(m for m in dispatches() if m.chat_id == OWNER_A.id)
            mark = api.mark()
            api.press(OWNER_A, to_a, f"ans:{m132}:ok")
            await _human(api, OWNER_A, mark)
            mark = api.mark()
            api.send_private(OWNER_A, "主体工程完工")
            await _human(api, OWNER_A, mark)
            mark = api.mark()
            api.send_private(OWNER_A, "70")
            files = await _human(api, OWNER_A, mark)
            mark = api.mark()
            api.press(OWNER_A, files, button(files, "f:"))
            confirm = await _human(api, OWNER_A, mark)
            assert confirm.plain.startswith("请核对1.3.2的反馈内容：")
            api.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
            await api.wait_until(lambda: confirm.plain == "已保存，谢谢。1.3.2进展已更新。")
            await api.delivered()
            used = [replica for _, replica, _ in api.deliveries]
            assert used == [0, 1, 0, 1, 0] and {s for _, _, s in api.deliveries} == {200}

            # many people at once: each update answered exactly once, by one replica or the other
            users = [User(900 + i, f"路人{i}", language_code="zh-hans") for i in range(10)]
            mark = api.mark()
            for u in users:
                api.send_private(u, "/help")
            await api.delivered()
            await api.wait_until(
                lambda: all([m for m in api.since(mark) if m.chat_id == u.id] for u in users),
                timeout=15,
            )
            await asyncio.sleep(0.5)  # kept: a second answer would have arrived (as above)
            answers = [len([m for m in api.since(mark) if m.chat_id == u.id]) for u in users]
            assert answers == [1] * 10
        finally:
            for proc in procs:
                proc.send_signal(signal.SIGKILL)
                await asyncio.to_thread(proc.wait)
                if proc.stdout is not None:  # left to the collector, it warns in a later test
                    proc.stdout.close()
        async with bot.db.session() as s:
            owner = (
                await s.exec(select(Person).where(Person.telegram_user_id == OWNER_A.id))
            ).one()
            answered = (await s.exec(select(DispatchItem).where(DispatchItem.answered))).all()
        assert [i.owner_id for i in answered] == [owner.id]


async def test_a_request_without_the_secret_is_refused(db_url: str) -> None:
    clock = FixedClock(MONDAY)
    async with WebhookTelegram() as api:
        app = await _replica(api, db_url, clock)
        try:
            update = {
                "update_id": 1,
                "message": {
                    "message_id": 1,
                    "date": 0,
                    "chat": {"id": ADMIN.id, "type": "private"},
                    "from": {"id": ADMIN.id, "is_bot": False, "first_name": "A"},
                    "text": "/help",
                },
            }
            async with aiohttp.ClientSession() as http:
                for headers in ({}, {SECRET_HEADER: "wrong"}):
                    async with http.post(api.replicas[0], json=update, headers=headers) as r:
                        assert r.status == 403
            # anything the replica had let in would be processed (and answered) by now
            await asyncio.wait_for(app.update_queue.join(), 5)
            assert api.sent == []
        finally:
            await stop_app(app)


def test_a_webhook_url_without_a_secret_fails_fast() -> None:
    from pydantic import ValidationError

    from bot.settings import Settings

    with pytest.raises(ValidationError, match="TELEGRAM_WEBHOOK_SECRET is required"):
        Settings(_env_file=None, telegram_bot_token="1:x", telegram_webhook_url=PUBLIC)
    with pytest.raises(ValidationError, match="1-256 characters"):
        Settings(
            _env_file=None,
            telegram_bot_token="1:x",
            telegram_webhook_url=PUBLIC,
            telegram_webhook_secret="not allowed!",
        )
