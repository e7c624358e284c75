"""The fake Bot API server works with a real PTB Application; the network guard holds."""

from __future__ import annotations

import asyncio
import socket
import time
from collections.abc import AsyncIterator
from typing import Any

import fakebot
import httpx
import pytest
import pytest_asyncio
from fakebot import BOT_ID, BOT_TOKEN, Chat, FakeTelegram, SentMessage, User, polling
from pytest_socket import SocketConnectBlockedError
from telegram import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    Update,
)
from telegram.error import BadRequest, Forbidden
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

App = Application[Any, Any, Any, Any, Any, Any]
Ctx = ContextTypes.DEFAULT_TYPE

fake_api = fakebot.fake_api
ALICE = User(101, "Alice", username="alice")
BOB = User(102, "Bob", language_code="en")
GROUP = Chat(-100500, "supergroup", "Rectification")


async def _start(update: Update, context: Ctx) -> None:
    assert update.message is not None
    payload = " ".join(context.args or []) or "-"
    keyboard = InlineKeyboardMarkup([[InlineKeyboardButton("Done", callback_data="done:1")]])
    await update.message.reply_text(f"hello {payload}", reply_markup=keyboard)


async def _done(update: Update, context: Ctx) -> None:
    query = update.callback_query
    assert query is not None
    await query.answer("ok")
    await query.edit_message_text(f"pressed {query.data}")


async def _document(update: Update, context: Ctx) -> None:
    assert update.message is not None
    attachment = update.message.document or update.message.photo[-1]
    data = await (await context.bot.get_file(attachment.file_id)).download_as_bytearray()
    context.bot_data["downloaded"] = bytes(data)
    await update.message.reply_text(f"got {len(data)} bytes")


async def _report(update: Update, context: Ctx) -> None:
    assert update.message is not None
    await update.message.reply_document(b"a,b\n1,2\n", filename="report.csv", caption="Report")


async def _slow(update: Update, context: Ctx) -> None:
    assert update.message is not None
    await asyncio.sleep(0.1)  # kept: a slow handler is what the waiting helpers must wait for
    await update.message.reply_text("slow")


async def _summary(update: Update, context: Ctx) -> None:
    assert update.message is not None
    await update.message.reply_text("summary")


@pytest_asyncio.fixture
async def app(fake_api: FakeTelegram) -> AsyncIterator[App]:
    """A tiny real Application polling the fake server."""
    application: App = (
        ApplicationBuilder()
        .token(BOT_TOKEN)
        .base_url(fake_api.base_url)
        .base_file_url(fake_api.base_file_url)
        .rate_limiter(AIORateLimiter())
        .build()
    )
    application.add_handler(CommandHandler("start", _start))
    application.add_handler(
        CommandHandler(["summary", "report"], _summary, filters.ChatType.GROUPS)
    )
    application.add_handler(CommandHandler("report", _report))
    application.add_handler(CommandHandler("slow", _slow))
    application.add_handler(CallbackQueryHandler(_done, pattern=r"^done:"))
    application.add_handler(MessageHandler(filters.Document.ALL | filters.PHOTO, _document))
    async with polling(application):
        yield application


async def test_start_reaches_the_user(fake_api: FakeTelegram, app: App) -> None:
    sent = fake_api.send_start(ALICE, "inv-42")
    (reply,) = await fake_api.wait_for(ALICE.id)
    assert app.bot.id == BOT_ID and app.bot.username == "cadence_test_bot"
    assert (reply.text, reply.method, reply.chat_id) == ("hello inv-42", "sendMessage", ALICE.id)
    assert reply.buttons == fake_api.buttons(reply) == [("Done", "done:1")]
    assert sent["entities"] == [{"type": "bot_command", "offset": 0, "length": 6}]
    assert reply.message_id == sent["message_id"] + 1
    assert fake_api.last_to(ALICE.id) is reply


async def test_button_press_answers_and_edits(fake_api: FakeTelegram, app: App) -> None:
    fake_api.send_start(ALICE)
    (menu,) = await fake_api.wait_for(ALICE.id)
    query = fake_api.click(ALICE, menu, "Done")
    await fake_api.wait_until(lambda: bool(menu.history))
    assert fake_api.answer_to(query) == {"callback_query_id": query["id"], "text": "ok"}
    assert [p["callback_query_id"] for p in fake_api.calls("answerCallbackQuery")] == [query["id"]]
    assert (menu.text, menu.reply_markup, menu.method) == (
        "pressed done:1",
        None,
        "editMessageText",
    )
    assert menu.history[0].text == "hello -" and menu.history[0].reply_markup is not None


async def test_forged_callback_data_gets_no_answer(fake_api: FakeTelegram, app: App) -> None:
    fake_api.send_start(ALICE)
    (menu,) = await fake_api.wait_for(ALICE.id)
    query = fake_api.press(ALICE, menu, "forged:999")
    await fake_api.settle()
    assert fake_api.answer_to(query) is None and not menu.history
    assert fake_api.since(fake_api.mark()) == [] and len(fake_api.sent) == 1


