"""End to end: /people grants and removes roles by button (the last coordinator stays), lists
links not opened after three days with a button for a fresh one, and /revoke unbinds."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from conftest import ADMIN, SH, Bot, sample
from rhythm_support import LEADER, OWNER_A, OWNER_B, seed
from sqlmodel import col, select
from test_e2e_foundation import last_answer

from core.domain.ledger import parse_ledger
from core.domain.model import Role
from core.render.callbacks_people import PeoplePage, PersonCard, Reissue, RoleSwitch
from storage import ledger_store, people
from storage.models import AuditEvent, Person


async def _id(bot: Bot, name: str) -> int:
    async with bot.db.session() as s:
        person = (await s.exec(select(Person).where(Person.name == name))).one()
        assert person.id is not None
        return person.id


async def _roles(bot: Bot, pid: int, name: str) -> set[Role]:
    async with bot.db.session() as s:
        return (await people.roles_by_person(s, programme_id=pid)).get(await _id(bot, name), set())


A = "城市管理局联络员"
B = "建设局联络员"
L = "管委会副主任（分管城建）"


async def test_roles_by_button_and_the_last_coordinator(bot: Bot) -> None:
    pid = await seed(bot)
    listing = await bot.say(ADMIN, "/people")
    lines = listing.plain.split("\n")
    assert lines[:5] == [
        "已绑定：4人",
        "✅ Admin（整改专班成员）",
        f"✅ {A}（责任人）",
        f"✅ {B}（责任人）",
        f"✅ {L}（责任领导）",
    ]
    assert lines[-1] == "点击人员姓名，可设置或取消其整改专班成员、责任领导角色。"
    a, b, admin = await _id(bot, A), await _id(bot, B), await _id(bot, "Admin")
    assert [d for _, d in listing.buttons][:2] == [PersonCard(admin).pack(), PersonCard(a).pack()]

    await bot.press(ADMIN, listing, PersonCard(a).pack())
    card = bot.api.last_to(ADMIN.id)
    assert card.plain == f"{A}\n角色：责任人"
    assert card.buttons == [
        ("设为整改专班成员", RoleSwitch(a, "coordinator", "on").pack()),
        ("设为责任领导", RoleSwitch(a, "leader", "on").pack()),
    ]
    mark = bot.api.mark()
    await bot.press(ADMIN, card, RoleSwitch(a, "coordinator", "on").pack())
    assert card.plain == f"{A}\n角色：整改专班成员和责任人\n\n已将{A}设为整改专班成员。"
    assert card.buttons[0] == ("取消整改专班成员角色", RoleSwitch(a, "coordinator", "off").pack())
    # the listing the card answers shows the new role too, its buttons unchanged
    assert listing.plain.split("\n")[2] == f"✅ {A}（整改专班成员和责任人）"
    assert [d for _, d in listing.buttons][:2] == [PersonCard(admin).pack(), PersonCard(a).pack()]
    [told] = [m.plain for m in bot.api.since(mark) if m.chat_id == OWNER_A.id]
    assert told == "整改专班已将您设为整改项目“P”的整改专班成员。发送 /help 可查看可用功能。"
    assert (await bot.say(OWNER_A, "/people")).plain.startswith("已绑定：4人")

    # the admin steps down; the new coordinator is then the only one and cannot
    await bot.press(ADMIN, listing, PersonCard(admin).pack())
    mine = bot.api.last_to(ADMIN.id)
    await bot.press(ADMIN, mine, RoleSwitch(admin, "coordinator", "off").pack())
    assert mine.plain.endswith("已取消Admin的整改专班成员角色。")
    mine_a = await bot.say(OWNER_A, "/people")
    await bot.press(OWNER_A, mine_a, PersonCard(a).pack())
    own = bot.api.last_to(OWNER_A.id)
    bot.api.press(OWNER_A, own, RoleSwitch(a, "coordinator", "off").pack())
    await bot.settle()
    assert last_answer(bot) == (
        f"{A}是本整改项目唯一的整改专班成员，请先将其他人员设为整改专班成员。",
        True,
    )
    assert Role.COORDINATOR in await _roles(bot, pid, A)
    leader = await _id(bot, L)
    # nor can /revoke leave the programme without one
    assert (await bot.say(OWNER_A, f"/revoke {A}")).plain == (
        f"{A}是本整改项目唯一的整改专班成员，请先将其他人员设为整改专班成员。"
    )

    # forged presses: an owner's role, a person of no programme, a stranger to the task force
    for forged in (f"role:{a}:owner:on", "pp:99999", f"role:{leader}:leader:off"):
        bot.api.press(OWNER_B if "leader:off" in forged else OWNER_A, own, forged)
        await bot.settle()
        expected = (
            "Sorry, this is for coordinators only." if "leader:off" in forged else "此按钮已失效。"
        )
        assert last_answer(bot)[0] == expected, forged
    # the ledger's responsible leader keeps the role the ledger gives
    bot.api.press(OWNER_A, own, RoleSwitch(leader, "leader", "off").pack())
    await bot.settle()
    assert last_answer(bot) == (
        f"整改台账中{L}为责任领导，该角色以整改台账为准：如需取消，请修改整改台账后重新导入。",
        True,
    )
    # a leader granted by hand stays one through a re-import of the ledger
    await bot.press(OWNER_A, own, RoleSwitch(b, "leader", "on").pack())
    assert own.plain.endswith(f"已将{B}设为责任领导。")
    told_b = bot.api.last_to(OWNER_B.id).plain
    assert told_b == (
        "The task force gave you the leader role in programme P. /help lists what you can do now."
    )
    parsed = parse_ledger(sample("ledger.zh.csv"), "ledger.zh.csv")
    async with bot.db.session() as s:
        plan = await ledger_store.apply(
            s, programme_id=pid, rows=parsed.rows, actor="test", now=bot.clock.now(),
            today=bot.clock.now().date(),
        )  # fmt: skip
    assert plan.roles_lost == []
    assert await _roles(bot, pid, B) == {Role.OWNER, Role.LEADER}
    assert await _roles(bot, pid, "Admin") == set()
    async with bot.db.session() as s:
        rows = await s.exec(
            select(AuditEvent.before, AuditEvent.after)
            .where(AuditEvent.action == "person.roles")
            .order_by(col(AuditEvent.id))
        )
        assert list(rows.all()) == [
            ('{"roles": ["owner"]}', '{"roles": ["coordinator", "owner"]}'),
            ('{"roles": ["coordinator"]}', '{"roles": []}'),
            ('{"roles": ["owner"]}', '{"roles": ["leader", "owner"]}'),
        ]


async def test_links_not_opened_and_a_fresh_one(bot: Bot) -> None:
    await seed(bot)
    await bot.say(ADMIN, "/invites")  # links for the 21 people not bound, issued 30 September
    bot.clock.advance(timedelta(days=2))
    early = await bot.say(ADMIN, "/people")
    assert "仍未打开" not in early.plain
    bot.clock.advance(timedelta(days=2))  # 4 October: three days have passed
    listing = await bot.say(ADMIN, "/people")
    parts = listing.plain.split("\n\n")
    assert parts[2].split("\n")[:3] == [
        "邀请链接发出3天仍未打开：21人",
        "⏳ 党工委书记（链接于9月30日发出）",
        "⏳ 党工委副书记（链接于9月30日发出）",
    ]
    assert parts[3] == (
        "点击人员姓名，可设置或取消其整改专班成员、责任领导角色。"
        "点击🔁可为尚未打开链接的人员重新生成邀请链接。"
    )
    audit_id = await _id(bot, "审计局联络员")
    reissue = Reissue(audit_id).pack()
    assert ("🔁 审计局联络员", reissue) in listing.buttons
    assert len(listing.buttons) == 10 + 4  # ten fresh-link buttons, then the four bound people
    async with bot.db.session() as s:
        old = await invite_token(s, audit_id)
    await bot.press(ADMIN, listing, reissue)
    fresh = bot.api.last_to(ADMIN.id)
    head, link = fresh.plain.split("\n")
    assert head == "已为审计局联络员重新生成邀请链接（14天内有效，仅限使用一次），原链接已失效："
    token = re.fullmatch(r"https://t\.me/cadence_test_bot\?start=(\S+)", link)
    assert token is not None and token[1] != old
    stale = await bot.say(OWNER_A, f"/start {old}")
    assert stale.plain == "该邀请链接已被撤销，请联系整改专班重新获取。"
    after = await bot.say(ADMIN, "/people")
    assert "⏳ 审计局联络员" not in after.plain  # the fresh link counts from today
    assert "邀请链接发出3天仍未打开：20人" in after.plain


async def invite_token(s: object, person_id: int) -> str:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from storage.models_people import Invite

    assert isinstance(s, AsyncSession)
    rows = await s.exec(
        select(Invite.token).where(Invite.person_id == person_id, col(Invite.revoked_at).is_(None))
    )
    return rows.one()


async def test_revoke_unbinds_a_bound_person(bot: Bot) -> None:
    await seed(bot)
    async with bot.db.session() as s:
        await people.set_pref(s, user_id=ADMIN.id, locale="en")
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/revoke 建设局")  # a unique start of the ledger name
    [reply] = await bot.answers(ADMIN.id, mark)
    assert reply.plain == (
        f"{B} is no longer bound to their Telegram account, and was told; their history is kept. "
        f"If someone takes over, use /handover {B}."
    )
    [told] = [m.plain for m in bot.api.since(mark) if m.chat_id == OWNER_B.id]
    assert told == (
        f"The task force ended your access to programme P as {B}. What you reported stays in "
        "the ledger's history."
    )
    assert (await bot.say(OWNER_B, "/my")).plain == (
        f"Since 30 September, your account is no longer bound to programme P as {B}: Admin "
        "ended it. What you reported stays in the ledger's history. If you should still take "
        "part, ask the task force for a new invite link."
    )
    async with bot.db.session() as s:
        event = (await s.exec(select(AuditEvent).where(AuditEvent.action == "person.unbind"))).one()
    assert event.before == '{"telegram_name": null, "telegram_user_id": 302}'
    listing = await bot.say(ADMIN, "/people")
    assert listing.plain.split("\n")[:2] == ["Bound: 3", "✅ Admin (coordinator)"]
    assert f"▫️ {B} (owner)" in listing.plain
    # the leader is still bound; the last coordinator cannot unbind themselves
    assert LEADER.id not in [m.chat_id for m in bot.api.since(mark)]
    assert (await bot.say(ADMIN, "/revoke Admin")).plain == (
        "Admin is the programme's only coordinator: make someone else coordinator first."
    )


async def test_people_pages(bot: Bot) -> None:
    pid = await seed(bot)
    async with bot.db.session() as s:
        for n, p in enumerate(await people.people(s, programme_id=pid)):
            if p.telegram_user_id is None:
                p.telegram_user_id = 5000 + n
                s.add(p)
    listing = await bot.say(ADMIN, "/people")
    assert listing.plain.startswith("已绑定：25人")
    assert listing.buttons[-1] == ("下一页（2/3）▶", PeoplePage(1).pack())
    await bot.press(ADMIN, listing, PeoplePage(1).pack())
    assert [label for label, _ in listing.buttons[-2:]] == ["◀ 上一页", "下一页（3/3）▶"]
    assert len(listing.buttons) == 12
    assert datetime(2024, 9, 30, 10, 0, tzinfo=SH) == bot.clock.now()
