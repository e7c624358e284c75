"""The leaders' board (issue 28): signed initData only, each role sees what it sees in chat,
and a coordinator's decision from the board settles a request once, racing a chat press."""

from __future__ import annotations

import asyncio
import re
from datetime import UTC, datetime, timedelta
from typing import Any

import aiohttp
import pytest
from board_support import Board, init_data, open_board
from conftest import ADMIN, GROUP, SH, TASKFORCE, Bot, button
from fakebot import BOT_TOKEN, User
from rhythm_support import LEADER, OWNER_A, OWNER_B, measure_id, seed, tick
from signoff_support import COORD_B, add_coordinator, step, upload
from sqlmodel import select
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, WebAppInfo
from telegram.error import BadRequest
from test_e2e_digests import group_say

from core.domain.initdata import InitDataError, Refusal, check, sign
from storage import decisions, people
from storage.models import AuditEvent, SignoffRequest

NOW = datetime(2024, 9, 30, 2, 0, tzinfo=UTC)
HOUR = timedelta(hours=1)
STRANGER = User(777, "路人", language_code="zh-hans")
ROSE = User(778, "Rose", language_code="en")
LATER = datetime(2024, 11, 5, 10, 0, tzinfo=SH)  # 1.3.2 and others are overdue by then


def _refusal(data: str, token: str = BOT_TOKEN, now: datetime = NOW) -> Refusal | None:
    try:
        check(data, bot_token=token, now=now, max_age=HOUR)
    except InitDataError as error:
        return error.refusal
    return None


def test_initdata_is_checked_as_telegram_documents() -> None:
    user = {"id": 42, "first_name": "李", "language_code": "zh-hans"}
    good = sign(user, bot_token=BOT_TOKEN, now=NOW - timedelta(minutes=59))
    who = check(good, bot_token=BOT_TOKEN, now=NOW, max_age=HOUR)
    assert (who.user_id, who.first_name, who.language_code) == (42, "李", "zh-hans")
    # Telegram's own example, computed independently: secret = HMAC("WebAppData", token)
    fields = "auth_date=1727661600&query_id=Q&user=%7B%22id%22%3A1%7D"
    import hashlib
    import hmac

    secret = hmac.new(b"WebAppData", b"1:x", hashlib.sha256).digest()
    lines = 'auth_date=1727661600\nquery_id=Q\nuser={"id":1}'
    digest = hmac.new(secret, lines.encode(), hashlib.sha256).hexdigest()
    at = datetime.fromtimestamp(1727661600, UTC)
    assert check(f"{fields}&hash={digest}", bot_token="1:x", now=at, max_age=HOUR).user_id == 1

    assert _refusal(sign(user, bot_token=BOT_TOKEN, now=NOW - HOUR - timedelta(seconds=1))) == (
        Refusal.STALE
    )
    assert _refusal(sign(user, bot_token="999:other-bot", now=NOW)) == Refusal.FORGED
    assert _refusal(good.replace("%E6%9D%8E", "%E7%8E%8B")) == Refusal.FORGED  # another name
    assert _refusal(good + "&user=%7B%22id%22%3A1%7D") == Refusal.FORGED  # a second user
    assert _refusal(good.split("&hash=")[0]) == Refusal.UNSIGNED
    assert _refusal("") == Refusal.UNSIGNED
    assert _refusal("not a query string") == Refusal.UNSIGNED
    assert _refusal("x" * 5000) == Refusal.UNSIGNED


async def _chat_lines(bot: Bot, user: User, text: str) -> list[str]:
    return (await bot.say(user, text)).plain.split("\n")


def _items(board: dict[str, Any]) -> list[str]:
    return [i["line"] for i in board["red"] + board["yellow"]]


