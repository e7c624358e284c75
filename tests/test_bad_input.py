"""The catalogue of bad input: each case gets its exact, localized refusal and writes nothing.

One bot per database plays every case in turn (setting up a programme per case would cost
minutes); each case is checked on its own and every mismatch is reported together.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from conftest import ADMIN, GROUP, TASKFORCE, Bot, button, sample
from fakebot import Chat, User
from sqlmodel import SQLModel, select
from stranger_texts import STRANGER_TEXT_EN
from test_e2e_foundation import all_invites, invite_tokens

from storage.models import Person
from storage.models_people import Invite

OWNER = User(301, "Liaison", language_code="zh-hans")
LEADER = User(302, "Leader", language_code="en")
STRANGER = User(555, "Mallory", language_code="en")
OTHER_GROUP = Chat(-1009, "supergroup", "另一个项目的群")
# the bot's own bookkeeping, not what people write: conversation state, languages, and the
# sending budget every reply draws from (shared by processes: jobs/budget.py)
UNTRACKED = {"ptbstate", "userpref", "sendgrant"}
AWAY_TOO_LONG = (
    "外出登记最长一年，且须在一年内开始。更长时间请联系整改专班办理工作交接（/handover）。"
)
HEADER = "编号,方面,问题,整改措施,责任领导,牵头单位,责任单位,责任人,完成时限,状态\n"
GOOD = "1.1.1,方面一,问题一,措施一,领导甲,单位甲,,张三,2024-12-31,推进中\n"


def csv(*rows: str, header: str = HEADER) -> bytes:
    """A small ledger in UTF-8."""
    return (header + "".join(rows)).encode("utf-8")


@dataclass(frozen=True)
class Case:
    """One malformed input: who sends what, where, and the exact answer."""

    id: str
    who: User
    expected: str
    say: str = ""
    file: tuple[str, bytes] | None = None
    chat: Chat | None = None


CASES: list[Case] = [
    # ledger files (coordinator, private chat)
    Case(
        "ledger-impossible-date",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 第2行“完成时限”列：日期无效或无法识别（2024-02-30）\n可识别的完成时限写法：2024-09-30、2024/9/30、2024.9.30、2024年9月30日、2024年12月底前、2024年底前、2024年第三季度、2025年上半年、2024.10.31前、长期坚持或立行立改，或Excel日期单元格。",
        file=("a.csv", csv(GOOD.replace("2024-12-31", "2024-02-30"))),
    ),
    Case(
        "ledger-co-unit-too-long",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 第2行“责任单位”列：内容过长（301个字符，最多300个），请缩短",
        file=("a.csv", csv(GOOD.replace("单位甲,,", "单位甲,单位乙、" + "长" * 301 + ","))),
    ),
    Case(
        "ledger-duplicate-code",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 第3行“编号”列：编号重复（1.1.1）",
        file=("a.csv", csv(GOOD, GOOD.replace("措施一", "措施二"))),
    ),
    Case(
        "ledger-missing-measure",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 第2行“整改措施”列：缺少必填内容",
        file=("a.csv", csv(GOOD.replace("措施一", ""))),
    ),
    Case(
        "ledger-missing-owner",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 第2行“责任人”列：缺少必填内容",
        file=("a.csv", csv(GOOD.replace("张三", ""))),
    ),
    Case(
        "ledger-missing-lead-unit",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 第2行“牵头单位”列：缺少必填内容",
        file=("a.csv", csv(GOOD.replace("单位甲", ""))),
    ),
    Case(
        "ledger-unknown-status",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 第2行“状态”列：无法识别的状态（差不多）\n可识别的状态：未启动、未开始、尚未启动、推进中、进行中、正在推进、整改中、正在整改、按时序推进、未完成、持续整改、部分完成、长期坚持、长期、待销号、申请销号、已完成、已整改、已办结、已销号、完成或反弹。",
        file=("a.csv", csv(GOOD.replace("推进中", "差不多"))),
    ),
    Case(
        "ledger-unreadable-deadline",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 第2行“完成时限”列：日期无效或无法识别（明年）\n可识别的完成时限写法：2024-09-30、2024/9/30、2024.9.30、2024年9月30日、2024年12月底前、2024年底前、2024年第三季度、2025年上半年、2024.10.31前、长期坚持或立行立改，或Excel日期单元格。",
        file=("a.csv", csv(GOOD.replace("2024-12-31", "明年"))),
    ),
    Case(
        "ledger-missing-column",
        ADMIN,
        "a.csv未导入：有5处错误，请先修改。\n• 第1行“问题”列：缺少列（表头可用以下任一名称：问题、存在问题、反馈问题、问题清单或problem）\n• 第1行“整改措施”列：缺少列（表头可用以下任一名称：整改措施、措施、整改举措或measure）\n• 第1行“牵头单位”列：缺少列（表头可用以下任一名称：牵头单位、牵头部门或lead unit）\n• 第1行“责任人”列：缺少列（表头可用以下任一名称：责任人、联络员、具体责任人、联系人或owner）\n• 第1行“完成时限”列：缺少列（表头可用以下任一名称：完成时限、整改时限、时限、完成时间、deadline或due date）",
        file=("a.csv", "编号,方面\n1.1,x\n".encode()),
    ),
    Case(
        "ledger-duplicate-column",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 第1行“编号”列：列重复（编号）",
        file=("a.csv", csv(GOOD, header=HEADER.replace("状态", "编号"))),
    ),
    Case(
        "ledger-header-only",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 文件中没有整改措施",
        file=("a.csv", csv()),
    ),
    Case(
        "ledger-empty-file",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 文件中没有整改措施",
        file=("a.csv", b""),
    ),
    Case(
        "ledger-text-file",
        ADMIN,
        "如需导入整改台账，请发送Excel或CSV文件。",
        file=("ledger.txt", csv(GOOD)),
    ),
    Case(
        "ledger-pdf",
        ADMIN,
        "如需导入整改台账，请发送Excel或CSV文件。",
        file=("ledger.pdf", b"%PDF-1.4 not a ledger"),
    ),
    Case(
        "ledger-xlsx-garbage",
        ADMIN,
        "ledger.xlsx未导入：有1处错误，请先修改。\n• 无法读取文件（请确认是有效的CSV或XLSX文件）",
        file=("ledger.xlsx", b"PK\x03\x04 not really a zip"),
    ),
    Case(
        "ledger-gb18030-bad-rows",
        ADMIN,
        "gb.csv未导入：有2处错误，请先修改。\n• 第2行“状态”列：无法识别的状态（不知道）\n• 第3行“编号”列：编号重复（1.1.1）\n可识别的状态：未启动、未开始、尚未启动、推进中、进行中、正在推进、整改中、正在整改、按时序推进、未完成、持续整改、部分完成、长期坚持、长期、待销号、申请销号、已完成、已整改、已办结、已销号、完成或反弹。",
        file=("gb.csv", (HEADER + GOOD.replace("推进中", "不知道") + GOOD).encode("gb18030")),
    ),
    Case(
        "ledger-by-an-owner",
        OWNER,
        "报送进展，请点击每周调度消息中的整改措施按钮，或直接回复调度消息，也可发送 /my 查看本人负责的整改措施。其他功能请发送 /help 查看。",
        file=("a.csv", csv(GOOD)),
    ),
    Case(
        "ledger-by-a-stranger",
        STRANGER,
        STRANGER_TEXT_EN,
        file=("a.csv", csv(GOOD)),
    ),
    # programmes and groups
    Case(
        "newprogramme-no-name",
        ADMIN,
        "用法：/newprogramme 名称（不超过100个字）",
        say="/newprogramme",
    ),
    Case(
        "newprogramme-name-too-long",
        ADMIN,
        "用法：/newprogramme 名称（不超过100个字）",
        say="/newprogramme " + "名" * 101,
    ),
    Case("newprogramme-exists", ADMIN, "已存在名为“P”的整改项目。", say="/newprogramme P"),
    Case(
        "newprogramme-not-admin",
        OWNER,
        "抱歉，只有管理员可以新建整改项目。",
        say="/newprogramme 新项目",
    ),
    Case(
        "newprogramme-in-group",
        ADMIN,
        "请在与我的私聊中使用此命令。",
        say="/newprogramme G",
        chat=GROUP,
    ),
    Case(
        "use-unknown",
        ADMIN,
        "未找到您参与的该整改项目。您参与的项目：Q和P",
        say="/use 没有这个项目",
    ),
    Case("use-not-mine", OWNER, "未找到您参与的该整改项目。您参与的项目：P", say="/use Q"),
    Case("setup-in-private", ADMIN, "请在整改项目群中使用此命令。", say="/setup P"),
    Case("setup-no-name", ADMIN, "用法：/setup 名称 [专班]", say="/setup", chat=TASKFORCE),
    Case(
        "setup-unknown",
        ADMIN,
        "抱歉，我无法为您办理此事。",
        say="/setup 没有这个项目",
        chat=TASKFORCE,
    ),
    Case(
        "setup-not-coordinator",
        OWNER,
        "抱歉，我无法为您办理此事。",
        say="/setup P taskforce",
        chat=TASKFORCE,
    ),
    Case(
        "setup-group-of-another",
        ADMIN,
        "本群已关联其他整改项目，每个整改项目请使用单独的群。",
        say="/setup P",
        chat=OTHER_GROUP,
    ),
    # invites and people
    Case(
        "start-unknown-token",
        STRANGER,
        "This invite link is not valid. Ask your task force for a new one.",
        say="/start notatoken",
    ),
    Case(
        "start-used-token",
        STRANGER,
        "This invite link has already been used. Ask your task force for a new one.",
        say="/start {used}",
    ),
    Case(
        "start-revoked-token",
        STRANGER,
        "This invite link was revoked. Ask your task force for a new one.",
        say="/start {revoked}",
    ),
    Case(
        "start-expired-token",
        STRANGER,
        "This invite link has expired. Ask your task force for a new one.",
        say="/start {expired}",
    ),
    Case(
        "start-second-person",
        OWNER,
        "您的Telegram账号已在整改项目“P”中绑定为党群工作部联络员，同一账号在一个项目中只能对应一人。请联系整改专班处理。",
        say="/start {second}",
    ),
    Case("revoke-no-name", ADMIN, "用法：/revoke 姓名（与台账中的名称一致）。", say="/revoke"),
    Case(
        "revoke-unknown",
        ADMIN,
        "用法：/revoke 姓名（与台账中的名称一致）。",
        say="/revoke 没有这个人",
    ),
    Case("invites-by-owner", OWNER, "抱歉，此功能仅限整改专班成员使用。", say="/invites"),
    Case("people-by-leader", LEADER, "Sorry, this is for coordinators only.", say="/people"),
    Case("my-by-leader", LEADER, "Sorry, this is for owners only.", say="/my"),
    # the rhythm
    Case("dispatch-in-group", ADMIN, "请在与我的私聊中使用此命令。", say="/dispatch", chat=GROUP),
    Case("dispatch-by-owner", OWNER, "抱歉，此功能仅限整改专班成员使用。", say="/dispatch"),
    Case("summary-by-stranger", STRANGER, STRANGER_TEXT_EN, say="/summary"),
    Case(
        "summary-no-such-area",
        LEADER,
        "There is no “area 99”. The areas are: 1 落实党的路线方针政策和党中央重大决策部署方面, 2 落实全面从严治党主体责任和监督责任方面, 3 落实新时代党的组织路线方面, and 4 落实审计反馈问题整改方面.",
        say="/summary area 99",
    ),
    Case(
        "summary-no-such-unit",
        LEADER,
        "I do not know “unit 不存在的单位”. Try /summary, /summary overdue, /summary area 2 (or the area's name) or /summary unit NAME.",
        say="/summary unit 不存在的单位",
    ),
    Case(
        "schedule-bad-day",
        ADMIN,
        "无法识别该修改。示例：/schedule 调度 周一 9:00 · /schedule 日历 周一至周五",
        say="/schedule dispatch someday 09:00",
    ),
    Case(
        "schedule-bad-time",
        ADMIN,
        "无法识别该修改。示例：/schedule 调度 周一 9:00 · /schedule 日历 周一至周五",
        say="/schedule dispatch mon 25:00",
    ),
    Case(
        "schedule-bad-zone",
        ADMIN,
        "无法识别该修改。示例：/schedule 调度 周一 9:00 · /schedule 日历 周一至周五",
        say="/schedule timezone Mars/Olympus",
    ),
    Case(
        "schedule-bad-calendar",
        ADMIN,
        "无法识别该修改。示例：/schedule 调度 周一 9:00 · /schedule 日历 周一至周五",
        say="/schedule calendar lunar",
    ),
    Case(
        "schedule-by-owner",
        OWNER,
        "抱歉，此功能仅限整改专班成员和责任领导使用。",
        say="/schedule review wed 16:00",
    ),
    Case(
        "away-bad-date",
        OWNER,
        "用法：/away 开始日期 结束日期 [代理人姓名]，如“/away 10月1日 10月7日”或“/away 10.1-10.7”。结束日期不能早于今天。",
        say="/away 2024-13-01 2024-10-07",
    ),
    Case(
        "away-end-before-start",
        OWNER,
        "用法：/away 开始日期 结束日期 [代理人姓名]，如“/away 10月1日 10月7日”或“/away 10.1-10.7”。结束日期不能早于今天。",
        say="/away 2024-10-07 2024-10-01",
    ),
    Case(
        "away-unknown-delegate",
        OWNER,
        "没有这个人不能代为反馈：代理人须为本整改项目中已启用本机器人的其他人员。",
        say="/away 2024-10-01 2024-10-07 没有这个人",
    ),
    Case("back-not-away", OWNER, "您当前没有外出登记。", say="/back"),
    # sizes and ranges no handler should crash on (a refusal quotes at most 100 characters)
    Case(
        "schedule-zone-5000",
        ADMIN,
        "无法识别该修改。示例：/schedule 调度 周一 9:00 · /schedule 日历 周一至周五",
        say="/schedule timezone " + "A" * 5000,
    ),
    Case(
        "export-report-year-0",
        ADMIN,
        "请指定2000年以来已结束的月份，例如 /export 汇报 9月。",
        say="/export report 0000-01",
    ),
    Case(
        "summary-unit-5000",
        LEADER,
        f"I do not know “unit {'长' * 93}…”. Try /summary, /summary overdue, /summary area 2 (or the area's name) or /summary unit NAME.",
        say="/summary unit " + "长" * 5000,
    ),
    Case(
        "summary-area-5000",
        LEADER,
        f"I do not know “area {'x ' * 46}x…”. Try /summary, /summary overdue, /summary area 2 (or the area's name) or /summary unit NAME.",
        say="/summary area " + "x " * 2500,
    ),
    Case(
        "history-5000",
        LEADER,
        f"No measure {'1' * 99}… among the measures you can see.",
        say="/history " + "1" * 5000,
    ),
    Case("away-75-years", OWNER, AWAY_TOO_LONG, say="/away 2024-10-01 2099-10-01"),
    Case("away-next-decade", OWNER, AWAY_TOO_LONG, say="/away 2034-10-01 2034-10-02"),
    Case(
        "ledger-deadline-year-1",
        ADMIN,
        "a.csv未导入：有1处错误，请先修改。\n• 第2行“完成时限”列：日期无效或无法识别（0001-01-01）\n可识别的完成时限写法：2024-09-30、2024/9/30、2024.9.30、2024年9月30日、2024年12月底前、2024年底前、2024年第三季度、2025年上半年、2024.10.31前、长期坚持或立行立改，或Excel日期单元格。",
        file=("a.csv", csv(GOOD.replace("2024-12-31", "0001-01-01"))),
    ),
]


async def snapshot(bot: Bot) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table people write, in a stable order."""
    out = {}
    async with bot.db.engine.connect() as conn:
        for table in SQLModel.metadata.sorted_tables:
            if table.name in UNTRACKED:
                continue
            rows = (await conn.execute(table.select())).all()
            out[table.name] = sorted(tuple(map(str, r)) for r in rows)
    return out


