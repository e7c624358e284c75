"""Chinese numerals in ledger codes, read straight (code_key caches them: a cached key hides a
change to the rule from every later caller in the process, mutmut's forked runs among them)."""

from __future__ import annotations

import pytest

from core.domain.model import chinese_number, code_key


@pytest.mark.parametrize(
    ("text", "value"),
    [("一", 1), ("九", 9), ("十", 10), ("十一", 11), ("二十", 20), ("两百", 200),
     ("一百零五", 105), ("三千零二十", 3020), ("二〇二四", 2024), ("零", 0)],
)  # fmt: skip
def test_chinese_number(text: str, value: int) -> None:
    assert chinese_number(text) == value


def test_code_key_reads_numerals_as_numbers() -> None:
    key = code_key.__wrapped__  # the rule itself, not a cached answer
    assert key("十一、") == ((0, 11, ""), (1, 0, "、"))
    assert key("（二）1.2") == (
        (1, 0, "("),
        (0, 2, ""),
        (1, 0, ")"),
        (0, 1, ""),
        (1, 0, "."),
        (0, 2, ""),
    )
    assert key("A-10") == ((1, 0, "a-"), (0, 10, ""))
