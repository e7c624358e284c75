"""End to end through PTB: programme set-up, ledger import in chat, invites, /my, strangers."""

from __future__ import annotations

import re

from conftest import ADMIN, GROUP, Bot, sample
from fakebot import User
from sqlmodel import col, func, select
from stranger_texts import STRANGER_TEXT_EN

from storage.models import AuditEvent, Measure

STRANGER = User(555, "Mallory", language_code="en")
OWNER = User(301, "Liaison", language_code="zh-hans")


def invite_tokens(text: str) -> dict[str, str]:
    """Name → token from /invites' messages (one per unit)."""
    return dict(
        re.findall(
            r"^(.+?) ?[（(][^\n]*?[)）][:：] ?https://t\.me/cadence_test_bot\?start=(\S+)$",
            text,
            re.M,
        )
    )


async def all_invites(bot: Bot, user: User = ADMIN) -> str:
    """Every message /invites sent (the intro, one per unit), as one text."""
    mark = bot.api.mark()
    bot.api.send_private(user, "/invites")
    return "\n".join(m.plain for m in await bot.answers(user.id, mark))


async def count_measures(bot: Bot) -> int:
    async with bot.db.session() as s:
        return int((await s.exec(select(func.count()).select_from(Measure))).one())


async def live_measures(bot: Bot) -> int:
    """Measures not removed by a re-import."""
    async with bot.db.session() as s:
        query = select(func.count()).select_from(Measure).where(col(Measure.removed_at).is_(None))
        return int((await s.exec(query)).one())


def last_answer(bot: Bot) -> tuple[str, bool]:
    """Text and show_alert of the latest answerCallbackQuery."""
    answer = bot.api.calls("answerCallbackQuery")[-1]
    return answer.get("text", ""), answer.get("show_alert") is True


async def setup_programme(bot: Bot, name: str = "巡视整改") -> None:
    """Admin creates the programme and imports the sample ledger through the chat."""
    reply = await bot.say(ADMIN, f"/newprogramme {name}")
    assert name in reply.plain
    preview = await bot.upload(ADMIN, "ledger.zh.xlsx", sample("ledger.zh.xlsx"))
    assert "42" in preview.plain
    data = [d for _, d in preview.buttons if d and d.startswith("imp:keep")]
    await bot.press(ADMIN, preview, data[0])
    assert "42" in bot.api.last_to(ADMIN.id).plain


async def test_stranger_is_told_how_to_get_in_without_detail(bot: Bot) -> None:
    await setup_programme(bot)
    for command in ("/start", "/my", "/summary", "/invites", "/help"):
        reply = await bot.say(STRANGER, command)
        assert reply.plain == STRANGER_TEXT_EN, command  # no programme's name or content


async def test_bad_file_lists_every_problem_and_writes_nothing(bot: Bot) -> None:
    await bot.say(ADMIN, "/newprogramme P1")
    bad = (
        "编号,方面,问题,整改措施,牵头单位,责任人,完成时限,状态\n"
        "1.1.1,方面一,问题一,措施一,单位A,张三,2024-02-30,推进中\n"
        "1.1.1,方面一,问题一,措施二,单位A,张三,2024-06-30,推进中\n"
        "1.1.3,方面一,问题一,,单位A,张三,2024-06-30,不知道\n"
    ).encode("gb18030")
    reply = await bot.upload(ADMIN, "bad.csv", bad)
    assert reply.plain == (
        "bad.csv未导入：有4处错误，请先修改。\n"
        "• 第2行“完成时限”列：日期无效或无法识别（2024-02-30）\n"
        "• 第3行“编号”列：编号重复（1.1.1）\n"
        "• 第4行“整改措施”列：缺少必填内容\n"
        "• 第4行“状态”列：无法识别的状态（不知道）\n"
        "可识别的状态：未启动、未开始、尚未启动、推进中、进行中、正在推进、整改中、正在整改、"
        "按时序推进、未完成、持续整改、部分完成、长期坚持、长期、待销号、申请销号、已完成、已整改、"
        "已办结、已销号、完成或反弹。\n"
        "可识别的完成时限写法：2024-09-30、2024/9/30、2024.9.30、2024年9月30日、2024年12月底前、"
        "2024年底前、2024年第三季度、2025年上半年、2024.10.31前、长期坚持或立行立改，或Excel日期单元格。"
    )
    assert reply.buttons == []
    assert await count_measures(bot) == 0


