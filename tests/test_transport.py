"""The bot's aiohttp transport (bot/transport.py) against the fake Bot API: bodies, uploads, faults."""

from __future__ import annotations

import asyncio

import aiohttp
import fakebot
import pytest
from fakebot import BOT_TOKEN, FakeTelegram, Fault
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, InputFile
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.transport import AiohttpRequest
from jobs.timeouts import may_have_arrived

fake_api = fakebot.fake_api


async def _bot(api: FakeTelegram, pool: int = 8) -> Bot:
    bot = Bot(BOT_TOKEN, base_url=api.base_url, request=AiohttpRequest(connection_pool_size=pool))
    await bot.initialize()
    return bot


async def test_a_message_and_an_upload_arrive_as_sent(fake_api: FakeTelegram) -> None:
    bot = await _bot(fake_api)
    markup = InlineKeyboardMarkup([[InlineKeyboardButton("保存", callback_data="c:1:2:save")]])
    try:
        sent = await bot.send_message(5, "按计划推进 & 100%", reply_markup=markup)
        await bot.send_document(5, InputFile(b"\x00PK bytes", filename="报告.docx"), caption="月报")
    finally:
        await bot.shutdown()
    text, document = fake_api.messages_to(5)
    assert (sent.text, text.text, text.buttons) == (
        "按计划推进 & 100%",
        "按计划推进 & 100%",
        [("保存", "c:1:2:save")],
    )
    assert (document.document, document.filename, document.text) == (
        b"\x00PK bytes",
        "报告.docx",
        "月报",
    )


async def test_faults_map_to_ptb_errors_as_httpx_did(fake_api: FakeTelegram) -> None:
    fake_api.faults.hang = 1.0
    fake_api.faults.next_for(5, Fault.SERVER, Fault.BAD_REQUEST, Fault.FLOOD, Fault.RESET)
    fake_api.faults.next_for(5, Fault.TIMEOUT)
    bot = await _bot(fake_api)
    try:
        for kind in (NetworkError, BadRequest, RetryAfter, NetworkError):
            with pytest.raises(kind):
                await bot.send_message(5, "x", read_timeout=0.3)
        with pytest.raises(TimedOut) as read:
            await bot.send_message(5, "x", read_timeout=0.3)
        await bot.send_message(5, "finally")
    finally:
        await bot.shutdown()
    assert isinstance(read.value.__cause__, aiohttp.SocketTimeoutError)
    assert may_have_arrived(read.value)  # the request had left: it may have been delivered
    assert [m.text for m in fake_api.messages_to(5)] == ["finally"]


async def test_a_pool_timeout_never_left_so_it_is_safe_to_retry(fake_api: FakeTelegram) -> None:
    fake_api.faults.hang = 1.0
    fake_api.faults.next_for(5, Fault.TIMEOUT)
    bot = await _bot(fake_api, pool=1)
    try:
        hung = asyncio.ensure_future(bot.send_message(5, "hangs", read_timeout=0.8))
        await fake_api.wait_until(lambda: fake_api.faults.total_injected() == 1)
        with pytest.raises(TimedOut) as pooled:
            # aiohttp bounds the pool wait and the connecting together: pool + connect
            await bot.send_message(6, "waits", pool_timeout=0.05, connect_timeout=0.05)
        with pytest.raises(TimedOut):
            await hung
    finally:
        await bot.shutdown()
    assert isinstance(pooled.value.__cause__, aiohttp.ConnectionTimeoutError)
    assert not may_have_arrived(pooled.value)
    assert fake_api.messages_to(6) == []
