"""The CLI runs on the bot's own composition: build_application's Bot and services."""

from __future__ import annotations

from datetime import UTC, datetime

from conftest import settings_for
from fakebot import FakeTelegram

from bot.context import Services
from bot.lifecycle import bot_and_services, services
from bot.settings import Settings
from core.clock import FixedClock


async def test_cli_bot_is_the_applications_bot(sqlite_url: str) -> None:
    async with FakeTelegram() as api:
        settings = settings_for(api, sqlite_url)
        async with bot_and_services(settings) as (bot, svc):
            assert bot.base_url == f"{api.base_url}{bot.token}"
            assert bot.base_file_url == f"{api.base_file_url}{bot.token}"  # derived, not forgotten
            assert bot.username == "cadence_test_bot"  # initialised: getMe was asked
            await svc.database.ping()
            assert svc.db is not None and svc.settings is settings
        assert svc.db is None  # the database is closed when the command ends
        assert len(api.calls("getMe")) == 1


async def test_services_without_a_token_use_the_given_clock(sqlite_url: str) -> None:
    settings = Settings(_env_file=None, database_url=sqlite_url)
    clock = FixedClock(datetime(2024, 9, 30, 10, tzinfo=UTC))
    async with services(settings, clock) as svc:
        assert isinstance(svc, Services) and svc.clock is clock and svc.settings is settings
        await svc.database.ping()
    assert svc.db is None
