"""Strict whole numbers from text: ASCII digits only, so int() never sees '²' or '٣'."""

from __future__ import annotations

import re
from enum import StrEnum

_ASCII_INT = re.compile(r"[0-9]{1,18}")
# full-width digits are what a Chinese keyboard types; they mean the same number
_FULL_WIDTH = str.maketrans("０１２３４５６７８９", "0123456789")


def ascii_int(text: str, low: int, high: int) -> int | None:
    """The value of a plain ASCII decimal in [low, high], else None (no sign, no spaces)."""
    if not _ASCII_INT.fullmatch(text):
        return None
    value = int(text)
    return value if low <= value <= high else None


def typed_int(text: str, low: int, high: int) -> int | None:
    """A number a person typed: surrounding spaces and full-width digits allowed, nothing else."""
    return ascii_int(text.strip().translate(_FULL_WIDTH), low, high)


_DIGIT = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5}
_DIGIT |= {"六": 6, "七": 7, "八": 8, "九": 9}
_FRACTION = re.compile(r"[0-9]*\.[0-9]+")


class PercentProblem(StrEnum):
    """Why a typed percentage was not taken."""

    FRACTION = "fraction"  # 0.4: a share, not a percentage
    RANGE = "range"  # 120, -5, 十一成
    UNREADABLE = "unreadable"


def chinese_int(text: str) -> int | None:
    """0–100 written in Chinese numerals (四十, 十五, 一百), else None."""
    if text in ("百", "一百"):
        return 100
    if text in _DIGIT:
        return _DIGIT[text]
    tens, ten, ones = text.partition("十")
    if not ten or len(tens) > 1 or len(ones) > 1:
        return None
    high = 1 if not tens else _DIGIT.get(tens)
    low = 0 if not ones else _DIGIT.get(ones)
    return None if high is None or low is None else high * 10 + low


def _number(text: str) -> int | None:
    """A whole number typed in ASCII, full-width or Chinese numerals (no range check)."""
    value = typed_int(text, 0, 10**6)
    return value if value is not None else chinese_int(text)


def read_percent(text: str) -> int | PercentProblem:
    """A percentage as people type it: 40, 40%, 40％, 百分之四十, 四成; 0.4 is a problem."""
    s = "".join(text.split()).translate(_FULL_WIDTH)
    if s.startswith("-"):
        return PercentProblem.RANGE
    if _FRACTION.fullmatch(s):
        return PercentProblem.FRACTION if float(s) <= 1 else PercentProblem.UNREADABLE
    if s.endswith("成"):
        tenths = _number(s[:-1])
        if tenths is None:
            return PercentProblem.UNREADABLE
        return tenths * 10 if tenths <= 10 else PercentProblem.RANGE
    body = s.removeprefix("百分之") if s.startswith("百分之") else s.removesuffix("%")
    body = body.removesuffix("％") if body == s else body
    value = _number(body)
    if value is None:
        return PercentProblem.UNREADABLE
    return value if value <= 100 else PercentProblem.RANGE
