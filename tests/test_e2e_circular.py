"""End to end: /circular drafts a month's work circular; the task force picks units to commend or
name, previews, and issues it to the leadership group, numbered per programme and year."""

from __future__ import annotations

import io
import json
from datetime import datetime

import docx
from conftest import ADMIN, GROUP, SH, Bot, button
from fakebot import SentMessage, User
from rhythm_support import LEADER, OWNER_A, OWNER_B, measure_id, seed, tick
from signoff_support import COORD_B, add_coordinator
from sqlmodel import col, select
from test_e2e_digests import group_say

from storage.models import AuditEvent

UNRANKED_ZH = "、".join(
    [
        "党群工作部",
        "经济运行局",
        "党工委办公室",
        "科技创新局",
        "金融服务局",
        "招商投资局",
        "社会事业局",
        "政法委",
        "应急管理局",
        "纪工委",
        "巡察办",
        "国资局",
        "财政局",
    ]
)


def _doc(data: bytes | None) -> tuple[list[str], list[list[str]]]:
    """The paragraphs and the table rows of a DOCX."""
    assert data is not None
    d = docx.Document(io.BytesIO(data))
    return [p.text for p in d.paragraphs], [
        [c.text for c in r.cells] for t in d.tables for r in t.rows
    ]


def _circulars(bot: Bot, mark: int) -> list[SentMessage]:
    names = ("工作通报", "Work circular")
    return [
        m
        for m in bot.api.since(mark)
        if m.chat_id == GROUP.id
        and m.method == "sendDocument"
        and (m.filename or "").startswith(names)
    ]


async def _issued(bot: Bot) -> list[dict[str, object]]:
    async with bot.db.session() as s:
        rows = await s.exec(
            select(AuditEvent)
            .where(AuditEvent.action == "circular.issue")
            .order_by(col(AuditEvent.id))
        )
        return [json.loads(e.after) for e in rows.all()]


async def _november(bot: Bot) -> int:
    """Seeded with the leadership group; in November 城市管理局 answers for 1.3.2 only (50%),
    建设局 not at all (0%); 1.3.2 has been overdue since 31 October."""
    pid = await seed(bot)
    await group_say(bot, ADMIN, "/setup P")
    await tick(bot, pid, datetime(2024, 11, 4, 10, 0, tzinfo=SH))
    m132 = await measure_id(bot, "1.3.2")
    await bot.press(OWNER_A, bot.api.last_to(OWNER_A.id), f"md:{m132}")
    await bot.press(OWNER_A, bot.api.last_to(OWNER_A.id), f"ans:{m132}:ok")
    await bot.say(OWNER_A, "水厂主体完工")
    await bot.say(OWNER_A, "80")
    last = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, last, button(last, "f:"))
    last = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, last, button(last, "c:", ":save"))
    bot.clock.set(datetime(2024, 12, 3, 9, 0, tzinfo=SH))
    return pid


async def _pick(bot: Bot, user: User, msg: SentMessage, label: str, said: str) -> SentMessage:
    """Press a unit's button, write its sentence; the bot's answer (the picker again)."""
    bot.api.click(user, msg, label)
    await bot.settle()
    return await bot.say(user, said)


