"""End to end: 建章立制 — owners and coordinators record rules; reports and the workbook list them."""

from __future__ import annotations

import io
from datetime import datetime

import docx
import openpyxl
from conftest import ADMIN, SH, Bot, button
from fakebot import SentMessage, User
from rhythm_support import LEADER, OWNER_A, OWNER_B, measure_id
from signoff_support import COORD_B, alert, step, upload
from sqlmodel import col, select
from test_e2e_signoff import _start

from storage.models import AuditEvent, EvidenceFile
from storage.models_outcomes import InstitutionalOutcome

STRANGER = User(777, "路人", language_code="zh-hans")
AREA_1 = "落实党的路线方针政策和党中央重大决策部署方面"
AREA_4 = "落实审计反馈问题整改方面"
ITEM_1 = "1. 《重大事项请示报告办法》（高新党工委发〔2024〕12号，2024年3月15日印发；整改措施1.3.2）"
ITEM_2 = "2. 《城市供水管网运维管理办法》（高新管发〔2024〕30号，2024年6月1日印发；整改措施1.3.2）"
ITEM_3 = "1. 《审计整改跟踪督办办法》（高新审发〔2024〕7号，2024年8月20日印发；整改措施4.1.1）"


def _docx(m: SentMessage) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(m.document or b"")).paragraphs]


async def _files(bot: Bot, user: User, command: str) -> list[SentMessage]:
    mark = bot.api.mark()
    bot.api.send_private(user, command)
    return [m for m in await bot.answers(user.id, mark) if m.filename]


