"""End to end: /export in private and in the leadership group, refusals, and the CLI export."""

from __future__ import annotations

import io
import os
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import docx
import openpyxl
import pytest
from conftest import ADMIN, GROUP, SH, TASKFORCE, Bot, button, sample
from fakebot import SentMessage, User
from rhythm_support import LEADER, OWNER_A, measure_id, seed, tick
from stranger_texts import STRANGER_TEXT_ZH
from test_e2e_digests import HEADLINE_EN, HEADLINE_ZH, group_say

from bot.cli import main
from core.domain.ledger import parse_ledger

STRANGER = User(555, "路人", language_code="zh-hans")


def _sheet(data: bytes | None) -> list[list[object]]:
    assert data is not None and data.startswith(b"PK")
    ws = openpyxl.load_workbook(io.BytesIO(data)).worksheets[0]
    return [[c.value for c in row] for row in ws.iter_rows()]


async def test_export_ledger_in_private_for_a_leader(bot: Bot) -> None:
    await seed(bot)
    reply = await bot.say(LEADER, "/export")
    assert reply.method == "sendDocument"
    assert reply.filename == "P整改台账（截至2024年9月30日）.xlsx"
    rows = _sheet(reply.document)
    assert rows[0][0] == "P整改台账（截至2024年9月30日）" and rows[1][0] == "编号"
    assert len(rows) == 44 and [r[10] for r in rows[2:]].count("已销号") == 35


async def test_export_in_the_leadership_group_posts_there(bot: Bot) -> None:
    await seed(bot)
    await group_say(bot, ADMIN, "/setup P")
    mark = bot.api.mark()
    bot.api.send_group(GROUP, LEADER, "/export")
    [doc] = await bot.api.wait_for(GROUP.id, since=mark)
    assert doc.method == "sendDocument" and doc.filename and doc.filename.endswith(".xlsx")
    await bot.api.settle()
    assert not bot.api.messages_to(LEADER.id)


async def test_export_refused_to_owners_strangers_and_other_groups(bot: Bot) -> None:
    await seed(bot)
    await group_say(bot, ADMIN, "/setup P")
    await group_say(bot, ADMIN, "/setup P taskforce", chat_id=TASKFORCE.id)
    owner = await bot.say(OWNER_A, "/export")
    assert owner.method == "sendMessage" and "仅限" in owner.plain
    stranger = await bot.say(STRANGER, "/export")
    assert stranger.method == "sendMessage" and stranger.plain == STRANGER_TEXT_ZH
    text = await group_say(bot, OWNER_A, "/export")
    assert "仅限" in text
    text = await group_say(bot, LEADER, "/export", chat_id=TASKFORCE.id)
    assert "领导小组" in text
    assert not [m for m in bot.api.sent if m.method == "sendDocument"]


async def test_export_bad_arguments_say_what_to_type(bot: Bot) -> None:
    await seed(bot)
    reply = await bot.say(LEADER, "/export report 2024-13")
    assert reply.plain == "请指定2000年以来已结束的月份，例如 /export 汇报 9月。"
    reply = await bot.say(LEADER, "/export nonsense")
    assert "/export 汇报 [月份]" in reply.plain


def test_cli_export_round_trip(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "CADENCE_", "DATABASE_")):
            monkeypatch.delenv(key)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'c.db'}")
    (tmp_path / "ledger.xlsx").write_bytes(sample("ledger.zh.xlsx"))
    assert main(["migrate"]) == 0
    assert main(["import", "ledger.xlsx", "--programme", "P"]) == 0
    out = ["export", "--what", "ledger", "--as-of", "2024-09-30", "--output"]
    assert main([*out, "p.xlsx", "--programme", "P"]) == 0
    assert main(["import", "p.xlsx", "--programme", "Q", "--locale", "en"]) == 0
    assert "42 new" in capsys.readouterr().out
    assert main([*out, "q.xlsx", "--programme", "Q", "--locale", "en"]) == 0
    first = parse_ledger((tmp_path / "p.xlsx").read_bytes(), "p.xlsx")
    second = parse_ledger((tmp_path / "q.xlsx").read_bytes(), "q.xlsx")
    original = parse_ledger(sample("ledger.zh.xlsx"), "ledger.zh.xlsx")
    assert first.ok and second.ok
    same = [replace(r, row=0) for r in original.rows]
    assert [replace(r, row=0) for r in first.rows] == same
    assert [replace(r, row=0) for r in second.rows] == same
    assert _sheet((tmp_path / "q.xlsx").read_bytes())[1][0] == "Code"
    monthly = ["export", "--what", "monthly", "--as-of", "2024-09-30", "--programme", "Q"]
    assert main([*monthly, "--locale", "en", "--output", "q.docx"]) == 0
    assert _docx_text((tmp_path / "q.docx").read_bytes())[0] == "Progress report on Q"
    assert (tmp_path / "q.png").read_bytes().startswith(b"\x89PNG")  # the chart, beside it
    half = ["export", "--what", "halfyear", "--as-of", "2024-09-30", "--programme", "P"]
    assert main([*half, "--output", "h.docx"]) == 0
    assert _docx_text((tmp_path / "h.docx").read_bytes())[:2] == [
        "关于P持续整改情况的报告",
        "（2024年4月—2024年9月）",
    ]
    letter = ["export", "--what", "letter", "--code", "1.3.2", "--programme", "P"]
    assert main([*letter, "--as-of", "2024-11-05", "--output", "l1.docx"]) == 0
    assert main([*letter, "--as-of", "2024-11-06", "--output", "l2.docx"]) == 0
    assert _docx_text((tmp_path / "l2.docx").read_bytes())[1] == "〔2024〕第2号"
    assert main([*letter, "--as-of", "2024-09-30", "--output", "l3.docx"]) == 1  # not red yet