async def test_signed_people_see_on_the_board_what_they_see_in_chat(bot: Bot) -> None:
    await seed(bot)
    bot.clock.set(LATER)
    async with aiohttp.ClientSession() as http:
        board = await open_board(bot, http)
        now = bot.clock.now()
        # 401: no header, unsigned, forged, another bot's, stale; 403: signed but not bound
        assert (await board.get("board", None))[0] == 401
        assert (await board.get("board", "user=%7B%22id%22%3A301%7D&auth_date=1"))[0] == 401
        forged = init_data(OWNER_A, now).replace("301", "401", 1)
        assert (await board.get("board", forged)) == (401, {"error": "forged"})
        assert (await board.get("board", init_data(LEADER, now, "999:other")))[0] == 401
        stale = init_data(LEADER, now - timedelta(seconds=3601))
        assert (await board.get("board", stale)) == (401, {"error": "stale"})
        status, body = await board.get("board", init_data(STRANGER, now))
        assert (status, body["error"]) == (403, "您尚未绑定任何整改项目，请先打开邀请链接。")

        await _matrix(bot, board)


async def _matrix(bot: Bot, board: Board) -> None:
    """Every role × every view against what that role reads in chat."""
    m132, m111 = await measure_id(bot, "1.3.2"), await measure_id(bot, "1.1.1")
    for user, sees_all in ((ADMIN, True), (LEADER, True), (OWNER_A, False), (OWNER_B, False)):
        chat = await _chat_lines(bot, user, "/summary")
        shown = await board.as_user(bot, user, "board")
        assert shown["headline"] == chat[1] and shown["lights"] == chat[2]
        # the same red and yellow items, in the same order, as the chat lists them
        listed = [line for line in chat if line[:1] in "🔴🟡" and " · " in line]
        assert _items(shown) == listed and (listed or user is OWNER_B)
        # a tapped area is /summary area N
        area = await board.as_user(bot, user, f"board?area={shown['areas'][0]['number']}")
        chat_area = await _chat_lines(bot, user, f"/summary area {shown['areas'][0]['number']}")
        assert area["headline"] == chat_area[1] and _items(area) == [
            line for line in chat_area if line[:1] in "🔴🟡" and " · " in line
        ]
        # a measure's story carries /history's lines; an owner sees only their own
        for mid, code in ((m132, "1.3.2"), (m111, "1.1.1")):
            status, story = await board.get(f"measure/{mid}", init_data(user, bot.clock.now()))
            history = await _chat_lines(bot, user, f"/history {code}")
            if sees_all or (user is OWNER_A and code == "1.3.2"):
                assert status == 200 and story["history"] == history[1:]
            else:
                assert status == 404 and history[0] in (
                    f"在您可查看的整改措施中没有编号为{code}的措施。",
                    f"No measure {code} among the measures you can see.",
                )
        units = [u["name"] for u in (await board.as_user(bot, user, "units"))["units"]]
        units_in_chat = {g["name"] for g in shown["units"]}
        assert set(units) == units_in_chat
        weeks = (await board.as_user(bot, user, "trend"))["weeks"]
        assert weeks[0]["label"] == (
            "8月26日—9月1日" if user is not OWNER_B else "26 August – 1 September"
        )
        assert len(weeks) == 11
        status, _ = await board.get("pending", init_data(user, bot.clock.now()))
        assert status == (200 if user is ADMIN else 403)
    owner = await board.as_user(bot, OWNER_A, "units")
    assert [u["name"] for u in owner["units"]] == ["城市管理局"]
    leader = await board.as_user(bot, LEADER, "units")
    assert len(leader["units"]) > 5
    # worst first: the most overdue unit heads the list
    overdue = [u["overdue"] for u in leader["units"]]
    assert overdue == sorted(overdue, reverse=True) and overdue[0] > 0


