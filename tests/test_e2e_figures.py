"""End to end: figures and words the documents show (issue 22): 立行立改 rows, look-back words."""

from __future__ import annotations

import io
from datetime import datetime

import docx
import openpyxl
from conftest import ADMIN, GROUP, SH, Bot, button, sample
from fakebot import SentMessage
from rhythm_support import LEADER, OWNER_A, seed, tick
from signoff_support import ask_signoff
from sqlmodel import select
from test_e2e_closing import TEXT_132
from test_e2e_digests import group_say

from core.i18n import tr
from storage import programmes
from storage.models import Measure
from usecases.report import monthly_package

IMMEDIATE_CODE = "1.1.1"


def _immediate_ledger() -> bytes:
    """The sample ledger with 1.1.1 (open) due 立行立改."""
    lines = sample("ledger.zh.csv").decode("utf-8-sig").splitlines()
    for i, line in enumerate(lines):
        if line.startswith(IMMEDIATE_CODE + ","):
            cells = line.split(",")
            cells[8], cells[9] = "立行立改", "推进中"
            lines[i] = ",".join(cells)
    return ("\n".join(lines) + "\n").encode("utf-8")


def _paragraphs(data: bytes | None) -> list[str]:
    assert data is not None
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


async def test_immediate_rows_reach_every_document(bot: Bot) -> None:
    await bot.say(ADMIN, "/newprogramme P")
    preview = await bot.upload(ADMIN, "ledger.csv", _immediate_ledger())
    await bot.press(ADMIN, preview, button(preview, "imp:keep"))
    bot.clock.set(datetime(2024, 10, 15, 9, 0, tzinfo=SH))
    ledger = await bot.say(ADMIN, "/export")
    assert ledger.method == "sendDocument", ledger.plain
    assert ledger.document is not None
    ws = openpyxl.load_workbook(io.BytesIO(ledger.document)).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    [row] = [r for r in rows if r[0] == IMMEDIATE_CODE]
    assert row[8] == "立行立改" and row[9] is None  # deadline, original deadline
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/export report 2024-09")
    sent = await bot.answers(ADMIN.id, mark)
    assert [m.method for m in sent] == ["sendMessage", "sendPhoto", "sendDocument", "sendDocument"]
    assert (
        "🟡 1.1.1 严格落实“第一议题”制度，深学笃行党的创新理论，开展专题宣讲 · 时限：立行立改 · "
        in (sent[0].plain)
    )
    assert _paragraphs(sent[2].document)[2] == (
        "截至9月底，42项整改措施已完成34项，其余8项正在按时序推进。"
    )
    half = await bot.say(ADMIN, "/export halfyear")
    assert half.method == "sendDocument", half.plain
    assert "1. 严格落实“第一议题”制度，深学笃行党的创新理论，开展专题宣讲（1.1.1）" in "\n".join(
        _paragraphs(half.document)
    )


async def _rebound_132(bot: Bot) -> int:
    """1.3.2 signed off on 30 September with "水厂已投用，入户通水。", rebounds on 30 October."""
    pid = await seed(bot)
    await bot.say(ADMIN, "/use P")
    await bot.say(ADMIN, "/schedule lookback 30")
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", "水厂已投用，入户通水。", ["a.pdf"])
    bot.clock.set(datetime(2024, 9, 30, 11, 0, tzinfo=SH))
    copy = next(m for m in bot.api.messages_to(ADMIN.id) if "dec:1:ok" in str(m.buttons))
    await bot.press(ADMIN, copy, "dec:1:ok")
    await tick(bot, pid, datetime(2024, 10, 30, 9, 30, tzinfo=SH))

    def looked_back() -> list[SentMessage]:
        return [m for m in bot.api.messages_to(OWNER_A.id) if m.plain.startswith("🔁")]

    await bot.api.wait_until(lambda: len(looked_back()) == 1)  # each look-back is its own job
    [asked] = looked_back()
    bot.clock.set(datetime(2024, 10, 30, 10, 0, tzinfo=SH))
    await bot.press(OWNER_A, asked, asked.buttons[1][1] or "")
    await bot.say(OWNER_A, "入户水压不足，部分村组停水。")
    await group_say(bot, ADMIN, "/setup P")
    return pid


