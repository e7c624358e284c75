"""End to end: figures and words the documents show (issue 22): 立行立改 rows, look-back words."""

from __future__ import annotations

import io
from datetime import datetime

import docx
import openpyxl
from conftest import ADMIN, SH, Bot, button, sample

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