async def _setup(bot: Bot) -> dict[str, str]:
    """Programme P with the sample ledger, groups, one bound owner and leader; the tokens."""
    await bot.say(ADMIN, "/newprogramme Q")
    mark = bot.api.mark()
    bot.api.send_group(OTHER_GROUP, ADMIN, "/setup Q")
    await bot.answers(OTHER_GROUP.id, mark)
    await bot.say(ADMIN, "/newprogramme P")
    preview = await bot.upload(ADMIN, "ledger.zh.csv", sample("ledger.zh.csv"))
    await bot.press(ADMIN, preview, button(preview, "imp:keep"))
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    await bot.answers(GROUP.id, mark)
    links = invite_tokens(await all_invites(bot))
    await bot.say(OWNER, f"/start {links['党群工作部联络员']}")
    await bot.say(LEADER, f"/start {links['党工委书记']}")
    await bot.say(ADMIN, "/revoke 审计局联络员")
    async with bot.db.session() as s:
        person = (await s.exec(select(Person).where(Person.name == "建设局联络员"))).one()
        invite = (await s.exec(select(Invite).where(Invite.person_id == person.id))).one()
        invite.expires_at = bot.clock.now() - timedelta(days=1)
        s.add(invite)
    return {
        "used": links["党群工作部联络员"],
        "revoked": links["审计局联络员"],
        "expired": links["建设局联络员"],
        "second": links["经济运行局联络员"],
    }


