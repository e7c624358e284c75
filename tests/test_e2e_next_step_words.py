"""End to end: everyone knows the next step (issue 24): strangers, handed-over and revoked
accounts are told what this bot is and how to get in; by whom and since when they left."""

from __future__ import annotations

import re
from datetime import datetime

from conftest import ADMIN, SH, Bot
from fakebot import User
from rhythm_support import OWNER_A, OWNER_B, seed
from stranger_texts import STRANGER_TEXT_EN, STRANGER_TEXT_ZH

STRANGER_ZH = User(556, "路人", language_code="zh-hans")
STRANGER_EN = User(557, "Mallory", language_code="en")


async def test_a_stranger_learns_what_this_bot_is_and_how_to_get_in(bot: Bot) -> None:
    await seed(bot, name="巡视整改")
    for said in ("/start", "/help", "怎么报送进展？", "/my"):
        assert (await bot.say(STRANGER_ZH, said)).plain == STRANGER_TEXT_ZH, said
    assert (await bot.say(STRANGER_EN, "/help")).plain == STRANGER_TEXT_EN


async def test_a_handed_over_account_is_told_since_when_and_by_whom(bot: Bot) -> None:
    await seed(bot)
    bot.clock.set(datetime(2024, 10, 9, 10, 5, tzinfo=SH))
    reply = await bot.say(ADMIN, "/handover 城市管理")
    assert re.search(r"start=\S+", reply.plain)
    bot.clock.set(datetime(2024, 10, 14, 9, 0, tzinfo=SH))
    assert (await bot.say(OWNER_A, "怎么报送进展？")).plain == (
        "自10月9日起，您在“P”中的城市管理局联络员职责已由Admin移交给接任人员，"
        "您此前报送的内容仍保留在台账记录中。如仍需参与，请联系整改专班获取新的邀请链接。"
    )


async def test_a_revoked_account_is_told_since_when_and_by_whom(bot: Bot) -> None:
    await seed(bot)
    bot.clock.set(datetime(2024, 10, 9, 10, 5, tzinfo=SH))
    await bot.say(ADMIN, "/revoke 建设局")
    bot.clock.set(datetime(2025, 1, 6, 9, 0, tzinfo=SH))
    assert (await bot.say(OWNER_B, "/start")).plain == (
        "Since 9 October 2024, your account is no longer bound to programme P as 建设局联络员: "
        "Admin ended it. What you reported stays in the ledger's history. If you should still "
        "take part, ask the task force for a new invite link."
    )