async def test_owners_and_coordinators_record_rules_for_the_reports(bot: Bot) -> None:
    await _start(bot)  # 30 September 2024, 10:00: the dispatch is out
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    m132 = await measure_id(bot, "1.3.2")
    # the button under a measure of one's own
    await bot.press(OWNER_A, dispatch, f"m:{m132}")
    choices = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, choices, button(choices, "oc:"))
    assert bot.api.last_to(OWNER_A.id).plain == (
        "正在为整改措施1.3.2录入制度成果。请发送制度或文件名称，如《重大事项请示报告办法》。"
        "发送 /cancel 可不保存退出。"
    )
    said = await bot.say(OWNER_A, "重大事项请示报告办法")  # the 《》 are added
    assert said.plain == "请发送文号，如“高新党工委发〔2024〕12号”。"
    said = await bot.say(OWNER_A, "无")
    assert said.plain == "文号应包含年份和序号，如“高新党工委发〔2024〕12号”。请重新发送。"
    said = await bot.say(OWNER_A, "高新党工委发 [2024] 12号")
    assert said.plain == "请发送印发日期，如“2024年3月15日”。"
    said = await bot.say(OWNER_A, "2024-02-30")
    assert said.plain == "“2024-02-30”不是有效日期，请核对年、月、日。"
    said = await bot.say(OWNER_A, "2024年10月8日")
    assert said.plain == "印发日期不能晚于今天（2024年9月30日），请重新发送。"
    said = await bot.say(OWNER_A, "3月15日")
    assert said.plain == "请发送印发日期，如“2024年3月15日”。"
    said = await bot.say(OWNER_A, "2024年3月15日")
    assert said.plain == (
        "如有文件，请直接发送，将作为整改措施1.3.2的佐证资料留存；没有请点击“无文件”。"
    )
    await upload(bot, OWNER_A, "重大事项请示报告办法.pdf")
    preview = bot.api.last_to(OWNER_A.id)
    assert preview.plain == (
        "请核对整改措施1.3.2的制度成果：\n制度名称：《重大事项请示报告办法》\n"
        "文号：高新党工委发〔2024〕12号\n印发日期：2024年3月15日\n文件：重大事项请示报告办法.pdf"
    )
    await step(bot, OWNER_A, "ocs:", ":save")
    assert preview.plain == (
        "已保存。《重大事项请示报告办法》（高新党工委发〔2024〕12号）已录入为整改措施1.3.2的制度成果。"
        "文件已作为佐证资料留存。"
    )
    assert preview.buttons == []

    # /outcome CODE, without a file
    said = await bot.say(OWNER_A, "/outcome 1.3.2")
    await bot.say(OWNER_A, "《城市供水管网运维管理办法》")
    await bot.say(OWNER_A, "高新管发〔2024〕30号")
    await bot.say(OWNER_A, "2024.6.1")
    await step(bot, OWNER_A, "ocs:", ":nofile")
    preview = bot.api.last_to(OWNER_A.id)
    assert preview.plain.endswith("印发日期：2024年6月1日\n文件：无")
    await step(bot, OWNER_A, "ocs:", ":save")
    assert preview.plain == (
        "已保存。《城市供水管网运维管理办法》（高新管发〔2024〕30号）已录入为整改措施1.3.2的制度成果。"
    )
    # the same number again: said at once, and nothing is kept
    await bot.say(OWNER_A, "/outcome 1.3.3")
    await bot.say(OWNER_A, "另一个办法")
    said = await bot.say(OWNER_A, "高新党工委发〔2024〕12号")
    assert said.plain == (
        "文号高新党工委发〔2024〕12号已录入（整改措施1.3.2：《重大事项请示报告办法》），"
        "请核对文号。同一制度只录入一次。"
    )
    said = await bot.say(OWNER_A, "/cancel")
    assert said.plain == "已取消，未保存任何内容。"

    # others: an owner of other measures, a leader, a stranger
    said = await bot.say(OWNER_B, "/outcome 1.3.2")
    assert said.plain == (
        "Only the owner of 1.3.2 or the task force can record its institutional outcomes."
    )
    said = await bot.say(LEADER, "/outcome 1.3.2")
    assert said.plain == "只有整改措施1.3.2的责任人或整改专班可以录入其制度成果。"
    said = await bot.say(STRANGER, "/outcome 1.3.2")
    assert said.plain.startswith("这里是Cadence整改调度机器人")  # nothing of the programme
    assert "1.3.2" not in said.plain
    said = await bot.say(OWNER_A, "/outcome 9.9.9")
    assert said.plain == "整改台账中没有编号为9.9.9的整改措施。"

    # a coordinator, in English, for any measure
    said = await bot.say(COORD_B, "/outcome 4.1.1")
    assert said.plain == (
        "Recording an institutional outcome for 4.1.1. Send the title of the rule or document,"
        " for example “Rules on reporting major matters”. /cancel leaves without saving."
    )
    await bot.say(COORD_B, "“审计整改跟踪督办办法”")
    await bot.say(COORD_B, "高新审发（2024）7号")
    said = await bot.say(COORD_B, "2024-13-01")
    assert said.plain == "“2024-13-01” is not a real date: please check the year, month and day."
    said = await bot.say(COORD_B, "2024-08-20")
    assert said.plain == (
        "Send the document itself as a file if you have it: it is kept as evidence of 4.1.1."
        " Otherwise press No file."
    )
    await step(bot, COORD_B, "ocs:", ":nofile")
    preview = bot.api.last_to(COORD_B.id)
    assert preview.plain == (
        "Please check the institutional outcome for 4.1.1:\nTitle: 《审计整改跟踪督办办法》\n"
        "Document number: 高新审发〔2024〕7号\nDate of issue: 20 August 2024\nFile: none"
    )
    await step(bot, COORD_B, "ocs:", ":save")
    assert preview.plain == (
        "Saved. 《审计整改跟踪督办办法》 (高新审发〔2024〕7号) is recorded as an institutional"
        " outcome of 4.1.1."
    )
    m411 = await measure_id(bot, "4.1.1")
    again = await alert(bot, COORD_B, preview, f"ocs:{m411}:1:save")  # a forged or stale press
    assert again == "This button has expired."

    async with bot.db.session() as s:
        rows = (
            await s.exec(select(InstitutionalOutcome).order_by(col(InstitutionalOutcome.id)))
        ).all()
        files = (await s.exec(select(EvidenceFile).where(EvidenceFile.measure_id == m132))).all()
        events = (
            await s.exec(select(AuditEvent).where(AuditEvent.action == "measure.outcome"))
        ).all()
    assert [r.number for r in rows] == [
        "高新党工委发〔2024〕12号",
        "高新管发〔2024〕30号",
        "高新审发〔2024〕7号",
    ]
    assert [f.name for f in files] == ["重大事项请示报告办法.pdf"]
    assert rows[0].evidence_id == files[0].id and rows[1].evidence_id is None
    assert len(events) == 3
    history = (await bot.say(OWNER_A, "/history 1.3.2")).plain.split("\n")
    assert history[-1].endswith(
        "录入制度成果：《城市供水管网运维管理办法》（高新管发〔2024〕30号）"
    )

    # the monthly report (zh), the half-year report (en) and the workbooks
    bot.clock.set(datetime(2024, 10, 15, 9, 0, tzinfo=SH))
    [report] = [
        m
        for m in await _files(bot, LEADER, "/export report 2024-09")
        if (m.filename or "").endswith(".docx")
    ]
    paras = _docx(report)
    at = paras.index("十、推进建章立制情况")
    assert paras[at + 1 : at + 7] == [
        "截至9月底，制定优化迭代制度3个，其中本月3个。",
        f"（一）{AREA_1}",
        ITEM_1,
        ITEM_2,
        f"（二）{AREA_4}",
        ITEM_3,
    ]
    assert paras[at + 7] == "十一、下一步工作打算"
    [half] = await _files(bot, COORD_B, "/export halfyear")
    paras = _docx(half)
    at = paras.index("5. Institutional outcomes")
    assert paras[at + 1 : at + 4] == [
        "As of 30 September, 3 rules had been made or revised, 3 of them during the period.",
        f"(1) {AREA_1}",
        "1. 《重大事项请示报告办法》 (高新党工委发〔2024〕12号, issued 15 March 2024; measure 1.3.2)",
    ]
    assert paras[at + 7] == "6. Next steps"
    # the published progress report: 三、 ends with 推进建章立制, as the seed's does; August's
    # report was made before any rule was recorded, whenever it is asked for
    three_zh, three_en = (
        "三、需长期整改事项进展情况",
        "3. Progress on matters needing long-term rectification",
    )
    for user, month, heads, section in (
        (LEADER, "2024-09", (three_zh, "四、"), [
            "（一）推进建章立制方面。截至2024年9月底，制定优化迭代制度3个："
            f"{ITEM_1[3:]}、{ITEM_2[3:]}和{ITEM_3[3:]}。"
        ]),
        (COORD_B, "2024-09", (three_en, "4. "), [
            "(1) Building rules and institutions. As of the end of September 2024, 3 rules have"
            " been made or revised: 《重大事项请示报告办法》 (高新党工委发〔2024〕12号, issued"
            " 15 March 2024; measure 1.3.2), 《城市供水管网运维管理办法》 (高新管发〔2024〕30号,"
            " issued 1 June 2024; measure 1.3.2), and 《审计整改跟踪督办办法》 (高新审发〔2024〕7号,"
            " issued 20 August 2024; measure 4.1.1)."
        ]),
        (LEADER, "2024-08", (three_zh, "四、"), ["暂无需长期整改事项。"]),
    ):  # fmt: skip
        [published] = await _files(bot, user, f"/export progress {month}")
        paras = _docx(published)
        at = paras.index(heads[0])
        end = next(i for i, p in enumerate(paras) if i > at and p.startswith(heads[1]))
        assert paras[at + 1 : end] == section, month
    for user, sheet, header in (
        (ADMIN, "制度成果清单", ["编号", "方面", "制度名称", "文号", "印发日期", "佐证文件"]),
        (
            COORD_B,
            "List of institutional outcomes",
            ["Code", "Area", "Title", "Document number", "Date of issue", "Evidence file"],
        ),
    ):
        [book] = await _files(bot, user, "/export")
        ws = openpyxl.load_workbook(io.BytesIO(book.document or b""))[sheet]
        rows_seen = [[c for c in r] for r in ws.iter_rows(min_row=2, values_only=True)]
        assert rows_seen[0] == header
        assert [(r[0], r[1], r[2], r[3], r[4].date(), r[5]) for r in rows_seen[1:]] == [
            (
                "1.3.2",
                AREA_1,
                "《重大事项请示报告办法》",
                "高新党工委发〔2024〕12号",
                datetime(2024, 3, 15).date(),
                "重大事项请示报告办法.pdf",
            ),
            (
                "1.3.2",
                AREA_1,
                "《城市供水管网运维管理办法》",
                "高新管发〔2024〕30号",
                datetime(2024, 6, 1).date(),
                None,
            ),
            (
                "4.1.1",
                AREA_4,
                "《审计整改跟踪督办办法》",
                "高新审发〔2024〕7号",
                datetime(2024, 8, 20).date(),
                None,
            ),
        ]
