"""End to end (issue 24): an admin with no programme sends a ledger and one press creates the
programme, named after the file, and imports it; stale, forged and bad presses write nothing."""

from __future__ import annotations

import csv
import io
import re
from datetime import datetime

import pytest
from conftest import ADMIN, SH, Bot
from fakebot import SentMessage, User
from ledger_corpus import EN, FILL, THREE, ZH, base, xlsx_of
from rhythm_support import tick
from sqlmodel import col, func, select
from test_e2e_foundation import all_invites, invite_tokens, last_answer

from core.domain.model import Role
from storage import ledger_store, people, programmes
from storage.models import AuditEvent, Measure, Person, Programme

ADMIN_EN = User(ADMIN.id, ADMIN.first_name, language_code="en")  # the admin, Telegram in English
OWNER = User(311, "周强", language_code="zh-hans")
STRANGER = User(555, "Mallory", language_code="en")
ROSE = User(802, "Rose", language_code="en")
TITLED = xlsx_of([["XX市巡视整改台账"], FILL, ZH, *THREE])
OFFER_ZH = (
    "您尚未建立整改项目。按下方按钮，将以文件标题新建整改项目“XX市巡视整改”，并导入本台账。\n\n"
    "XX市巡视整改台账：共1个方面、3项整改措施。\n"
    "新增3项、变更0项、未变0项。\n"
    "读取的列（字段：文件中的列名，两者不同时列出）：编号；方面；问题；整改措施；责任领导；"
    "牵头单位；责任单位；责任人；完成时限；状态。\n\n"
    "如需使用其他名称，请先发送 /newprogramme 名称，再重新发送文件。"
)


def english_csv() -> bytes:
    """Three measures under English headers, no title line: the file names the programme."""
    buf = io.StringIO()
    rows = [[*r[:3], f"Measure {r[0]}", "Mr Wang", "Office", "", "Zhou Qiang", "2024-10-31",
             "in progress"] for r in THREE]  # fmt: skip
    csv.writer(buf).writerows([EN, *rows])
    return buf.getvalue().encode()


async def count(bot: Bot, model: type[Programme] | type[Measure]) -> int:
    async with bot.db.session() as s:
        return int((await s.exec(select(func.count()).select_from(model))).one())


def found_button(offer: SentMessage) -> str:
    """The one button of an offer, which must be the create-and-import one."""
    [(_, data)] = offer.buttons
    assert data.startswith("found:")
    return data


async def test_a_ledger_founds_its_programme_and_the_dispatch_follows(bot: Bot) -> None:
    offer = await bot.upload(ADMIN, "台账.xlsx", TITLED())
    assert offer.plain == OFFER_ZH
    data = found_button(offer)
    assert offer.buttons == [("新建“XX市巡视整改”并导入", data)]
    assert await count(bot, Programme) == 0  # an offer writes nothing
    await bot.press(ADMIN, offer, data)
    assert bot.api.last_to(ADMIN.id).plain == (
        "整改项目“XX市巡视整改”已创建，您为该项目整改专班成员。导入完成：新增3项，变更0项，未变0项。\n\n"
        "下一步：\n"
        "1. 将我加入领导小组群，并在群内发送 /setup XX市巡视整改。\n"
        "2. 在私聊中发送 /invites，获取尚未绑定的2人的邀请链接。\n"
        "首次每周调度将于10月8日（周二）9:00发出。\n"
        "如需提前调度，可在责任人绑定后发送 /dispatch。"
    )
    async with bot.db.session() as s:
        [programme] = (await s.exec(select(Programme))).all()
        assert programme.name == "XX市巡视整改" and programme.id is not None
        pid = programme.id
        me = (await s.exec(select(Person).where(Person.telegram_user_id == ADMIN.id))).one()
        roles = await people.roles_by_person(s, programme_id=pid)
        assert (me.programme_id, me.name, roles[me.id or 0]) == (pid, "Admin", {Role.COORDINATOR})
        codes = (await s.exec(select(Measure.code).where(Measure.programme_id == pid))).all()
        assert sorted(codes) == ["1", "2", "3"]
        actions = (await s.exec(select(AuditEvent.action).order_by(col(AuditEvent.id)))).all()
        assert actions[0] == "programme.create" and actions.count("measure.import") == 3
    # the same button again (a double tap, or a replay) creates nothing more
    bot.api.press(ADMIN, offer, data)
    await bot.settle()
    assert last_answer(bot) == (
        "您已在使用整改项目“XX市巡视整改”。如需将文件导入该项目，请重新发送文件。",
        True,
    )
    assert (await count(bot, Programme), await count(bot, Measure)) == (1, 3)
    # third and fourth actions: the invites, and the owner opens their link
    token = invite_tokens(await all_invites(bot))["周强"]
    welcome = await bot.say(OWNER, f"/start {token}")
    assert welcome.plain.startswith("欢迎您，周强。")
    # the first dispatch then comes by itself at the slot the reply named
    mark = bot.api.mark()
    await tick(bot, pid, datetime(2024, 10, 8, 9, 0, tzinfo=SH))
    [dispatch] = [m for m in bot.api.since(mark) if m.chat_id == OWNER.id]
    assert dispatch.plain.split("\n")[0] == "📌 每周调度 · 本周（10月7日—13日）"


