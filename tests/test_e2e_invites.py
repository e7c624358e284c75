"""End to end: /invites sends one message per unit and a workbook of person, unit, role, link."""

from __future__ import annotations

import io

import openpyxl
from conftest import ADMIN, Bot, make_app
from fakebot import SentMessage
from rhythm_support import OWNER_A, seed

from bot.lifecycle import start_app, stop_app
from jobs.pacing import Limits


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


async def test_another_users_my_is_answered_while_invites_still_go_out(bot: Bot) -> None:
    # at Telegram's own pace (a message a second per chat) the 16 messages after the first take
    # 16 s: they go out through the outbox, so the owner's /my does not wait for them
    await seed(bot)
    await stop_app(bot.app)
    bot.app = make_app(bot.settings, bot.clock, Limits())
    await start_app(bot.app, poll_timeout=1)
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/invites")
    await bot.api.wait_until(lambda: len(_to(bot, ADMIN.id, mark)) >= 2, timeout=10)
    asked = bot.api.mark()
    bot.api.send_private(OWNER_A, "/my")
    # within 10 s on a loaded CI worker; the 16 paced messages alone take 16 s, so an answer that
    # waited for them would still be late, and the count below proves /invites was still going out
    await bot.api.wait_until(lambda: len(_to(bot, OWNER_A.id, asked)) >= 1, timeout=10)
    assert _to(bot, OWNER_A.id, asked)[0].plain.startswith("您负责的整改措施")
    assert 2 <= len(_to(bot, ADMIN.id, mark)) < 17  # /invites is still going out
    await bot.settle(timeout=60)
    assert len(_to(bot, ADMIN.id, mark)) == 17  # all of it, once each


def _to(bot: Bot, chat_id: int, mark: int) -> list[SentMessage]:
    return [m for m in bot.api.since(mark) if m.chat_id == chat_id]