async def _pending_request(bot: Bot) -> tuple[int, int]:
    pid = await seed(bot)
    await add_coordinator(bot, pid, "专班成员乙", COORD_B)
    await tick(bot, pid, datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    await bot.press(OWNER_A, dispatch, f"ans:{await measure_id(bot, '1.3.2')}:done")
    await bot.say(OWNER_A, "水厂已建成投用。")
    await upload(bot, OWNER_A, "验收报告.pdf")
    await step(bot, OWNER_A, "f:")
    await step(bot, OWNER_A, "c:", ":save")
    async with bot.db.session() as s:
        [request_id] = await decisions.pending(s, programme_id=pid)
    return pid, request_id


async def test_approve_on_the_board_racing_a_chat_press_settles_once(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid, request_id = await _pending_request(bot)
    copy = bot.api.last_to(ADMIN.id)
    approve = button(copy, f"dec:{request_id}:", "ok")
    async with aiohttp.ClientSession() as http:
        board = await open_board(bot, http)
        pending = await board.as_user(bot, COORD_B, "pending")
        assert [r["code"] for r in pending["requests"]] == ["1.3.2"]
        assert pending["requests"][0]["text"].startswith("🏁 Sign-off request for 1.3.2\n")
        async with bot.db.session() as s:
            on_board = (await people.person_named(s, programme_id=pid, name="专班成员乙")).id
        # both have read the request as open before either claims it
        arrived: list[int] = []
        both = asyncio.Event()
        real = decisions.claim

        async def racing(session: Any, **kw: Any) -> bool:
            arrived.append(kw["person_id"])
            if len(arrived) == 2:
                both.set()
            await asyncio.wait_for(both.wait(), 10)
            if kw["person_id"] != on_board:
                # kept: the board claims first; waiting on its claim could deadlock (the database
                # may make it wait for the chat's transaction: then the chat's decision stands)
                await asyncio.sleep(0.05)
            return await real(session, **kw)

        monkeypatch.setattr(decisions, "claim", racing)
        query = bot.api.press(ADMIN, copy, approve)
        status, said = await board.post(
            f"pending/{request_id}", init_data(COORD_B, bot.clock.now()), {"approve": True}
        )
        await bot.api.wait_until(lambda: bot.api.answer_to(query) is not None)
        await bot.settle()
    chat_said = str((bot.api.answer_to(query) or {}).get("text", ""))
    assert status == 200
    if said["ok"]:
        assert (
            said["text"] == "Signed off."
            and chat_said == "该申请已由专班成员乙于9月30日10:00处理。"
        )
    else:
        assert (
            said["text"] == "Already decided by Admin at 30 September, 10:00."
            and chat_said == "已同意销号。"
        )
    async with bot.db.session() as s:
        request = await s.get(SignoffRequest, request_id)
        events = (
            await s.exec(select(AuditEvent).where(AuditEvent.action == "measure.signoff_approve"))
        ).all()
    assert request is not None and request.state == "approved" and len(events) == 1
    # the owner hears once, whoever decided
    closed = [
        m for m in bot.api.messages_to(OWNER_A.id) if "销号" in m.plain and "1.3.2" in m.plain
    ]
    assert len([m for m in closed if m.plain.startswith("1.3.2已销号")]) == 1


URL = "https://cadence.example.org/app/"


async def test_the_board_opens_from_summary_and_the_menu_button(bot: Bot) -> None:
    pid = await seed(bot)
    await group_say(bot, ADMIN, "/setup P")
    await group_say(bot, ADMIN, "/setup P taskforce", chat_id=TASKFORCE.id)
    assert bot.api.menu_buttons == {}  # without CADENCE_WEBAPP_URL, no entrance at all
    assert ("📊 打开看板", URL) not in (await bot.say(LEADER, "/summary")).buttons
    update = {"cadence_webapp_url": URL, "cadence_webapp_name": "board"}
    bot.settings = bot.settings.model_copy(update=update)
    await bot.restart()
    await bot.settle()
    web_app = {"type": "web_app", "text": "看板", "web_app": {"url": URL}}
    # per person, in their language: the leader and the coordinator, not the owners
    assert bot.api.menu_buttons == {ADMIN.id: web_app, LEADER.id: web_app}
    assert (await bot.say(LEADER, "/summary")).buttons[-1] == ("📊 打开看板", URL)
    assert (await bot.say(OWNER_B, "/summary")).buttons[-1] == ("📊 Open the board", URL)
    # groups get the Mini App's link (Telegram refuses web_app buttons there): /summary, the
    # review in the task-force chat and the monthly report in the leadership group
    link = ("📊 打开看板", "https://t.me/cadence_test_bot/board")
    mark = bot.api.mark()
    bot.api.send_group(GROUP, LEADER, "/summary")
    [summary] = await bot.answers(GROUP.id, mark)
    assert summary.buttons == [link]
    bot.clock.set(datetime(2024, 10, 8, 11, 0, tzinfo=SH))
    await bot.say(ADMIN, "/use P")
    mark = bot.api.mark()
    await bot.say(ADMIN, "/report")
    report = (await bot.answers(GROUP.id, mark))[0]
    assert report.plain.startswith("📋 P · 2024年9月") and report.buttons == [link]
    mark = bot.api.mark()
    await bot.say(ADMIN, "/review")
    [review] = await bot.answers(TASKFORCE.id, mark)
    assert review.buttons[-1] == link and review.buttons.count(link) == 1
    with pytest.raises(
        BadRequest, match="Button_type_invalid"
    ):  # PTB words Telegram's BUTTON_TYPE_INVALID
        await bot.app.bot.send_message(GROUP.id, "x", reply_markup=_web_app_keyboard())

    # bound later, a coordinator (invite link) or a leader (/people) gets the menu at once
    [token] = re.findall(r"start=(\S+)", (await bot.say(ADMIN, "/invites coordinator 1")).plain)
    await bot.say(ROSE, f"/start {token}")
    web_app_en = {"type": "web_app", "text": "Board", "web_app": {"url": URL}}
    assert bot.api.menu_buttons[ROSE.id] == web_app_en
    assert OWNER_B.id not in bot.api.menu_buttons
    async with bot.db.session() as s:
        builder = (await people.person_named(s, programme_id=pid, name="建设局联络员")).id
    listing = await bot.say(ADMIN, "/people")
    bot.api.press(ADMIN, listing, f"role:{builder}:leader:on")
    await bot.settle()
    assert bot.api.menu_buttons[OWNER_B.id] == web_app_en
    assert len(bot.api.calls("setChatMenuButton")) == 4  # nobody's menu set twice


def _web_app_keyboard() -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[InlineKeyboardButton("看板", web_app=WebAppInfo(URL))]])