async def test_in_english_the_file_name_names_it_and_stale_presses_write_nothing(
    bot: Bot,
) -> None:
    offer = await bot.upload(ADMIN_EN, "Audit findings ledger.csv", english_csv())
    assert offer.plain == (
        "No programme yet. The button below creates programme Audit findings, named after the "
        "file, and imports this ledger into it.\n\n"
        "Ledger for Audit findings: 3 measures in 1 area.\n"
        "3 new, 0 changed, 0 unchanged.\n"
        "Columns read (field: column in the file, where they differ): Code; Area; Problem; "
        "Measure; Responsible leader; Lead unit; Co-units; Owner; Deadline; Status.\n\n"
        "For another name, send /newprogramme NAME first, then the file again."
    )
    data = found_button(offer)
    assert offer.buttons == [("Create Audit findings and import", data)]
    # a stranger's forged press learns nothing and writes nothing
    bot.api.press(STRANGER, offer, data)
    await bot.settle()
    assert last_answer(bot) == ("Sorry, I can't help you with that.", True)
    # a newer file makes the older offer stale
    newer = await bot.upload(ADMIN_EN, "Audit findings ledger.csv", english_csv() + b"\n")
    bot.api.press(ADMIN_EN, offer, data)
    await bot.settle()
    assert last_answer(bot) == ("This preview has expired. Send the file again.", True)
    # a programme made meanwhile with /newprogramme wins: the offer creates nothing
    await bot.say(ADMIN_EN, "/newprogramme Other")
    # nor does a coordinator of it who is no admin, pressing the admin's button
    [token] = re.findall(r"start=(\S+)", (await bot.say(ADMIN_EN, "/invites coordinator 1")).plain)
    await bot.say(ROSE, f"/start {token}")
    bot.api.press(ROSE, newer, found_button(newer))
    await bot.settle()
    assert last_answer(bot) == ("Sorry, only admins can create programmes.", True)
    bot.api.press(ADMIN_EN, newer, found_button(newer))
    await bot.settle()
    assert last_answer(bot) == (
        "You already work on programme Other. To import the file into it, send it again.",
        True,
    )
    async with bot.db.session() as s:
        assert (await s.exec(select(Programme.name))).all() == ["Other"]
    assert await count(bot, Measure) == 0


async def test_a_name_taken_or_a_bad_file_offers_nothing(bot: Bot) -> None:
    async with bot.db.session() as s:  # another admin's programme, which this admin is not in
        await programmes.create(s, name="Audit findings", actor="test", now=bot.clock.now())
    taken = await bot.upload(ADMIN_EN, "Audit findings ledger.csv", english_csv())
    assert taken.plain == (
        "A programme named Audit findings already exists. To import this file into it, send "
        "/use Audit findings and then the file again; for a new programme, send /newprogramme "
        "NAME first."
    )
    assert taken.buttons == []
    # a name taken between the offer and the press: the press says so and creates nothing
    offer = await bot.upload(ADMIN, "台账.xlsx", TITLED())
    async with bot.db.session() as s:
        await programmes.create(s, name="XX市巡视整改", actor="test", now=bot.clock.now())
    bot.api.press(ADMIN, offer, found_button(offer))
    await bot.settle()
    assert last_answer(bot) == (
        "已存在名为“XX市巡视整改”的整改项目。如需将本文件导入该项目，请发送 /use XX市巡视整改 后"
        "重新发送文件；如需新建整改项目，请先发送 /newprogramme 名称。",
        True,
    )
    bad = "编号,方面,问题,整改措施,牵头单位,责任人,完成时限\n1,方面一,问题一,措施一,单位A,张三,不知道\n"
    refused = await bot.upload(ADMIN, "巡视整改台账.csv", bad.encode())
    assert refused.plain == (
        "巡视整改台账.csv未导入：有1处错误，请先修改。\n"
        "• 第2行“完成时限”列：日期无效或无法识别（不知道）\n"
        "可识别的完成时限写法：2024-09-30、2024/9/30、2024.9.30、2024年9月30日、2024年12月底前、"
        "2024年底前、2024年第三季度、2025年上半年、2024.10.31前、长期坚持或立行立改，或Excel日期单元格。"
    )
    assert refused.buttons == []
    other = await bot.upload(ADMIN, "说明.docx", b"PK\x03\x04 not a ledger")
    assert other.plain == "尚未选择整改项目。请用 /newprogramme 名称 新建，或用 /use 名称 选择。"
    assert (await count(bot, Programme), await count(bot, Measure)) == (2, 0)


async def test_a_workbook_of_several_ledgers_asks_the_sheet_first(bot: Bot) -> None:
    book = xlsx_of([ZH, *THREE], extra={"二级台账": [ZH, base("9")]})()
    ask = await bot.upload(ADMIN, "2024年巡视整改台账.xlsx", book)
    [_, second] = [d for _, d in ask.buttons]
    await bot.press(ADMIN, ask, second)
    offer = bot.api.last_to(ADMIN.id)
    assert offer.plain.split("\n")[0] == (
        "您尚未建立整改项目。按下方按钮，将以文件名新建整改项目“2024年巡视整改”，并导入本台账。"
    )
    await bot.press(ADMIN, offer, found_button(offer))
    async with bot.db.session() as s:
        assert (await s.exec(select(Programme.name))).all() == ["2024年巡视整改"]
        assert (await s.exec(select(Measure.code))).all() == ["9"]


async def test_a_failed_import_leaves_no_programme(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    offer = await bot.upload(ADMIN, "台账.xlsx", TITLED())

    async def broken(*_a: object, **_k: object) -> None:
        raise RuntimeError("the import fails midway")

    monkeypatch.setattr(ledger_store, "apply", broken)
    bot.api.press(ADMIN, offer, found_button(offer))
    # the press was answered before the import began: the apology comes in the chat (from the
    # error handler, which runs beside the update loop for a press handled beside it)
    sorry = "抱歉，处理这次操作时出错，请重试。"
    await bot.api.wait_until(lambda: bot.api.last_to(ADMIN.id).plain == sorry, timeout=5)
    assert (await count(bot, Programme), await count(bot, Measure)) == (0, 0)
