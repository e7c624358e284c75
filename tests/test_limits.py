"""Telegram's limits: the bot's side (core.render.limits) and the fake server's (bot/sandbox/limits.py)."""

from __future__ import annotations

from datetime import date

import fakebot
import pytest
from fakebot import FakeTelegram, User
from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup
from telegram.error import BadRequest

import bot.sandbox.limits as fake
from bot import commands
from core.domain.model import MeasureFacts, Status
from core.i18n import LOCALES, tr
from core.render import limits
from core.render.keyboards import PAGE_SIZE, measures_keyboard

fake_api = fakebot.fake_api
EMOJI = "🔴"  # outside the BMP: two UTF-16 code units


def test_utf16_counts_like_telegram() -> None:
    assert limits.utf16_len("整改") == 2
    assert limits.utf16_len(EMOJI) == 2
    assert limits.utf16_len("a" + EMOJI) == 3


def test_message_text_split_in_utf16_at_line_breaks() -> None:
    line = EMOJI * 100  # 200 units, 100 characters
    text = "\n".join([line] * 41)  # 8240 units
    chunks = limits.split_text(text)
    assert all(1 <= limits.utf16_len(c) <= limits.MESSAGE_TEXT[1] for c in chunks)
    assert len(chunks) == 3 and "\n".join(chunks) == text


def test_a_long_line_is_cut_at_a_word_boundary() -> None:
    words = " ".join(["rectification"] * 400)  # 5599 characters, no line break
    chunks = limits.split_text(words)
    assert len(chunks) == 2
    assert all(c.split() == ["rectification"] * len(c.split()) for c in chunks)
    assert sum(len(c.split()) for c in chunks) == 400


def test_chinese_is_cut_at_a_clause() -> None:
    clause = "推进城市供水管网延伸工程，"
    text = clause * 400
    chunks = limits.split_text(text)
    assert all(c.endswith("，") for c in chunks[:-1])
    assert "".join(chunks) == text


def test_fit_trims_at_a_word_with_an_ellipsis() -> None:
    assert limits.fit("short", 10) == "short"
    assert limits.fit("the responsible leader follows up", 20) == "the responsible…"
    assert (
        limits.fit("建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题", 16)
        == "建成虎峰山乡镇水厂并投用，…"
    )
    cut = limits.fit(EMOJI * 10, 7)
    assert limits.utf16_len(cut) <= 7 and cut.endswith("…")


def test_callback_answer_fits_200_characters() -> None:
    text = "这是一条很长的提示，" * 40
    cut = limits.fit(text, limits.CALLBACK_ANSWER[1], count="chars")
    assert len(cut) <= 200 and cut.endswith("，…")


def test_callback_data_is_1_to_64_bytes() -> None:
    assert limits.data_fits("m:1")
    assert limits.data_fits("x" * 64)
    assert not limits.data_fits("x" * 65)
    assert not limits.data_fits("")
    assert not limits.data_fits("整" * 22)  # 66 bytes of UTF-8


def _facts(n: int) -> list[tuple[int, MeasureFacts]]:
    return [
        (
            i,
            MeasureFacts(
                code=f"{i}.1",
                text="推进城市供水管网延伸工程，年内全覆盖解决群众饮水问题",
                area_number=1,
                area="A",
                problem="P",
                leader="",
                lead_unit="U",
                owner="O",
                deadline=date(2024, 12, 31),
                status=Status.IN_PROGRESS,
            ),
        )
        for i in range(1, n + 1)
    ]


