"""End to end: a task force of three coordinators, invited by link, who name themselves; each
hears of an absence in their own language."""

from __future__ import annotations

import re

from conftest import ADMIN, Bot
from fakebot import User
from rhythm_support import OWNER_A, seed
from sqlmodel import select

from bot.domain.model import Role
from storage import people
from storage.models import Person

LI = User(801, "Li", language_code="zh-hans")
ROSE = User(802, "Rose", language_code="en")


async def test_three_coordinators(bot: Bot) -> None:
    pid = await seed(bot)
    refused = await bot.say(ADMIN, "/invites coordinator 11")
    print("REFUSED", repr(refused.plain))
    links = await bot.say(ADMIN, "/invites coordinator 2")
    print("LINKS", repr(links.plain))
    tokens = re.findall(r"start=(\S+)", links.plain)
    assert len(tokens) == 2
    welcome = await bot.say(LI, f"/start {tokens[0]}")
    print("WELCOME", repr(welcome.plain))
    taken = await bot.say(LI, "城市管理局联络员")
    print("TAKEN", repr(taken.plain))
    named = await bot.say(LI, "李专班")
    print("NAMED", repr(named.plain))
    welcome_en = await bot.say(ROSE, f"/start {tokens[1]}")
    print("WELCOME EN", repr(welcome_en.plain))
    named_en = await bot.say(ROSE, "Rose Chen")
    print("NAMED EN", repr(named_en.plain))
    async with bot.db.session() as s:
        roles = await people.roles_by_person(s, programme_id=pid)
        coordinators = sorted(
            p.name
            for p in (await s.exec(select(Person).where(Person.programme_id == pid))).all()
            if Role.COORDINATOR in roles.get(p.id or 0, set())
        )
    print("COORDS", coordinators)
    mark = bot.api.mark()
    bot.api.send_private(OWNER_A, "/away 10月8日 10月9日")
    await bot.answers(OWNER_A.id, mark)
    for u in (ADMIN, LI, ROSE):
        print("TOLD", u.id, [m.plain for m in bot.api.since(mark) if m.chat_id == u.id])
    invites = await bot.say(ROSE, "/invites")
    print("ROSE INVITES", invites.plain[:80])