async def test_import_setup_invites_binding_and_my(bot: Bot) -> None:
    await setup_programme(bot)
    assert await count_measures(bot) == 42
    # the same file again changes nothing
    again = await bot.upload(ADMIN, "ledger.zh.xlsx", sample("ledger.zh.xlsx"))
    assert not again.buttons
    async with bot.db.session() as s:
        imports = (
            await s.exec(
                select(func.count())
                .select_from(AuditEvent)
                .where(AuditEvent.action == "measure.import")
            )
        ).one()
    assert imports == 42

    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup 巡视整改")
    await bot.answers(GROUP.id, mark)

    links = invite_tokens(await all_invites(bot))
    assert "党群工作部联络员" in links
    token = links["党群工作部联络员"]
    welcome = await bot.say(OWNER, f"/start {token}")
    assert "党群工作部联络员" in welcome.plain
    # single use: someone else cannot take it
    reused = await bot.say(STRANGER, f"/start {token}")
    assert "党群工作部联络员" not in reused.plain

    my = await bot.say(OWNER, "/my")
    assert "1.1.1" in my.plain
    people = await bot.say(ADMIN, "/people")
    assert "党群工作部联络员" in people.plain


async def test_language_choice_in_each_language(bot: Bot) -> None:
    await setup_programme(bot)
    token = invite_tokens(await all_invites(bot))["建设局联络员"]
    english = User(302, "Builder", language_code="en")
    welcome = await bot.say(english, f"/start {token}")
    assert "Welcome" in welcome.plain  # Telegram's language_code picks English
    my = await bot.say(english, "/my")
    assert "Your measures" in my.plain and "due" in my.plain
    menu = await bot.say(english, "/lang")
    await bot.press(english, menu, "lang:zh_CN")
    assert "中文" in bot.api.last_to(english.id).plain
    my = await bot.say(english, "/my")
    assert my.plain.split("\n")[0] == "您负责的整改措施（3项）："
    assert my.plain.split("\n")[-1] == "请点击整改措施反馈进展。"
    help_zh = await bot.say(ADMIN, "/help")
    assert "/newprogramme" in help_zh.plain and "整改" in help_zh.plain
    assert bot.api.commands_for("all_private_chats", "en") and bot.api.commands_for(
        "all_private_chats", "zh"
    )


async def test_revoked_invite_and_reimport_with_missing_measures(bot: Bot) -> None:
    await setup_programme(bot)
    token = invite_tokens(await all_invites(bot))["审计局联络员"]
    revoked = await bot.say(ADMIN, "/revoke 审计局联络员")
    assert revoked.plain == "已作废审计局联络员的1个邀请链接。"
    refused = await bot.say(OWNER, f"/start {token}")
    assert refused.plain == "该邀请链接已被撤销，请联系整改专班重新获取。"

    # the ledger without its last two measures: the preview names them and asks
    lines = sample("ledger.zh.csv").decode("utf-8-sig").splitlines()
    shorter = "\n".join(lines[:-2]).encode("utf-8")
    preview = await bot.upload(ADMIN, "shorter.csv", shorter)
    assert preview.plain == (
        "巡视整改台账：共4个方面、40项整改措施。\n新增0项、变更0项、未变40项。\n"
        "读取的列（字段：文件中的列名，两者不同时列出）：编号；方面；问题；整改措施；责任领导；牵头单位；"
        "责任单位；责任人；完成时限；状态。\n"
        "以下措施在台账中但不在本文件中：4.2.1和4.3.1。保留，还是从台账中删除？"
    )
    keep = next(d for _, d in preview.buttons if d and d.startswith("imp:keep"))
    drop = next(d for _, d in preview.buttons if d and d.startswith("imp:drop"))
    bot.api.press(STRANGER, preview, drop)  # forged: someone else presses it
    await bot.settle()
    assert last_answer(bot) == ("Sorry, I can't help you with that.", True)
    assert await live_measures(bot) == 42
    await bot.press(ADMIN, preview, keep)
    assert bot.api.last_to(ADMIN.id).plain == (
        "导入完成：新增0项，变更0项，未变40项。文件中没有的2项整改措施已保留。\n\n"
        "下一步：\n"
        "1. 将我加入领导小组群，并在群内发送 /setup 巡视整改。\n"
        "2. 在私聊中发送 /invites，获取尚未绑定的24人的邀请链接。\n"
        "首次每周调度将于10月8日（周二）9:00发出。"
    )
    assert await live_measures(bot) == 42
    # the preview is used up: pressing its other button later removes nothing
    bot.api.press(ADMIN, preview, drop)
    await bot.settle()
    assert last_answer(bot) == ("预览已失效，请重新发送文件。", True)
    assert await live_measures(bot) == 42
    mine = await bot.say(ADMIN, "/my")  # the coordinator owns no measure
    assert mine.plain == "您在本整改项目中没有负责的整改措施。"