@pytest.mark.parametrize("n", [1, PAGE_SIZE, PAGE_SIZE + 1, 120, 1000])
def test_measure_keyboards_stay_under_100_buttons(n: int) -> None:
    items, t = _facts(n), tr("zh_CN")
    pages = limits.page(n, PAGE_SIZE, 0).count
    for number in range(pages):
        keyboard = measures_keyboard(
            t, items, date(2024, 9, 30), scope="open", person_id=1, number=number
        )
        assert keyboard is not None
        buttons = [b for row in keyboard.inline_keyboard for b in row]
        assert len(buttons) <= limits.INLINE_BUTTONS
        assert all(limits.data_fits(str(b.callback_data)) for b in buttons)
        assert all(len(b.text) <= 32 for b in buttons)
    assert pages == -(-n // PAGE_SIZE)


def test_paging_clamps() -> None:
    assert limits.page(25, 10, 9) == limits.Page(20, 25, 2, 3)
    assert limits.page(0, 10, 0) == limits.Page(0, 0, 0, 1)


@pytest.mark.parametrize("locale", [*LOCALES])
def test_command_menus_meet_the_command_limits(locale: str) -> None:
    for menu in (commands.PRIVATE, commands.GROUP):
        listed = commands.menu(locale, menu)
        assert len(listed) <= limits.COMMANDS_PER_SCOPE
        for cmd in listed:
            assert limits.COMMAND_NAME.fullmatch(cmd.command)
            low, high = limits.COMMAND_DESCRIPTION
            assert limits.COMMAND_DESCRIPTION_SAFE_MIN <= len(cmd.description) <= high >= low


# ---- the fake server's side: one check per documented limit ---------------------------------


def _refused(check: object, *args: object) -> str:
    with pytest.raises(fake.ApiError) as err:
        check(*args)  # type: ignore[operator]
    return err.value.description


def test_fake_message_text_limit() -> None:
    fake.check_text("a" * 4096)
    fake.check_text(EMOJI * 2048)
    assert _refused(fake.check_text, EMOJI * 2049) == "Bad Request: message is too long"
    assert _refused(fake.check_text, " ") == "Bad Request: message text is empty"


def test_fake_caption_limit() -> None:
    fake.check_caption("")
    fake.check_caption("a" * 1024)
    assert _refused(fake.check_caption, EMOJI * 513) == "Bad Request: message caption is too long"


def test_fake_callback_data_and_button_count() -> None:
    row = [{"text": "x", "callback_data": "d" * 64}]
    fake.check_markup({"inline_keyboard": [row] * 100})
    assert _refused(fake.check_markup, {"inline_keyboard": [row] * 101}) == (
        "Bad Request: reply markup is too long"
    )
    too_long = {"inline_keyboard": [[{"text": "x", "callback_data": "d" * 65}]]}
    assert _refused(fake.check_markup, too_long) == "Bad Request: BUTTON_DATA_INVALID"


def test_fake_callback_answer_limit() -> None:
    fake.check_callback_answer("a" * 200)
    assert _refused(fake.check_callback_answer, "a" * 201) == "Bad Request: MESSAGE_TOO_LONG"


def test_fake_command_limits() -> None:
    fake.check_commands([{"command": "a" * 32, "description": "d" * 256}])
    bad_name = [{"command": "Help", "description": "ok"}]
    assert _refused(fake.check_commands, bad_name) == "Bad Request: BOT_COMMAND_INVALID"
    long_name = [{"command": "a" * 33, "description": "ok"}]
    assert _refused(fake.check_commands, long_name) == "Bad Request: BOT_COMMAND_INVALID"
    empty = [{"command": "a", "description": ""}]
    assert _refused(fake.check_commands, empty) == (
        "Bad Request: command description must be non-empty"
    )
    assert _refused(fake.check_commands, [{"command": "a", "description": "d" * 257}])


def test_fake_media_group_limit() -> None:
    fake.check_album([{}] * 2)
    fake.check_album([{}] * 10)
    assert _refused(fake.check_album, []) == "Bad Request: there are no messages to send"
    assert _refused(fake.check_album, [{}] * 11) == (
        "Bad Request: too many messages to send as an album"
    )


def test_fake_file_limits() -> None:
    fake.check_upload(limits.UPLOAD_BYTES)
    with pytest.raises(fake.ApiError) as err:
        fake.check_upload(limits.UPLOAD_BYTES + 1)
    assert (err.value.code, err.value.description) == (413, "Request Entity Too Large")
    fake.check_download(limits.DOWNLOAD_BYTES)
    assert _refused(fake.check_download, limits.DOWNLOAD_BYTES + 1) == (
        "Bad Request: file is too big"
    )


async def test_fake_server_answers_400_over_http(fake_api: FakeTelegram) -> None:
    user = User(5, "U")
    fake_api.introduce(user)
    async with Bot(token=fake_api.token, base_url=fake_api.base_url) as bot:
        with pytest.raises(BadRequest, match="Message is too long"):
            await bot.send_message(user.id, "整" * 4097)
        many = [[InlineKeyboardButton(str(i), callback_data=str(i))] for i in range(101)]
        with pytest.raises(BadRequest, match="Reply markup is too long"):
            await bot.send_message(user.id, "x", reply_markup=InlineKeyboardMarkup(many))
        assert await bot.send_message(user.id, "整" * 4096)
    assert [m.method for m in fake_api.sent] == ["sendMessage"]
