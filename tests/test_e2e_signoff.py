"""End to end: sign-off requests, first decision wins, send back, /pending, /history."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, SH, Bot, button
from rhythm_support import OWNER_A, measure_id, seed, tick
from signoff_support import (
    COORD_B,
    add_coordinator,
    alert,
    audit_count,
    status_of,
    step,
    upload,
)
from sqlmodel import select

from storage.models import SignoffRequest


async def _start(bot: Bot) -> int:
    pid = await seed(bot)
    await add_coordinator(bot, pid, "专班成员乙", COORD_B)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    return pid


async def test_signoff_needs_evidence_then_first_decision_wins(bot: Bot) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    await bot.press(OWNER_A, dispatch, f"ans:{m132}:done")
    await bot.say(OWNER_A, "虎峰山乡镇水厂已建成投用，自来水入户全部完成。")
    prompt = bot.api.last_to(OWNER_A.id)
    print(await alert(bot, OWNER_A, prompt, button(prompt, "f:")))  # Done without a file
    assert bot.api.last_to(OWNER_A.id) is prompt
    async with bot.db.session() as s:
        assert not (await s.exec(select(SignoffRequest))).all()
    await upload(bot, OWNER_A, "验收报告.pdf")
    await upload(bot, OWNER_A, "入户照片.pdf")
    await step(bot, OWNER_A, "f:")
    await step(bot, OWNER_A, "c:", ":save")
    print(bot.api.last_to(OWNER_A.id).plain)
    for user in (ADMIN, COORD_B):
        for m in bot.api.messages_to(user.id):
            print(user.id, m.method, repr(m.plain), m.buttons)
    copy_b = bot.api.last_to(COORD_B.id)
    copy_a = bot.api.last_to(ADMIN.id)
    await bot.press(COORD_B, copy_b, button(copy_b, "dec:", ":ok"))
    print(repr(copy_a.plain), copy_a.buttons)
    print(repr(copy_b.plain), copy_b.buttons)
    print(repr(bot.api.last_to(OWNER_A.id).plain))
    n = await audit_count(bot)
    print(await alert(bot, ADMIN, copy_a, "dec:1:ok"))
    assert await audit_count(bot) == n
    print(await status_of(bot, "1.3.2"))
    await bot.say(OWNER_A, "/history 1.3.2")
    print(bot.api.last_to(OWNER_A.id).plain)
    await bot.say(COORD_B, "/history 1.3.2")
    print(bot.api.last_to(COORD_B.id).plain)
    assert False
