"""Units: percentages as people type them, codes named in free text, dispatch replies told apart."""

from __future__ import annotations

from datetime import date

import pytest
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.domain.model import MeasureFacts, Status
from core.domain.numbers import PercentProblem, chinese_int, read_percent
from core.render import callback_codec as codec
from core.render import callbacks
from handlers.dead_ends import named, replies_answer


@pytest.mark.parametrize(
    ("typed", "value"),
    [
        ("40", 40),
        ("40%", 40),
        ("40％", 40),
        (" 40 % ", 40),
        ("４０", 40),
        ("百分之四十", 40),
        ("百分之40", 40),
        ("百分之百", 100),
        ("四成", 40),
        ("十成", 100),
        ("0", 0),
        ("100", 100),
        ("0.4", PercentProblem.FRACTION),
        (".5", PercentProblem.FRACTION),
        ("1.5", PercentProblem.UNREADABLE),
        ("120", PercentProblem.RANGE),
        ("-5", PercentProblem.RANGE),
        ("十一成", PercentProblem.RANGE),
        ("²", PercentProblem.UNREADABLE),
        ("很多", PercentProblem.UNREADABLE),
        ("", PercentProblem.UNREADABLE),
    ],
)
def test_read_percent(typed: str, value: int | PercentProblem) -> None:
    assert read_percent(typed) == value


@pytest.mark.parametrize(
    ("text", "value"),
    [("零", 0), ("九", 9), ("十", 10), ("十五", 15), ("四十", 40), ("九十九", 99), ("一百", 100)],
)
def test_chinese_int(text: str, value: int) -> None:
    assert chinese_int(text) == value


@pytest.mark.parametrize("text", ["", "十十", "一千", "四十四四", "abc"])
def test_chinese_int_refuses(text: str) -> None:
    assert chinese_int(text) is None


def _facts(code: str) -> MeasureFacts:
    return MeasureFacts(
        code=code,
        text="t",
        area_number=1,
        area="a",
        problem="p",
        leader="l",
        lead_unit="u",
        owner="o",
        deadline=date(2024, 12, 31),
        status=Status.IN_PROGRESS,
    )


def test_named_matches_whole_codes_only() -> None:
    mine = [(1, _facts("1.3.3")), (2, _facts("1.3.31")), (3, _facts("2.1"))]
    assert [i for i, _ in named("1.3.3 本周又铺设了1公里", mine)] == [1]
    assert [i for i, _ in named("关于1.3.31的进展", mine)] == [2]
    assert [i for i, _ in named("本周完成2.1.", mine)] == [3]
    assert named("本周又铺设了1公里", mine) == []


def test_dispatch_buttons_mark_a_message_one_may_reply_to() -> None:
    def markup(data: str) -> InlineKeyboardMarkup:
        return InlineKeyboardMarkup([[InlineKeyboardButton("x", callback_data=data)]])

    assert replies_answer(markup(callbacks.Listed(5).pack()))
    assert not replies_answer(markup(callbacks.Open(5).pack()))
    assert not replies_answer(markup(callbacks.Import("keep", "0123456789abcdef").pack()))
    assert not replies_answer(None)
    # a Listed button is an Open one to the handlers that open measures
    assert codec.pattern(callbacks.Open)(callbacks.Listed(5).pack())
    assert not codec.pattern(callbacks.Listed)(callbacks.Open(5).pack())
