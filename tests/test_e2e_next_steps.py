"""End to end: what comes next after /setup, /handover in /help and the menus, a loose file's
picker in pages, and a co-owner who sees a measure but gets no dispatch for it."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, GROUP, SH, Bot
from fakebot import User
from rhythm_support import STARTED, bind, tick
from sqlmodel import select
from test_e2e_foundation import last_answer
from test_ledger_layouts import parsed_office

from core.domain.ledger import parse_ledger
from core.render import callbacks
from core.render.callbacks_people import LoosePage
from storage import ledger_store, programmes
from storage.models import Measure

HEADER = "编号,方面,问题,整改措施,责任领导,牵头单位,责任单位,责任人,完成时限,状态\n"
ZHANG = User(321, "张三", language_code="zh-hans")
SUN = User(303, "孙磊", language_code="zh-hans")
ZHAO = User(304, "赵敏", language_code="zh-hans")


async def _programme(bot: Bot, rows: object, name: str = "P") -> int:
    await bot.say(ADMIN, f"/newprogramme {name}")
    async with bot.db.session() as s:
        programme = await programmes.by_name(s, name=name)
        assert programme is not None and programme.id is not None
        programme.created_at = STARTED  # a programme running since September: beats are due
        s.add(programme)
        await ledger_store.apply(
            s, programme_id=programme.id, rows=rows, actor="test",  # type: ignore[arg-type]
            now=bot.clock.now(), today=bot.clock.now().date(),
        )  # fmt: skip
        return programme.id


async def test_setup_says_what_comes_next_and_help_lists_handover(bot: Bot) -> None:
    await bot.say(ADMIN, "/newprogramme P")
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    [reply] = await bot.answers(GROUP.id, mark)
    assert reply.plain == (
        "本群已设为“P”的领导小组群，月度汇报和 /summary 结果将在此发布。\n\n"
        "下一步：\n1. 在私聊中向我发送整改台账文件（CSV或XLSX格式）。"
    )
    rows = "1.1.1,方面一,问题一,措施一,领导甲,单位甲,,张三,2024-12-31,推进中\n"
    parsed = parse_ledger((HEADER + rows).encode(), "a.csv")
    preview = await bot.upload(ADMIN, "a.csv", (HEADER + rows).encode())
    keep = next(d for _, d in preview.buttons if d.startswith("imp:"))
    await bot.press(ADMIN, preview, keep)
    assert parsed.ok
    assert bot.api.last_to(ADMIN.id).plain == (
        "导入完成：新增1项，变更0项，未变0项。\n\n下一步：\n"
        "1. 在私聊中发送 /invites，获取尚未绑定的2人的邀请链接。\n"
        "首次每周调度将于10月8日（周二）9:00发出。"
    )
    help_text = (await bot.say(ADMIN, "/help")).plain.split("\n")
    at = help_text.index("向我发送台账文件（CSV或XLSX），即可导入或更新台账")
    assert help_text[at + 1 : at + 7] == [
        "/edit 编号 – 修改整改措施的内容、完成时限、责任人或单位，或撤销该措施；输入新编号即新增整改措施",
        "/invites [专班 数量] – 生成未绑定人员的邀请链接，或生成指定数量的整改专班成员邀请链接",
        "/invites 责任单位 单位名称 [编号] – 生成责任单位联络员邀请链接，由其反馈本单位承担部分的进展",
        "/people – 查看绑定情况、人员角色和尚未打开的邀请链接（附操作按钮）",
        "/revoke 姓名 – 解除人员绑定（历史记录予以保留），或作废其邀请链接",
        "/handover 姓名 – 人员调整时，为接任人员生成新的邀请链接",
    ]
    english = (await bot.say(User(ADMIN.id, "Admin", language_code="en"), "/help")).plain
    help_text = english.split("\n")
    at = help_text.index("Send me the ledger (CSV or XLSX) to import or update it")
    assert help_text[at + 2 : at + 4] == [
        "/invites [coordinator N] – invite links for everyone not yet bound, or N links for new"
        " coordinators",
        "/invites co-unit UNIT [CODE] – an invite link for a co-unit's liaison, who reports the"
        " unit's share of its measures",
    ]
    for language, invites in (
        ("zh", "邀请链接，含责任单位联络员（整改专班）"),
        ("en", "Invite links, co-units' liaisons too (coordinators)"),
    ):
        menu = bot.api.commands_for("all_private_chats", language)
        names = [c["command"] for c in menu]
        assert "handover" in names and names.index("handover") == names.index("revoke") + 1
        assert menu[names.index("invites")]["description"] == invites
    english_menu = [c["description"] for c in bot.api.commands_for("all_private_chats", "en")]
    assert "Hand a person's role to a successor (coordinators)" in english_menu


async def test_a_loose_file_with_many_measures_pages_its_picker(bot: Bot) -> None:
    rows = "".join(
        f"1.1.{n},方面一,问题一,措施{n},领导甲,单位甲,,张三,2024-12-31,推进中\n"
        for n in range(1, 13)
    )
    pid = await _programme(bot, parse_ledger((HEADER + rows).encode(), "a.csv").rows)
    await bind(bot, pid, "张三", ZHANG)
    which = await bot.upload(ZHANG, "照片.pdf", b"%PDF-1.4 evidence")
    assert which.plain == "这份佐证资料属于哪项整改措施？"
    assert len(which.buttons) == 11
    assert which.buttons[-1] == ("下一页（2/2）▶", LoosePage(1).pack())
    await bot.press(ZHANG, which, LoosePage(1).pack())
    labels = [label for label, _ in which.buttons]
    assert labels == ["🟢 1.1.11 措施11", "🟢 1.1.12 措施12", "◀ 上一页"]
    async with bot.db.session() as s:
        m12 = (await s.exec(select(Measure.id).where(Measure.code == "1.1.12"))).one()
    assert which.buttons[1][1] == callbacks.Answer(m12 or 0, "loose").pack()
    await bot.press(ZHANG, which, callbacks.Answer(m12 or 0, "loose").pack())
    asked = bot.api.last_to(ZHANG.id)
    assert "1.1.12" in asked.plain
    # once the file went to a measure, the picker's pages have expired
    bot.api.press(ZHANG, which, LoosePage(0).pack())
    await bot.settle()
    assert last_answer(bot) == ("此按钮已失效。", True)


async def test_a_co_owner_sees_the_measure_but_gets_no_dispatch_for_it(bot: Bot) -> None:
    pid = await _programme(bot, parsed_office().rows)
    await bind(bot, pid, "孙磊", SUN)  # owns A-10, co-owns A-02
    await bind(bot, pid, "赵敏", ZHAO)  # owns A-02
    assert "A-02" in (await bot.say(SUN, "/my")).plain
    mark = bot.api.mark()
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    to_sun = [m.plain for m in bot.api.since(mark) if m.chat_id == SUN.id]
    to_zhao = [m.plain for m in bot.api.since(mark) if m.chat_id == ZHAO.id]
    assert len(to_sun) == 1 and "A-10" in to_sun[0] and "A-02" not in to_sun[0]
    assert len(to_zhao) == 1 and "A-02" in to_zhao[0]