async def test_circular_drafted_picked_previewed_and_issued_in_chinese(bot: Bot) -> None:
    await _november(bot)
    # who may not: an owner and a leader; a month not yet over
    refused = "抱歉，此功能仅限整改专班成员使用。"
    assert (await bot.say(OWNER_A, "/circular")).plain == refused
    assert (await bot.say(LEADER, "/circular")).plain == refused
    assert (await bot.say(ADMIN, "/circular 2024年12月")).plain == (
        "请指定2000年以来已结束的月份，例如 /circular 2024年9月。"
    )
    assert (await bot.say(ADMIN, "/circular 十三月")).plain.startswith("请指定2000年以来")
    draft = await bot.say(ADMIN, "/circular")  # the last complete month: November
    assert draft.plain == (
        "2024年11月工作通报（草稿）\n"
        "各牵头单位按按期完成率、反馈率排名：\n"
        "1. 城市管理局：按期完成率0%，反馈率50%\n"
        "2. 建设局：按期完成率—，反馈率0%\n"
        f"未参与排名（本月无指标数据）：{UNRANKED_ZH}和审计局\n"
        "逾期事项1项。\n\n"
        "请通过下方按钮选择拟表扬或点名的单位，并为每家单位写一句评语；选好后点击“预览”。"
        "发送 /cancel 放弃本次通报。"
    )
    labels = [label for label, _ in draft.buttons]
    assert labels[:4] == ["表扬城市管理局", "点名城市管理局", "表扬建设局", "点名建设局"]
    assert labels[-1] == "预览" and len(labels) == 2 * 16 + 1
    bot.api.click(ADMIN, draft, "表扬城市管理局")
    await bot.settle()
    assert bot.api.last_to(ADMIN.id).plain == "请写一句对城市管理局的表扬评语（不超过200字）。"
    assert (await bot.say(ADMIN, "好" * 201)).plain == "内容过长，请控制在200字以内。"
    picked = await bot.say(ADMIN, "按时反馈调度，水厂建设进度明显加快。")
    assert picked.plain == "已记录：表扬城市管理局。可继续选择其他单位，或点击“预览”。"
    assert picked.buttons[0][0] == "✓ 表扬城市管理局"
    # the first picker is out of date now: its buttons say so
    query = bot.api.press(ADMIN, draft, button(draft, "cirs:", ":preview"))
    await bot.settle()
    assert (bot.api.answer_to(query) or {}).get("text") == "草稿已更新，请使用最新一条消息。"
    picked = await _pick(bot, ADMIN, picked, "点名建设局", "连续未反馈每周调度。")
    assert picked.plain == "已记录：点名建设局。可继续选择其他单位，或点击“预览”。"
    bot.api.click(ADMIN, picked, "预览")
    await bot.settle()
    preview = bot.api.last_to(ADMIN.id)
    assert preview.plain == (
        "2024年11月工作通报（预览）\n\n"
        "表扬：\n城市管理局：按时反馈调度，水厂建设进度明显加快。\n\n"
        "通报批评：\n建设局：连续未反馈每周调度。\n\n"
        "参与排名的牵头单位2家。\n逾期事项1项。\n"
        "确认无误后请点击“签发”，通报将编号并发送领导小组群；如需调整，请点击“修改”。"
    )
    assert [label for label, _ in preview.buttons] == ["签发", "修改"]
    assert await _issued(bot) == []  # nothing is issued before the confirm
    # someone else's press of the confirm (forged into their chat) issues nothing
    query = bot.api.press(LEADER, preview, button(preview, "cirs:", ":issue"))
    await bot.settle()
    assert (bot.api.answer_to(query) or {}).get("text") == "此按钮已失效。"
    mark = bot.api.mark()
    bot.api.click(ADMIN, preview, "签发")
    await bot.settle()
    assert bot.api.last_to(ADMIN.id).plain == "工作通报〔2024〕1号已签发，正在发送领导小组群。"
    assert preview.buttons == []  # the confirm cannot be pressed twice
    [issued] = _circulars(bot, mark)
    assert issued.filename == "工作通报〔2024〕1号.docx"
    assert issued.plain == "工作通报〔2024〕1号（2024年11月）已由整改专班签发，请审阅。"
    paragraphs, rows = _doc(issued.document)
    assert paragraphs[:5] == [
        "P整改工作通报",
        "〔2024〕1号",
        "现将2024年11月各牵头单位整改工作情况通报如下。",
        "一、总体进展",
        "截至11月底，42项整改措施已完成35项，其余7项中，6项正在按时序推进，1项已逾期。",
    ]
    assert paragraphs[5:] == [
        "二、各牵头单位排名",
        "各牵头单位按按期完成率排序，按期完成率相同的按反馈率排序；两项指标相同的并列，"
        "本月两项指标均无数据的单位列于表末，不参与排名。",
        "三、通报表扬",
        "1. 城市管理局：按时反馈调度，水厂建设进度明显加快。",
        "四、通报批评",
        "1. 建设局：连续未反馈每周调度。",
        "五、逾期事项",
        "1. 建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题（1.3.2，牵头单位：城市管理局，已逾期30天）",
        "请各牵头单位对照本通报，查找差距，加快推进，确保整改任务按期完成。",
        "P整改专班",
        "2024年12月3日",
    ]
    assert rows[:3] == [
        ["排名", "牵头单位", "按期完成率", "反馈率", "逾期事项"],
        ["1", "城市管理局", "0%", "50%", "1"],
        ["2", "建设局", "—", "0%", "0"],
    ]
    assert len(rows) == 17 and all(r[0] == "—" and r[2:] == ["—", "—", "0"] for r in rows[3:])
    # a stale confirm: the same button again issues nothing and says the button has expired
    query = bot.api.press(ADMIN, preview, "cirs:3:issue")
    await bot.settle()
    assert (bot.api.answer_to(query) or {}).get("text") == "此按钮已失效。"
    # the next circular (October's, asked by name) gets the next number; no picks is allowed
    mark = bot.api.mark()
    second = await bot.say(ADMIN, "/circular 2024年10月")
    assert second.plain.startswith("2024年10月工作通报（草稿）\n")
    bot.api.click(ADMIN, second, "预览")
    await bot.settle()
    assert "本期通报未表扬或点名单位。" in bot.api.last_to(ADMIN.id).plain
    bot.api.click(ADMIN, bot.api.last_to(ADMIN.id), "签发")
    await bot.settle()
    [again] = _circulars(bot, mark)
    assert again.filename == "工作通报〔2024〕2号.docx"
    assert _doc(again.document)[0][1] == "〔2024〕2号"
    events = await _issued(bot)
    assert [(e["number"], e["period"]) for e in events] == [(1, "2024-11"), (2, "2024-10")]
    assert events[0]["mentions"] == [
        ["commend", "城市管理局", "按时反馈调度，水厂建设进度明显加快。"],
        ["name", "建设局", "连续未反馈每周调度。"],
    ]


