"""A month as people type it (pure rule)."""

from __future__ import annotations

from datetime import date

import pytest

from core.domain.months import read_month

TODAY = date(2024, 11, 5)


@pytest.mark.parametrize(
    ("typed", "month"),
    [
        ("2024-09", (2024, 9)),
        ("2024年9月", (2024, 9)),
        ("2024.10", (2024, 10)),
        ("10月", (2024, 10)),
        ("12月", (2023, 12)),  # December has not come this year: last year's
        ("11月", (2023, 11)),  # this month has not ended
        ("September", (2024, 9)),
        ("Sep 2023", (2023, 9)),
        ("13月", None),
        ("next", None),
    ],
)
def test_read_month(typed: str, month: tuple[int, int] | None) -> None:
    assert read_month(typed, TODAY) == month
