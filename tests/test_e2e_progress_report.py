"""End to end: the seed's own progress report, produced from its ledger, facts and words in chat."""

from __future__ import annotations

import io
import json
import os
import unicodedata
from datetime import datetime
from pathlib import Path

import docx
import pytest
from conftest import ADMIN, SH, Bot, button
from progress_support import (
    FACTS,
    HEADLINE,
    ledger_with_words,
    section,
    seed_lines,
    skeleton,
    without_next_steps_parts,
)
from sqlmodel import col, select

from bot.cli import main
from storage.models import AuditEvent

SIGNER = "西部科学城重庆高新区党工委"


async def _seed_programme(bot: Bot) -> None:
    """The task force imports the seed's ledger with its owners' words and sets the facts."""
    await bot.say(ADMIN, "/newprogramme 巡视整改")
    preview = await bot.upload(ADMIN, "台账.csv", ledger_with_words())
    await bot.press(ADMIN, preview, button(preview, "imp:keep"))
    # published on 13 November, about the months up to September
    bot.clock.set(datetime(2024, 11, 13, 9, 0, tzinfo=SH))
    for line in FACTS:
        assert (await bot.say(ADMIN, line)).plain.startswith("已保存。")
    lines = seed_lines()
    one = section(lines, "一、党工委履行巡视整改主体责任情况", "二、巡视反馈重点问题整改落实情况")
    kept = await bot.say(ADMIN, f"/narrative 1 2024-09 {one}")
    assert kept.plain == (
        "已存入2024年9月整改进展情况通报：第一部分（履行整改主体责任情况），共4段。"
    )
    four = section(lines, "四、下一步工作打算", lines[-3])
    kept = await bot.say(ADMIN, f"/narrative 4 2024年9月 {four}")
    assert kept.plain.endswith("第四部分（下一步工作打算），共4段。")


def _paragraphs(data: bytes | None) -> list[str]:
    assert data is not None
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


async def test_the_seeds_report_comes_out_in_the_seeds_shape(bot: Bot) -> None:
    await _seed_programme(bot)
    reply = await bot.say(ADMIN, "/export progress 2024-09")
    assert reply.method == "sendDocument"
    assert reply.filename == "巡视整改进展情况通报（2024年9月）.docx"
    paras = _paragraphs(reply.document)
    assert paras[0] == f"{SIGNER}关于巡视整改进展情况的通报"
    body = paras[1:]
    ours = skeleton(body, SIGNER)
    seed = skeleton(seed_lines(), SIGNER)
    assert without_next_steps_parts(ours) == without_next_steps_parts(seed)
    # 四、: the task force's （一）–（三）, then the owners' next steps as （四）
    assert ours[ours.index("四、") : ours.index("supervision")] == [
        "四、", "（一）", "（二）", "（三）", "（四）",
    ]  # fmt: skip
    headline = body[body.index("二、巡视反馈重点问题整改落实情况") + 1]
    assert headline == HEADLINE
    seed_headline = seed_lines()[seed_lines().index("二、巡视反馈重点问题整改落实情况") + 1]
    assert unicodedata.normalize("NFKC", headline) == seed_headline
    assert body[0] == (
        "根据市委统一部署，2023年10月10日至12月15日，市委第一巡视组对西部科学城重庆高新区党工委"
        "开展了巡视。2024年1月16日，市委第一巡视组向西部科学城重庆高新区党工委反馈了巡视意见。"
        "按照巡视整改工作有关要求，现将巡视整改进展情况予以公布。"
    )
    assert body[-2:] == [SIGNER, "2024年11月13日"]
    assert body[-3].startswith(
        "欢迎广大干部群众对巡视整改落实情况进行监督。如有意见建议，请及时向我们反映。联系电话：023—68606272；"
    )
    # the owners' words as prose, numbered as the seed numbers them
    first = next(p for p in body if p.startswith("1.用党的创新理论"))
    assert first.startswith("1.用党的创新理论指导实践、推动产业发展方面。一是持续铸牢政治忠诚。")
    assert "二是加快传统产业优化升级。" in first and "三是全力提升重点产业质效。" in first
    long_term = body[body.index("三、需长期整改事项进展情况") + 1]
    assert long_term.startswith("（一）实施科技创新4大专项行动")
    assert "坚决把抓好巡视整改作为重大政治任务" in long_term
    assert body[body.index("四、下一步工作打算") + 5] == (
        "（四）落实审计反馈问题整改方面。持续推进审计问题清单销号，逐项压实整改责任。"
    )


