"""End to end: a task force of three coordinators, invited by link, who name themselves; each
hears of an absence in their own language."""

from __future__ import annotations

import re

from conftest import ADMIN, Bot
from fakebot import User
from rhythm_support import OWNER_A, seed
from sqlmodel import select

from core.domain.model import Role
from storage import people
from storage.models import Person

LI = User(801, "Li", language_code="zh-hans")
ROSE = User(802, "Rose", language_code="en")


async def test_three_coordinators(bot: Bot) -> None:
    pid = await seed(bot)
    refused = await bot.say(ADMIN, "/invites coordinator 11")
    assert refused.plain == (
        "用法：发送 /invites 生成整改台账人员的邀请链接；发送 /invites 专班 数量 "
        "生成整改专班成员邀请链接（每次最多10个，每个链接绑定一名新成员）。"
    )
    links = await bot.say(ADMIN, "/invites coordinator 2")
    tokens = re.findall(r"start=(\S+)", links.plain)
    assert links.plain.split("\n")[0] == (
        "整改专班成员邀请链接2个（14天内有效，每个链接仅限使用一次，打开链接的人员首次使用时填写本人姓名）："
    )
    assert len(tokens) == 2
    welcome = await bot.say(LI, f"/start {tokens[0]}")
    assert (
        welcome.plain
        == "欢迎您，您已成为整改项目“P”的整改专班成员。请发送您的姓名，供其他同事识别。"
    )
    taken = await bot.say(LI, "城市管理局联络员")
    assert taken.plain == "本整改项目中已有“城市管理局联络员”，请换一个名称发送。"
    named = await bot.say(LI, "李专班")
    assert named.plain == "谢谢，李专班。其他同事将看到您的这一姓名。发送 /help 可查看可用功能。"
    welcome_en = await bot.say(ROSE, f"/start {tokens[1]}")
    assert welcome_en.plain == (
        "Welcome: you are now a coordinator of programme P. Please send your name as colleagues "
        "should see it."
    )
    named_en = await bot.say(ROSE, "Rose Chen")
    assert named_en.plain == (
        "Thank you, Rose Chen: colleagues now see you by this name. /help lists what you can do."
    )
    async with bot.db.session() as s:
        roles = await people.roles_by_person(s, programme_id=pid)
        coordinators = sorted(
            p.name
            for p in (await s.exec(select(Person).where(Person.programme_id == pid))).all()
            if Role.COORDINATOR in roles.get(p.id or 0, set())
        )
    assert coordinators == ["Admin", "Rose Chen", "李专班"]
    # a used link binds nobody else
    again = await bot.say(OWNER_A, f"/start {tokens[0]}")
    assert again.plain == "该邀请链接已被使用，请联系整改专班重新获取。"

    # all three hear of an absence, each in their own language
    mark = bot.api.mark()
    bot.api.send_private(OWNER_A, "/away 10月8日 10月9日")
    await bot.answers(OWNER_A.id, mark)
    zh = "城市管理局联络员10月8日—10月9日不在岗，期间暂停向其发送每周调度。"
    en = "城市管理局联络员 is away 8 October – 9 October; their dispatches pause meanwhile."
    for user, text in ((ADMIN, zh), (LI, zh), (ROSE, en)):
        assert [m.plain for m in bot.api.since(mark) if m.chat_id == user.id] == [text]
    # the new coordinators act as coordinators
    invites = await bot.say(ROSE, "/invites")
    assert invites.plain.startswith("21 invite links (valid 14 days; each works once)")
