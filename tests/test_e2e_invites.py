"""End to end: /invites sends one message per unit and a workbook of person, unit, role, link."""

from __future__ import annotations

import io

import openpyxl
from conftest import ADMIN, Bot
from rhythm_support import seed


async def test_invites_per_unit_and_workbook(bot: Bot) -> None:
    await seed(bot)
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/invites")
    sent = await bot.answers(ADMIN.id, mark)
    intro, *units, book = sent
    assert intro.plain == (
        "共21个邀请链接（14天内有效，每个链接仅限使用一次），以下按单位分条发送，便于转发，并附汇总表。"
        "下一步：请将链接分别发给本人。首次每周调度将于10月8日（周二）9:00发送给届时已绑定的人员。"
    )
    titles = [u.plain.split("\n")[0] for u in units]
    assert titles[:3] == ["责任领导及其他未列单位的人员", "党工委办公室", "党群工作部"]
    assert len(units) == 15 and "城市管理局" not in titles  # its liaison is bound already
    lines = [line for u in units for line in u.plain.split("\n")[1:]]
    assert len(lines) == 21
    assert lines[0].startswith("党工委书记（责任领导）：https://t.me/cadence_test_bot?start=")
    assert (book.method, book.filename) == ("sendDocument", "邀请链接.xlsx")
    ws = openpyxl.load_workbook(io.BytesIO(book.document or b"")).worksheets[0]
    rows = [[c.value for c in row] for row in ws.iter_rows()]
    assert rows[0] == ["人员", "单位", "角色", "链接"]
    assert len(rows) == 22
    by_name = {r[0]: r for r in rows[1:]}
    liaison = by_name["党群工作部联络员"]
    assert liaison[1:3] == ["党群工作部", "责任人"]
    assert f"{liaison[0]}（责任人）：{liaison[3]}" in lines
