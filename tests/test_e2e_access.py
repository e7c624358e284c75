"""People and access: roles follow the ledger, one winner per invite, one person per account, /setup."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from conftest import ADMIN, GROUP, TASKFORCE, Bot, button
from fakebot import Chat, User
from sqlmodel import col, select
from test_e2e_foundation import all_invites, invite_tokens

from core.domain.invites import Redeem
from handlers.admin import split_setup
from storage import invites, people
from storage.models import AuditEvent, Person, Programme

HEADER = "编号,方面,问题,整改措施,责任领导,牵头单位,责任人,完成时限,状态\n"
ROW_1 = "1.1.1,方面一,问题一,措施一,李领导,单位甲,张三,2024-12-31,推进中\n"
ROW_2 = "1.1.2,方面一,问题一,措施二,赵领导,单位乙,王五,2024-12-31,推进中\n"
LEADER = User(401, "Zhao", language_code="en")
OWNER = User(402, "Wang", language_code="zh-hans")
OTHER = User(403, "Other", language_code="en")


async def _import(bot: Bot, name: str, content: str, choice: str = "imp:keep") -> str:
    preview = await bot.upload(ADMIN, name, content.encode("utf-8"))
    await bot.press(ADMIN, preview, button(preview, choice))
    return bot.api.last_to(ADMIN.id).plain.split("\n\n")[0]  # what was written; next steps after


async def _programme(bot: Bot) -> dict[str, str]:
    await bot.say(ADMIN, "/newprogramme P")
    await _import(bot, "l.csv", HEADER + ROW_1 + ROW_2)
    return invite_tokens(await all_invites(bot))


async def _roles(bot: Bot, name: str) -> set[str]:
    async with bot.db.session() as s:
        person = (await s.exec(select(Person).where(Person.name == name))).one()
        roles = await people.roles_by_person(s, programme_id=person.programme_id)
        return {r.value for r in roles.get(person.id or 0, set())}


async def test_roles_follow_the_ledger_when_measures_go(bot: Bot) -> None:
    links = await _programme(bot)
    assert (await bot.say(LEADER, f"/start {links['赵领导']}")).plain.startswith("Welcome, 赵领导.")
    await bot.say(OWNER, f"/start {links['王五']}")
    # kept, not removed: nobody loses anything
    kept = await _import(bot, "short.csv", HEADER + ROW_1)
    assert kept == "导入完成：新增0项，变更0项，未变1项。文件中没有的1项整改措施已保留。"
    assert await _roles(bot, "赵领导") == {"leader"} and await _roles(bot, "王五") == {"owner"}
    mark = bot.api.mark()
    done = await _import(bot, "short.csv", HEADER + ROW_1, "imp:drop")
    assert done == (
        "导入完成：新增0项，变更0项，未变1项。已删除1项整改措施。\n"
        "以下人员因台账不再列明而撤销角色：王五（责任人）和赵领导（责任领导）。"
    )
    assert await _roles(bot, "赵领导") == set() and await _roles(bot, "王五") == set()
    assert await _roles(bot, "张三") == {"owner"} and await _roles(bot, "李领导") == {"leader"}
    assert await _roles(bot, "Admin") == {"coordinator"}
    told = {m.chat_id: m.plain for m in bot.api.since(mark) if m.chat_id in (LEADER.id, OWNER.id)}
    assert told == {
        LEADER.id: "The updated ledger of P no longer names you as leader, so that role has been "
        "withdrawn. If this is a mistake, ask your task force.",
        OWNER.id: "“P”更新后的整改台账不再将您列为责任人，相应角色已撤销。如有误，请联系整改专班。",
    }
    refused = await bot.say(OWNER, "/my")
    assert refused.plain == "抱歉，此功能仅限责任人使用。"
    async with bot.db.session() as s:
        events = (
            await s.exec(
                select(AuditEvent)
                .where(AuditEvent.action == "person.roles")
                .order_by(col(AuditEvent.id))
            )
        ).all()
    assert [(e.before, e.after) for e in events] == [
        ('{"roles": ["owner"]}', '{"roles": []}'),
        ('{"roles": ["leader"]}', '{"roles": []}'),
    ]


async def test_a_new_owner_takes_the_role_from_the_old_one(bot: Bot) -> None:
    await _programme(bot)
    moved = ROW_1.replace("张三", "孙七")
    done = await _import(bot, "moved.csv", HEADER + moved + ROW_2)
    assert done == (
        "导入完成：新增0项，变更1项，未变1项。\n以下人员因台账不再列明而撤销角色：张三（责任人）。"
    )
    assert await _roles(bot, "张三") == set() and await _roles(bot, "孙七") == {"owner"}


async def test_two_redemptions_of_one_link_at_once_have_one_winner(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    links = await _programme(bot)
    token = links["王五"]
    arrived: list[int] = []
    both = asyncio.Event()
    real_claim = invites.claim_invite

    async def racing_claim(session: Any, **kw: Any) -> bool:
        arrived.append(1)  # both have read the link as unused before either claims it
        if len(arrived) == 2:
            both.set()
        await asyncio.wait_for(both.wait(), 10)
        return await real_claim(session, **kw)

    monkeypatch.setattr(invites, "claim_invite", racing_claim)

    async def redeem(user: User) -> Redeem:
        async with bot.db.session() as s:
            outcome, _ = await invites.redeem(
                s, token=token, user_id=user.id, display_name=user.first_name, now=bot.clock.now()
            )
            return outcome

    outcomes = await asyncio.gather(redeem(OWNER), redeem(OTHER))
    assert sorted(outcomes) == [Redeem.BOUND, Redeem.USED]
    winner = OWNER if outcomes[0] is Redeem.BOUND else OTHER
    loser = OTHER if winner is OWNER else OWNER
    async with bot.db.session() as s:
        person = (await s.exec(select(Person).where(Person.name == "王五"))).one()
        binds = (await s.exec(select(AuditEvent).where(AuditEvent.action == "person.bind"))).all()
    assert person.telegram_user_id == winner.id
    assert [e.after for e in binds if e.entity_id == person.id] == [
        f'{{"telegram_user_id": {winner.id}}}'
    ]
    monkeypatch.undo()
    again = await bot.say(loser, f"/start {token}")
    assert (
        again.plain
        == {
            OTHER.id: "This invite link has already been used. Ask your task force for a new one.",
            OWNER.id: "该邀请链接已被使用，请联系整改专班重新获取。",
        }[loser.id]
    )


async def test_one_account_is_one_person_per_programme(bot: Bot) -> None:
    links = await _programme(bot)
    await bot.say(OTHER, f"/start {links['王五']}")
    second = await bot.say(OTHER, f"/start {links['赵领导']}")
    assert second.plain == (
        "Your Telegram account is already bound to 王五 in programme P, and one account can be "
        "only one person there. Ask your task force to sort it out."
    )
    async with bot.db.session() as s:
        leader = (await s.exec(select(Person).where(Person.name == "赵领导"))).one()
    assert leader.telegram_user_id is None
    # the link is still good for the right person
    welcome = await bot.say(LEADER, f"/start {links['赵领导']}")
    assert welcome.plain.startswith("Welcome, 赵领导.")


@pytest.mark.parametrize(
    ("words", "expected"),
    [
        (["P"], ("P", False)),
        (["P", "taskforce"], ("P", True)),
        (["P", "TaskForce"], ("P", True)),
        (["巡视整改", "专班"], ("巡视整改", True)),
        (["专班"], ("专班", False)),
        (["taskforce"], ("taskforce", False)),
        (["专班", "专班"], ("专班", True)),
        (["taskforce", "x"], ("taskforce x", False)),
        ([], ("", False)),
    ],
)
def test_the_taskforce_keyword_is_only_the_last_word_after_a_name(
    words: list[str], expected: tuple[str, bool]
) -> None:
    assert split_setup(words) == expected


async def _group(bot: Bot, chat: Chat, text: str) -> str:
    mark = bot.api.mark()
    bot.api.send_group(chat, ADMIN, text)
    [reply] = await bot.answers(chat.id, mark)
    return reply.plain.split("\n\n")[0]  # the set-up itself; what comes next follows


async def test_programmes_named_like_the_keyword_can_have_a_leadership_group(bot: Bot) -> None:
    third = Chat(-1003, "supergroup", "第三群")
    for name in ("专班", "taskforce", "巡视 专班"):
        await bot.say(ADMIN, f"/newprogramme {name}")
    assert await _group(bot, GROUP, "/setup 专班") == (
        "本群已设为“专班”的领导小组群，月度汇报和 /summary 结果将在此发布。"
    )
    assert await _group(bot, TASKFORCE, "/setup 专班 专班") == (
        "本群已设为“专班”的整改专班群，半月研判将在此发布。"
    )
    assert await _group(bot, third, "/setup taskforce") == (
        "本群已设为“taskforce”的领导小组群，月度汇报和 /summary 结果将在此发布。"
    )
    async with bot.db.session() as s:
        chats = {
            p.name: (p.leadership_chat_id, p.taskforce_chat_id)
            for p in (await s.exec(select(Programme))).all()
        }
    assert chats["专班"] == (GROUP.id, TASKFORCE.id)
    assert chats["taskforce"] == (third.id, None)
    fourth = Chat(-1004, "supergroup", "第四群")
    # no programme "巡视": the whole text is the name
    assert await _group(bot, fourth, "/setup 巡视 专班") == (
        "本群已设为“巡视 专班”的领导小组群，月度汇报和 /summary 结果将在此发布。"
    )
    assert (
        await _group(bot, Chat(-1005, "supergroup", "五"), "/setup") == "用法：/setup 名称 [专班]"
    )