async def test_circular_in_english_with_cancel(bot: Bot) -> None:
    pid = await seed(bot, locale="en")
    await add_coordinator(bot, pid, "专班成员乙", COORD_B)
    bot.clock.set(datetime(2024, 12, 3, 9, 0, tzinfo=SH))
    assert (await bot.say(COORD_B, "/circular")).plain == (
        "There is no group to send it to yet: use /setup in the leadership group first."
    )
    await group_say(bot, ADMIN, "/setup P")
    assert (await bot.say(OWNER_B, "/circular")).plain == "Sorry, this is for coordinators only."
    assert (await bot.say(COORD_B, "/circular May 2031")).plain == (
        "Give a month that has ended, from 2000 on, for example /circular 2024-09."
    )
    draft = await bot.say(COORD_B, "/circular 2024-11")
    lines = draft.plain.splitlines()
    assert lines[:3] == [
        "Draft work circular for November 2024",
        "Lead units ranked by on-time rate, then answer rate:",
        "1. 城市管理局: on-time rate 0%, answer rate —",
    ]
    assert lines[4] == "Overdue: 1 item."
    # /cancel leaves it; its buttons then lead nowhere
    assert (await bot.say(COORD_B, "/cancel")).plain == "Cancelled. Nothing was saved."
    query = bot.api.press(COORD_B, draft, button(draft, "cirs:", ":preview"))
    await bot.settle()
    assert (bot.api.answer_to(query) or {}).get("text") == "This button has expired."
    draft = await bot.say(COORD_B, "/circular")
    assert draft.plain == "\n".join([*lines[:4], lines[4], *draft.plain.splitlines()[5:]])
    # a forged unit number (no such button was shown) is refused in the user's language
    query = bot.api.press(COORD_B, draft, button(draft, "cirp:", ":commend:0").replace(":0", ":99"))
    await bot.settle()
    assert (bot.api.answer_to(query) or {}).get("text") == "This button has expired."
    bot.api.click(COORD_B, draft, "Name 城市管理局")
    await bot.settle()
    assert bot.api.last_to(COORD_B.id).plain == (
        "Write one sentence on why 城市管理局 is named (at most 200 characters)."
    )
    picked = await bot.say(COORD_B, "The water plant is a month late.")
    assert picked.plain == "Noted: 城市管理局 is named. Choose another unit, or press Preview."
    bot.api.click(COORD_B, picked, "Preview")
    await bot.settle()
    preview = bot.api.last_to(COORD_B.id)
    assert preview.plain == (
        "Preview of the work circular for November 2024\n\n"
        "Named for criticism:\n城市管理局: The water plant is a month late.\n\n"
        "Ranking: 1 lead unit.\nOverdue: 1 item.\n"
        "Press Issue to number the circular and send it to the leadership group, or Edit to change it."
    )
    mark = bot.api.mark()
    bot.api.click(COORD_B, preview, "Issue")
    await bot.settle()
    assert bot.api.last_to(COORD_B.id).plain == (
        "Work circular No. 1 (2024) is issued and goes to the leadership group."
    )
    [issued] = _circulars(bot, mark)
    assert issued.filename == "Work circular No. 1 (2024).docx"
    assert issued.plain == "Work circular No. 1 (2024) on November 2024, issued by the task force."
    paragraphs, rows = _doc(issued.document)
    assert paragraphs[:3] == [
        "P: work circular",
        "No. 1 (2024)",
        "The work of the lead units in November 2024 is reported as follows.",
    ]
    assert (
        "3. Criticism" in paragraphs
        and "1. 城市管理局: The water plant is a month late." in paragraphs
    )
    assert "Commendations" not in "".join(paragraphs)
    assert rows[:2] == [
        ["Rank", "Lead unit", "On-time rate", "Answer rate", "Overdue items"],
        ["1", "城市管理局", "0%", "—", "1"],
    ]
    overdue = paragraphs[paragraphs.index("4. Overdue items") + 1]
    assert overdue.startswith("1. 建成虎峰山乡镇水厂并投用") and overdue.endswith(
        "(1.3.2; lead unit 城市管理局; 30 days overdue)"
    )