def _docx_text(data: bytes | None) -> list[str]:
    assert data is not None
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


async def _monthly_sent(bot: Bot, pid: int, since: int) -> list[SentMessage]:
    """Let the scheduler run the October beats; what the leadership group got."""
    await group_say(bot, ADMIN, "/setup P taskforce", chat_id=TASKFORCE.id)  # the review goes there
    since = max(since, bot.api.mark())
    await tick(bot, pid, datetime(2024, 10, 8, 10, 5, tzinfo=SH))
    return [m for m in bot.api.since(since) if m.chat_id == GROUP.id]


async def test_monthly_beat_posts_text_chart_report_and_ledger_once(bot: Bot) -> None:
    pid = await seed(bot)
    await group_say(bot, ADMIN, "/setup P")
    mark = bot.api.mark()
    sent = await _monthly_sent(bot, pid, mark)
    methods = [m.method for m in sent]
    assert methods[0] == "sendMessage" and HEADLINE_ZH in sent[0].plain
    files = [m for m in sent if m.method != "sendMessage"]
    assert [m.method for m in files] == ["sendPhoto", "sendDocument", "sendDocument"]
    photo, report, ledger = files
    assert photo.photo is not None and photo.photo.startswith(b"\x89PNG")
    assert photo.plain == "P整改2024年9月进展情况汇报"
    assert report.filename == "P整改2024年9月进展情况汇报.docx"
    paragraphs = _docx_text(report.document)
    assert paragraphs[0] == "关于P整改进展情况的报告" and paragraphs[2] == HEADLINE_ZH
    assert "五、落实审计反馈问题整改方面的整改情况" in paragraphs
    assert ledger.filename == "P整改台账（截至2024年9月30日）.xlsx"
    assert len(_sheet(ledger.document)) == 44
    # once per period: a restart and a later tick send nothing more to the group
    await bot.restart()
    again = bot.api.mark()
    await tick(bot, pid, datetime(2024, 10, 9, 10, 5, tzinfo=SH))
    assert not [m for m in bot.api.since(again) if m.chat_id == GROUP.id]


async def test_monthly_beat_in_english(bot: Bot) -> None:
    pid = await seed(bot, locale="en")
    await group_say(bot, ADMIN, "/setup P")
    sent = await _monthly_sent(bot, pid, bot.api.mark())
    files = [m for m in sent if m.method != "sendMessage"]
    assert [m.filename for m in files[1:]] == [
        "P monthly report September 2024.docx",
        "P ledger 30 September 2024.xlsx",
    ]
    paragraphs = _docx_text(files[1].document)
    assert paragraphs[0] == "Progress report on P" and paragraphs[2] == HEADLINE_EN
    assert _sheet(files[2].document)[1][0] == "Code"


async def test_export_report_on_demand_in_private(bot: Bot) -> None:
    await seed(bot)
    bot.clock.set(datetime(2024, 10, 15, 9, 0, tzinfo=SH))
    mark = bot.api.mark()
    bot.api.send_private(LEADER, "/export report 2024-09")
    sent = await bot.answers(LEADER.id, mark)
    assert [m.method for m in sent] == [
        "sendMessage", "sendPhoto", "sendDocument", "sendDocument",
    ]  # fmt: skip
    assert HEADLINE_ZH in sent[0].plain
    assert _docx_text(sent[2].document)[2] == HEADLINE_ZH
    # the on-demand copy does not count as the beat: nothing went to any group
    assert not bot.api.messages_to(GROUP.id)


async def test_owners_next_steps_reach_the_monthly_report(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 9, 23, 10, 0, tzinfo=SH))
    pid = await seed(bot)
    await tick(bot, pid, datetime(2024, 9, 23, 10, 0, tzinfo=SH))
    [to_a] = bot.api.messages_to(OWNER_A.id)
    await bot.press(OWNER_A, to_a, f"ans:{await measure_id(bot, '1.3.2')}:ok")
    await bot.say(OWNER_A, "已完成水厂主体工程。\n下一步：10月底前完成通水验收")
    await bot.press(OWNER_A, bot.api.last_to(OWNER_A.id), button(bot.api.last_to(OWNER_A.id), "p:"))
    prompt = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, prompt, button(prompt, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    assert confirm.plain == "已保存，谢谢。1.3.2进展已更新。"

    bot.clock.set(datetime(2024, 10, 15, 9, 0, tzinfo=SH))
    mark = bot.api.mark()
    bot.api.send_private(LEADER, "/export report 2024-09")
    sent = await bot.answers(LEADER.id, mark)
    [docx_file] = [m for m in sent if m.filename and m.filename.endswith(".docx")]
    paragraphs = _docx_text(docx_file.document)
    steps = paragraphs[paragraphs.index("十一、下一步工作打算") + 1 :]
    assert len(steps) == 1 and steps[0].startswith("1.") and "1.3.2" in steps[0]
    assert steps[0].endswith("10月底前完成通水验收")
    progress = [p for p in paragraphs if "已完成水厂主体工程" in p]
    assert progress and not [p for p in progress if "下一步" in p]
