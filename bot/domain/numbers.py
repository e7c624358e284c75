"""Strict whole numbers from text: ASCII digits only, so int() never sees '²' or '٣'."""

from __future__ import annotations

import re

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