async def _play(bot: Bot, case: Case, tokens: dict[str, str]) -> str:
    """Send the case's input and return the bot's one answer."""
    chat_id = case.chat.id if case.chat else case.who.id
    mark = bot.api.mark()
    if case.file is not None:
        bot.api.upload_document(case.who, *case.file)
    elif case.chat is not None:
        bot.api.send_group(case.chat, case.who, case.say.format(**tokens))
    else:
        bot.api.send_private(case.who, case.say.format(**tokens))
    answers = await bot.answers(chat_id, mark)
    return "\n---\n".join(a.plain for a in answers)


async def test_every_bad_input_is_refused_exactly_and_writes_nothing(bot: Bot) -> None:
    tokens = await _setup(bot)
    failures = []
    record = os.environ.get("RECORD_BAD_INPUT")
    for case in CASES:
        before = await snapshot(bot)
        got = await _play(bot, case, tokens)
        after = await snapshot(bot)
        changed = [t for t in before if before[t] != after[t]]
        if record:
            print(f"@@ {case.id}\n{got}\n")
        if got != case.expected:
            failures.append(f"{case.id}: answered {got!r}")
        if changed:
            failures.append(f"{case.id}: wrote to {changed}")
    assert len(CASES) >= 40
    if not record:
        assert not failures, "\n".join(failures)