async def test_the_board_shows_institutional_outcomes(bot: Bot) -> None:
    await seed(bot)
    await bot.say(OWNER_A, "/outcome 1.3.2")
    await bot.say(OWNER_A, "《城市供水管网运维管理办法》")
    await bot.say(OWNER_A, "高新管发〔2024〕30号")
    await bot.say(OWNER_A, "2024.6.1")
    await step(bot, OWNER_A, "ocs:", ":nofile")
    await step(bot, OWNER_A, "ocs:", ":save")
    m132 = await measure_id(bot, "1.3.2")
    async with aiohttp.ClientSession() as http:
        board = await open_board(bot, http)
        shown = await board.as_user(bot, LEADER, "board")
        assert shown["outcomes"] == "截至9月底，制定优化迭代制度1个，其中本月1个。"
        # an owner counts the rules of their own measures: none of 1.3.2's
        mine = await board.as_user(bot, OWNER_B, "board")
        assert mine["outcomes"] == "As of 30 September, no institutional outcome has been recorded."
        story = await board.as_user(bot, LEADER, f"measure/{m132}")
        assert story["outcomes"] == [
            {
                "title": "《城市供水管网运维管理办法》",
                "number": "高新管发〔2024〕30号",
                "date": "2024年6月1日",
                "text": "《城市供水管网运维管理办法》（高新管发〔2024〕30号，2024年6月1日印发）",
            }
        ]
        other = await board.as_user(bot, LEADER, f"measure/{await measure_id(bot, '1.3.3')}")
        assert other["outcomes"] == []