REBOUND_LINES = [
    f"🔴 1.3.2 {TEXT_132} · 时限：10月31日 · 反弹 · 存在风险 · 逾期{{n}}天 · 城市管理局联络员",
    "    ↳ 回头看：出现反弹 · “入户水压不足，部分村组停水。”（10月30日，城市管理局联络员）",
]


async def test_a_rebound_is_the_measures_latest_word(bot: Bot) -> None:
    """After a rebound, /summary, the review and December's report and DOCX say so, at risk."""
    await _rebound_132(bot)
    bot.clock.set(datetime(2024, 12, 11, 10, 0, tzinfo=SH))
    lines = [line.replace("{n}", "41") for line in REBOUND_LINES]
    summary = (await group_say(bot, LEADER, "/summary")).split("\n")
    assert summary[summary.index("红灯事项：") + 1 :] == lines
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/review")
    [review] = [m for m in await bot.answers(GROUP.id, mark) if m.plain.startswith("🔎")]
    red = review.plain.split("\n")
    assert red[red.index("红灯事项：") + 1 : red.index("红灯事项：") + 3] == lines

    bot.clock.set(datetime(2025, 1, 2, 11, 0, tzinfo=SH))
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/report")
    posted = await bot.answers(GROUP.id, mark)
    [december] = [m.plain for m in posted if m.plain.startswith("📋 P · 2024年12月")]
    lines = [line.replace("{n}", "61") for line in REBOUND_LINES]
    assert "\n".join(lines) in december and "水厂已投用" not in december
    [doc] = [m for m in posted if m.filename == "P整改2024年12月进展情况汇报.docx"]
    said = [p for p in _paragraphs(doc.document) if "（1.3.2）" in p]
    assert said[0] == (
        f"3. {TEXT_132}（1.3.2）回头看发现反弹：入户水压不足，部分村组停水。"
        "（城市管理局联络员，2024年10月30日报送）已逾期61天。"
    )
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.code == "1.3.2"))).one()
        assert (m.status, m.health) == ("reopened", "at_risk")


async def test_the_months_look_backs_reach_the_report_and_its_docx(bot: Bot) -> None:
    pid = await _rebound_132(bot)
    async with bot.db.session() as s:
        programme = await programmes.by_id(s, programme_id=pid)
        assert programme is not None
        text, files = await monthly_package(
            s, programme=programme, period="2024-10", now=bot.clock.now(), t=tr("zh_CN")
        )
        _, quiet = await monthly_package(
            s, programme=programme, period="2024-11", now=bot.clock.now(), t=tr("zh_CN")
        )
    assert text.split("\n")[-3:-1] == [
        "本月完成回头看1项，成效巩固0项，出现反弹1项。",
        "出现反弹并重新打开：1.3.2。",
    ]
    [doc] = [f for f in files if f.filename.endswith(".docx")]
    paragraphs = _paragraphs(doc.data)
    at = paragraphs.index("九、本月“回头看”情况")
    assert paragraphs[at + 1 : at + 3] == [
        f"1. {TEXT_132}（1.3.2）2024年10月30日回头看发现反弹，已重新打开。入户水压不足，部分村组停水。",
        "十、推进建章立制情况",
    ]
    [doc] = [f for f in quiet if f.filename.endswith(".docx")]
    paragraphs = _paragraphs(doc.data)
    assert paragraphs[paragraphs.index("九、本月“回头看”情况") + 1] == "本月无回头看事项。"