async def test_uploaded_document_is_downloaded(fake_api: FakeTelegram, app: App) -> None:
    content = bytes(range(256)) * 40
    message = fake_api.upload_document(ALICE, "ledger.xlsx", content, caption="week 3")
    (reply,) = await fake_api.wait_for(ALICE.id)
    assert reply.text == f"got {len(content)} bytes"
    assert app.bot_data["downloaded"] == content
    assert message["document"]["file_name"] == "ledger.xlsx" and message["caption"] == "week 3"
    assert "spreadsheetml" in message["document"]["mime_type"]


async def test_uploaded_photo_is_downloaded(fake_api: FakeTelegram, app: App) -> None:
    fake_api.upload_photo(ALICE, b"\xff\xd8jpeg-bytes")
    await fake_api.wait_for(ALICE.id)
    assert app.bot_data["downloaded"] == b"\xff\xd8jpeg-bytes"


async def test_bot_document_is_stored(fake_api: FakeTelegram, app: App) -> None:
    fake_api.send_private(ALICE, "/report")
    (doc,) = await fake_api.wait_for(lambda m: m.method == "sendDocument")
    assert (doc.document, doc.filename, doc.text) == (b"a,b\n1,2\n", "report.csv", "Report")
    file = await app.bot.get_file(doc.raw["document"]["file_id"])
    assert await file.download_as_bytearray() == bytearray(b"a,b\n1,2\n")


async def test_group_command_with_bot_name(fake_api: FakeTelegram, app: App) -> None:
    sent = fake_api.send_group(GROUP, ALICE, "/summary@cadence_test_bot now")
    (reply,) = await fake_api.wait_for(GROUP.id)
    assert sent["entities"][0]["length"] == len("/summary@cadence_test_bot")
    assert reply.text == "summary" and reply.reply_to == sent["message_id"]
    assert reply.raw["reply_to_message"]["from"]["id"] == ALICE.id


async def test_privacy_mode_filters_group_chatter(fake_api: FakeTelegram, app: App) -> None:
    fake_api.privacy_mode = True
    fake_api.send_group(GROUP, ALICE, "just chatting")
    fake_api.send_group(GROUP, ALICE, "/summary")
    await fake_api.wait_for(GROUP.id)
    assert [list(u) for u in fake_api.updates] == [["update_id", "message"]]


async def test_other_methods_parse_in_ptb(fake_api: FakeTelegram, app: App) -> None:
    fake_api.introduce(ALICE, GROUP)
    fake_api.members[(GROUP.id, ALICE.id)] = "administrator"
    photo = fake_api.upload_photo(ALICE, b"png", "look")["photo"][-1]["file_id"]
    await fake_api.settle()
    assert (await app.bot.get_chat(GROUP.id)).title == "Rectification"
    member = await app.bot.get_chat_member(GROUP.id, ALICE.id)
    assert member.status == "administrator" and member.user.first_name == "Alice"
    assert (await app.bot.get_chat_member(GROUP.id, BOT_ID)).user.is_bot
    sent = await app.bot.send_photo(GROUP.id, photo, caption="again")
    assert fake_api.last_to(GROUP.id).photo == b"png" and sent.caption == "again"
    assert await app.bot.delete_message(GROUP.id, sent.message_id)
    assert fake_api.last_to(GROUP.id).deleted and await app.bot.set_chat_menu_button()
    assert await app.bot.send_chat_action(ALICE.id, "typing")


async def test_blocked_user_raises_forbidden(fake_api: FakeTelegram, app: App) -> None:
    fake_api.blocked.add(BOB.id)
    with pytest.raises(Forbidden, match="bot was blocked by the user"):
        await app.bot.send_message(BOB.id, "weekly dispatch")
    assert fake_api.messages_to(BOB.id) == []


async def test_unknown_private_chat_is_configurable(fake_api: FakeTelegram, app: App) -> None:
    await app.bot.send_message(555, "allowed by default")
    fake_api.allow_unknown_chats = False
    with pytest.raises(Forbidden, match="can't initiate conversation"):
        await app.bot.send_message(556, "hi")
    fake_api.introduce(User(556, "Carol"))
    assert (await app.bot.send_message(556, "hi")).chat.first_name == "Carol"


async def test_telegram_like_bad_requests(fake_api: FakeTelegram, app: App) -> None:
    msg = await app.bot.send_message(ALICE.id, "<b>bold</b> &amp; more", parse_mode="HTML")
    assert msg.text == "bold & more" and fake_api.last_to(ALICE.id).plain == "bold & more"
    with pytest.raises(BadRequest, match="not modified"):
        await app.bot.edit_message_text(
            "<b>bold</b> &amp; more", ALICE.id, msg.message_id, parse_mode="HTML"
        )
    with pytest.raises(BadRequest, match=r"(?i)can't parse entities"):
        await app.bot.send_message(ALICE.id, "<b>unclosed", parse_mode="HTML")
    with pytest.raises(BadRequest, match=r"(?i)button_data_invalid"):
        big = InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data="x" * 65)]])
        await app.bot.send_message(ALICE.id, "too much data", reply_markup=big)
    with pytest.raises(BadRequest, match=r"(?i)invalid file_id"):
        await app.bot.get_file("nope")