async def test_without_facts_or_narratives_the_report_offers_what_it_knows(bot: Bot) -> None:
    await bot.say(ADMIN, "/newprogramme 巡视整改")
    preview = await bot.upload(ADMIN, "台账.csv", ledger_with_words())
    await bot.press(ADMIN, preview, button(preview, "imp:keep"))
    bot.clock.set(datetime(2024, 10, 8, 9, 0, tzinfo=SH))
    reply = await bot.say(ADMIN, "/export 进展")
    body = _paragraphs(reply.document)
    assert body[0] == "关于巡视整改进展情况的通报"
    assert body[1].startswith("（此处由整改专班填写巡视时间、派出机关")
    assert body[2:5] == [
        "一、履行巡视整改主体责任情况",
        "整改工作开展以来，尚无调度、研判记录。",
        "（此处由整改专班撰写履行整改主体责任情况，可发送 /narrative 1 加正文存入。）",
    ]
    assert not [p for p in body if p.startswith("欢迎广大干部群众")]
    assert body[-2:] == ["巡视整改", "2024年10月8日"]


async def test_a_month_not_ended_is_refused(bot: Bot) -> None:
    await bot.say(ADMIN, "/newprogramme 巡视整改")
    reply = await bot.say(ADMIN, "/export progress 2024-09")
    assert reply.plain == "请指定2000年以来已结束的月份，例如 /export 进展 9月。"


def test_the_cli_writes_it_in_chinese_and_in_english(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "CADENCE_", "DATABASE_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'c.db'}")
    (tmp_path / "ledger.csv").write_bytes(ledger_with_words())
    assert main(["migrate"]) == 0
    assert main(["import", "ledger.csv", "--programme", "巡视整改"]) == 0
    out = ["export", "--what", "progress", "--as-of", "2024-09-30", "--programme", "巡视整改"]
    assert main([*out, "--output", "zh.docx"]) == 0
    assert main([*out, "--locale", "en", "--output", "en.docx"]) == 0
    zh = _paragraphs((tmp_path / "zh.docx").read_bytes())
    assert zh[zh.index("二、巡视反馈重点问题整改落实情况") + 1] == HEADLINE
    en = _paragraphs((tmp_path / "en.docx").read_bytes())
    at = en.index("2. Rectification of the key problems raised in the inspection feedback")
    assert en[at + 1] == (
        "As of the end of September 2024, 35 of the 42 rectification measures set have been "
        "completed; the other rectification tasks are progressing on schedule."
    )
    # the same structure, numbered the English way
    assert en[at + 2] == "(1) Rectification in 落实党的路线方针政策和党中央重大决策部署方面"
    # the CLI imported the owners' words today, after September: that month's report is without them
    assert en[at + 3] == (
        "1) 用党的创新理论指导实践、推动产业发展. [The task force writes this problem's progress here.]"
    )


async def test_narratives_are_kept_per_month_listed_removed_and_audited(bot: Bot) -> None:
    await bot.say(ADMIN, "/newprogramme 巡视整改")
    bot.clock.set(datetime(2024, 10, 8, 9, 0, tzinfo=SH))
    kept = await bot.say(ADMIN, "/narrative 4 第一段。\n\n第二段。")
    assert kept.plain == "已存入2024年9月整改进展情况通报：第四部分（下一步工作打算），共2段。"
    listing = await bot.say(ADMIN, "/narrative")
    assert listing.plain.split("\n")[:3] == [
        "2024年9月整改进展情况通报已存入的文字：",
        "• 第一部分（履行整改主体责任情况）：暂无",
        "• 第四部分（下一步工作打算）：2段",
    ]
    removed = await bot.say(ADMIN, "/narrative 4 -")
    assert removed.plain == "已从2024年9月整改进展情况通报中删除：第四部分（下一步工作打算）。"
    wrong = await bot.say(ADMIN, "/narrative 2 文字")
    assert wrong.plain.startswith("发送 /narrative 1 加第一部分（履行整改主体责任情况）的正文")
    async with bot.db.session() as s:
        events = (
            await s.exec(
                select(AuditEvent)
                .where(AuditEvent.action == "report.narrative")
                .order_by(col(AuditEvent.seq))
            )
        ).all()
    assert [json.loads(e.after)["text"] for e in events] == ["第一段。\n第二段。", ""]
    assert json.loads(events[1].before)["text"] == "第一段。\n第二段。"
