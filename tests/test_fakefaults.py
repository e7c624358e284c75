"""The fake Bot API's flood limits and injected faults, seen from a plain PTB Bot."""

from __future__ import annotations

import asyncio

import fakebot
import pytest
from fakebot import BOT_TOKEN, FakeTelegram, Fault
from telegram import Bot
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from jobs.pacing import retry_after_seconds

fake_api = fakebot.fake_api


async def _bot(api: FakeTelegram) -> Bot:
    bot = Bot(BOT_TOKEN, base_url=api.base_url)
    await bot.initialize()
    return bot


async def test_strict_limits_answer_429_with_retry_after(fake_api: FakeTelegram) -> None:
    fake_api.faults.strict = True
    bot = await _bot(fake_api)
    try:
        # 1 per second per private chat
        await bot.send_message(1, "a")
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(1, "b")
        assert retry_after_seconds(flood.value) == 1
        # 30 per second overall
        sent = await asyncio.gather(
            *(bot.send_message(100 + i, "x") for i in range(40)), return_exceptions=True
        )
        assert sum(isinstance(r, RetryAfter) for r in sent) == 11  # 1 + 29 fit in the second
        assert fake_api.faults.floods == 12
    finally:
        await bot.shutdown()


async def test_group_limit_is_20_per_minute(fake_api: FakeTelegram) -> None:
    fake_api.faults.strict = True
    fake_api.faults.limits.per_second = 1000
    bot = await _bot(fake_api)
    try:
        for i in range(20):
            await bot.send_message(-100, f"m{i}")
        with pytest.raises(RetryAfter) as flood:
            await bot.send_message(-100, "one too many")
        assert 55 <= retry_after_seconds(flood.value) <= 60
        assert len(fake_api.messages_to(-100)) == 20
    finally:
        await bot.shutdown()


async def test_injected_faults_per_chat_in_order(fake_api: FakeTelegram) -> None:
    faults = fake_api.faults
    faults.hang = 1.0
    faults.next_for(5, Fault.SERVER, Fault.BAD_GATEWAY, Fault.FORBIDDEN, Fault.BAD_REQUEST)
    faults.next_for(5, Fault.CHAT_NOT_FOUND, Fault.FLOOD, Fault.TIMEOUT, Fault.RESET)
    bot = await _bot(fake_api)
    expected: list[type[Exception]] = [NetworkError, NetworkError, Forbidden, BadRequest]
    expected += [BadRequest, RetryAfter, TimedOut, NetworkError]
    try:
        for kind in expected:
            with pytest.raises(kind):
                await bot.send_message(5, "x", read_timeout=0.3)
        await bot.send_message(5, "finally")
    finally:
        await bot.shutdown()
    assert [m.text for m in fake_api.messages_to(5)] == ["finally"]  # failed sends left nothing
    assert faults.total_injected() == 8


async def test_random_faults_are_seeded(fake_api: FakeTelegram) -> None:
    fake_api.faults.at_random(0.5, (Fault.SERVER,), seed=3)
    bot = await _bot(fake_api)
    outcomes = []
    try:
        for i in range(20):
            try:
                await bot.send_message(7, f"{i}")
                outcomes.append(True)
            except NetworkError:
                outcomes.append(False)
    finally:
        await bot.shutdown()
    again = FakeTelegram()
    again.faults.at_random(0.5, (Fault.SERVER,), seed=3)
    assert [again.faults._choose(7) is None for _ in range(20)] == outcomes
    assert 0 < outcomes.count(False) < 20