async def test_commands_are_stored_per_scope_and_language(fake_api: FakeTelegram, app: App) -> None:
    scope = BotCommandScopeAllPrivateChats()
    await app.bot.set_my_commands([BotCommand("help", "Help")], scope=scope, language_code="en")
    assert fake_api.commands_for("all_private_chats", "en") == [
        {"command": "help", "description": "Help"}
    ]
    assert fake_api.commands_for("all_private_chats") == []
    assert [c.command for c in await app.bot.get_my_commands(scope, "en")] == ["help"]
    await app.bot.delete_my_commands(scope, "en")
    assert await app.bot.get_my_commands(scope, "en") == ()


async def test_settle_and_wait_for_since(fake_api: FakeTelegram, app: App) -> None:
    fake_api.send_private(ALICE, "unhandled chatter")
    await fake_api.settle()
    assert fake_api.sent == []
    fake_api.send_private(ALICE, "/slow")
    await fake_api.settle()
    assert fake_api.last_to(ALICE.id).text == "slow"
    mark = fake_api.mark()
    fake_api.send_start(ALICE)
    fake_api.send_start(BOB)
    replies = await fake_api.wait_for(count=2, since=mark)
    assert (
        {m.chat_id for m in replies}
        == {ALICE.id, BOB.id}
        == {m.chat_id for m in fake_api.since(mark)}
    )
    assert isinstance(replies[0], SentMessage)


async def test_http_errors_look_like_telegram(fake_api: FakeTelegram) -> None:
    async with httpx.AsyncClient(base_url=f"http://127.0.0.1:{fake_api.port}") as client:
        me = (await client.get(f"/bot{BOT_TOKEN}/GETME")).json()
        unauthorized = await client.post("/bot1:WRONG/getMe")
        missing = await client.post(f"/bot{BOT_TOKEN}/noSuchMethod")
    assert me == {"ok": True, "result": fake_api.bot_user}
    assert unauthorized.status_code == 401
    assert unauthorized.json() == {"ok": False, "error_code": 401, "description": "Unauthorized"}
    assert missing.json() == {"ok": False, "error_code": 404, "description": "Not Found"}


BLOCKED_WARNING = "ignore:A test tried to use socket:UserWarning"


@pytest.mark.filterwarnings(BLOCKED_WARNING)
@pytest.mark.parametrize(
    "address", [("10.1.2.3", 80), ("::ffff:127.0.0.1", 80, 0, 0), ("127.0.0.2", 80), ("::2", 80)]
)
def test_connections_off_loopback_are_refused(address: tuple[Any, ...]) -> None:
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    began = time.monotonic()
    with socket.socket(family) as sock, pytest.raises(SocketConnectBlockedError):
        sock.settimeout(0.5)
        sock.connect(address)
    with pytest.raises(SocketConnectBlockedError):
        socket.create_connection(address[:2], timeout=0.5)
    assert time.monotonic() - began < 0.4  # refused at once, not after a network timeout


@pytest.mark.filterwarnings(BLOCKED_WARNING)
async def test_async_clients_cannot_leave_loopback(fake_api: FakeTelegram) -> None:
    with pytest.raises(SocketConnectBlockedError):
        await asyncio.wait_for(asyncio.open_connection("10.1.2.3", 80), 0.5)
    with pytest.raises(BaseExceptionGroup) as group:  # anyio's happy eyeballs wrap it
        async with httpx.AsyncClient(timeout=0.5) as client:
            await client.get("http://10.1.2.3/")
    assert group.group_contains(SocketConnectBlockedError)
    for host in ("127.0.0.1", "localhost"):
        _, writer = await asyncio.open_connection(host, fake_api.port)
        writer.close()
        await writer.wait_closed()


@pytest.mark.filterwarnings(BLOCKED_WARNING)  # the inner run inherits our filters
def test_a_test_that_connects_off_loopback_fails(pytester: pytest.Pytester) -> None:
    pytester.makepyfile(
        """
        import socket

        def test_reaches_out():
            socket.create_connection(("192.0.2.1", 443), timeout=0.5)

        def test_stays_home():
            with socket.socket() as server:
                server.bind(("127.0.0.1", 0))
                server.listen()
                socket.create_connection(server.getsockname(), timeout=0.5).close()
        """
    )
    result = pytester.runpytest_inprocess("-p", "no:asyncio", "--allow-hosts=127.0.0.1,::1")
    result.assert_outcomes(passed=1, failed=1)
    result.stdout.fnmatch_lines(['*SocketConnectBlockedError*host "192.0.2.1"*'])