async def test_the_review_lists_every_yellow_item_it_counts(bot: Bot) -> None:
    await seed(bot)
    await group_say(bot, ADMIN, "/setup P")
    bot.clock.set(datetime(2024, 12, 20, 16, 0, tzinfo=SH))
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/review")
    [review] = [m for m in await bot.answers(GROUP.id, mark) if m.plain.startswith("🔎")]
    lines = review.plain.split("\n")
    assert lines[2] == "🔴红灯1项、🟡黄灯6项、🟢绿灯0项、待销号0项"
    at = lines.index("黄灯事项：")
    listed = [line for line in lines[at + 1 :] if line.startswith("🟡 ")]
    assert [line.split(" ")[1] for line in listed] == [
        "1.2.2", "1.2.4", "1.3.3", "3.1.2", "4.1.1", "4.3.1",
    ]  # fmt: skip


async def test_an_owners_summary_says_what_is_overdue(bot: Bot) -> None:
    await seed(bot)
    bot.clock.set(datetime(2024, 12, 11, 10, 0, tzinfo=SH))
    summary = await bot.say(OWNER_A, "/summary")
    assert summary.plain.split("\n")[1] == (
        "截至12月11日，您负责的2项整改措施已完成0项，其余2项中，1项正在推进，1项已逾期。"
    )
    bot.clock.set(datetime(2025, 1, 2, 10, 0, tzinfo=SH))
    summary = await bot.say(OWNER_A, "/summary")
    assert summary.plain.split("\n")[1] == (
        "截至1月2日，您负责的2项整改措施已完成0项，其余2项已逾期。"
    )


async def test_on_time_by_area_and_measures_done_before_the_programme(bot: Bot) -> None:
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", "水厂已投用，入户通水。", ["a.pdf"])
    copy = next(m for m in bot.api.messages_to(ADMIN.id) if "dec:1:ok" in str(m.buttons))
    await bot.press(ADMIN, copy, "dec:1:ok")
    bot.clock.set(datetime(2024, 11, 15, 10, 0, tzinfo=SH))
    ledger = await bot.say(ADMIN, "/export")
    assert ledger.document is not None
    sheet = openpyxl.load_workbook(io.BytesIO(ledger.document)).worksheets[1]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    # 1.3.2 closed by its deadline; the rest of area 1 was done before or is not yet due
    assert rows[2][6] == "按期完成率" and [r[6] for r in rows[3:7]] == [1, "—", "—", "—"]
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/export report 2024-10")
    [doc] = [m for m in await bot.answers(ADMIN.id, mark) if m.filename and ".docx" in m.filename]
    paragraphs = _paragraphs(doc.document)
    assert paragraphs[paragraphs.index("（一）已完成") + 1] == (
        "1. 严格落实“第一议题”制度，深学笃行党的创新理论，开展专题宣讲（1.1.1）录入整改台账前已完成。"
    )
    assert "暂未报送进展" not in "\n".join(p for p in paragraphs if "（2." in p)


async def test_report_never_covers_a_month_before_the_programme(bot: Bot) -> None:
    """Created on 30 September: /report that day names the first report, not August's."""
    await bot.say(ADMIN, "/newprogramme P")
    preview = await bot.upload(ADMIN, "ledger.csv", sample("ledger.zh.csv"))
    await bot.press(ADMIN, preview, button(preview, "imp:keep"))
    await group_say(bot, ADMIN, "/setup P")
    reply = await bot.say(ADMIN, "/report")
    assert reply.plain == "首份月度汇报（2024年9月）将于10月8日（周二）10:00发送。"
    assert not [m for m in bot.api.messages_to(GROUP.id) if m.plain.startswith("📋")]
    # once September is over it is the month reported, before its planned day too
    bot.clock.set(datetime(2024, 10, 6, 9, 0, tzinfo=SH))
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/report")
    posted = await bot.answers(GROUP.id, mark)
    assert posted[0].plain.startswith("📋 P · 2024年9月整改情况汇报")
