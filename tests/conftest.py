"""Shared fixtures: network guard, databases, and the running bot against the fake Bot API."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import netguard
import pytest
import pytest_asyncio
from fakebot import BOT_TOKEN, Chat, FakeTelegram, SentMessage, User
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from telegram.ext import AIORateLimiter

from bot.app import CadenceApp, build_application, start_app, stop_app
from bot.clock import FixedClock
from bot.context import Services
from bot.settings import Settings
from storage.db import Database, to_async_url
from storage.migrate import upgrade

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data"
SAMPLES = Path(__file__).resolve().parent / "data"
SH = ZoneInfo("Asia/Shanghai")
ADMIN = User(900, "Admin", language_code="zh-hans")
PG_URL = os.environ.get("TEST_DATABASE_URL")


def sample(name: str) -> bytes:
    """A sample ledger: the repo's copy, else the shared one."""
    for folder in (SAMPLES, SHARED):
        if (folder / name).exists():
            return (folder / name).read_bytes()
    pytest.skip(f"sample {name} not found")


@pytest.fixture(autouse=True)
def _no_network() -> Iterator[None]:
    with netguard.guarded():
        yield


async def _reset_postgres(url: str) -> None:
    engine = create_async_engine(to_async_url(url))
    async with engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))
    await engine.dispose()


def _db_params() -> list[Any]:
    params: list[Any] = ["sqlite"]
    params.append(
        pytest.param(
            "postgres", marks=pytest.mark.skipif(not PG_URL, reason="TEST_DATABASE_URL not set")
        )
    )
    return params


@pytest_asyncio.fixture
async def sqlite_url(tmp_path: Path) -> str:
    """A migrated SQLite database in a temporary folder."""
    url = f"sqlite:///{tmp_path / 'cadence.db'}"
    await asyncio.to_thread(upgrade, url)
    return url


@pytest_asyncio.fixture(params=_db_params())
async def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A migrated database: SQLite always, PostgreSQL when TEST_DATABASE_URL is set."""
    if request.param == "postgres":
        assert PG_URL is not None
        await _reset_postgres(PG_URL)
        url = PG_URL
    else:
        url = f"sqlite:///{tmp_path / 'cadence.db'}"
    await asyncio.to_thread(upgrade, url)
    return url


@dataclass
class Bot:
    """A running Cadence bot, the fake Telegram it talks to, and the pinned clock."""

    api: FakeTelegram
    app: CadenceApp
    clock: FixedClock
    settings: Settings

    @property
    def db(self) -> Database:
        """The bot's database."""
        svc = self.app.bot_data["svc"]
        assert isinstance(svc, Services)
        return svc.database

    async def restart(self) -> None:
        """Stop the application and start a fresh one on the same database."""
        await stop_app(self.app)
        self.app = make_app(self.settings, self.clock)
        await start_app(self.app, poll_timeout=1)

    async def say(self, user: User, text: str, **kw: Any) -> SentMessage:
        """Send a private message and wait for the bot's first answer."""
        mark = self.api.mark()
        self.api.send_private(user, text, **kw)
        first = (await self.api.wait_for(user.id, since=mark))[0]
        await self.api.settle()  # the update's transaction commits after its reply
        return first

    async def press(self, user: User, msg: SentMessage, data: str) -> None:
        """Press a button and wait until the bot edits that message or sends something new."""
        edits, sent = len(msg.history), len(self.api.messages_to(msg.chat_id))
        self.api.press(user, msg, data)
        await self.api.wait_until(
            lambda: len(msg.history) > edits or len(self.api.messages_to(msg.chat_id)) > sent
        )
        await self.api.settle()


def button(msg: SentMessage, prefix: str, suffix: str = "") -> str:
    """The callback data of the one button of msg whose data starts with prefix (and ends with suffix)."""
    found = [d for _, d in msg.buttons if d.startswith(prefix) and d.endswith(suffix)]
    assert len(found) == 1, f"buttons {prefix}…{suffix} in {msg.buttons}"
    return found[0]


def make_app(settings: Settings, clock: FixedClock) -> CadenceApp:
    """The application as production builds it, with test-friendly rate limits."""
    return build_application(settings, clock=clock, rate_limiter=AIORateLimiter(max_retries=0))


def settings_for(api: FakeTelegram, url: str, **extra: Any) -> Settings:
    """Settings pointing at the fake server and a test database."""
    return Settings(
        _env_file=None,
        telegram_bot_token=BOT_TOKEN,
        database_url=url,
        telegram_api_base_url=api.base_url,
        cadence_admins=frozenset({ADMIN.id}),
        **extra,
    )


@pytest_asyncio.fixture
async def bot(db_url: str) -> AsyncIterator[Bot]:
    """The running bot (SQLite, and PostgreSQL when configured), clock pinned to 2024-09-30 10:00 Shanghai."""
    async with FakeTelegram() as api:
        settings = settings_for(api, db_url)
        clock = FixedClock(datetime(2024, 9, 30, 10, 0, tzinfo=SH))
        app = make_app(settings, clock)
        await start_app(app, poll_timeout=1)
        harness = Bot(api, app, clock, settings)
        try:
            yield harness
        finally:
            await stop_app(harness.app)


GROUP = Chat(-1001, "supergroup", "领导小组")
TASKFORCE = Chat(-1002, "supergroup", "整改专班")
