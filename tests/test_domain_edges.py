"""Small domain rules at their edges, from the survivors of the domain's mutation run."""

from __future__ import annotations

from datetime import UTC, date, datetime

from core.domain.absence import cut_short
from core.domain.binder import parts
from core.domain.replay import OUTCOME, Recorded, closings, outcomes

DAY = date(2025, 3, 10)
AT = datetime(2025, 3, 10, 2, tzinfo=UTC)


def test_parts_fill_up_to_the_limit_exactly() -> None:
    assert parts([4, 6, 1], limit=10) == [[0, 1], [2]]  # 4 + 6 is the limit: one part
    assert parts([10, 1], limit=10) == [[0], [1]]
    assert parts([3, 3, 5, 5], limit=10) == [[0, 1], [2, 3]]
    assert parts([11, 2], limit=10) == [[0], [1]]  # a big file alone


def test_an_absence_not_begun_ends_before_it_starts() -> None:
    today = date(2025, 3, 10)
    assert cut_short(today, date(2025, 3, 20), today) == (date(2025, 3, 9), date(2025, 3, 9))
    assert cut_short(date(2025, 3, 1), date(2025, 3, 20), today) == (
        date(2025, 3, 1), date(2025, 3, 9),
    )  # fmt: skip


def test_a_closing_is_dated_by_its_closed_on_else_the_event() -> None:
    events = [
        Recorded(1, "measure.signoff_approve", AT, DAY, {"closed_on": "2025-02-28"}),
        Recorded(2, "measure.signoff_approve", AT, DAY, {}),
        Recorded(3, "measure.signoff_reject", AT, DAY, {"closed_on": "2025-02-28"}),
    ]
    assert closings(events) == [(1, date(2025, 2, 28)), (2, DAY)]


def test_an_outcome_without_title_or_number_has_empty_ones() -> None:
    [bare, full] = outcomes(
        [
            Recorded(1, OUTCOME, AT, DAY, {}),
            Recorded(
                2, OUTCOME, AT, DAY, {"title": "制度", "number": "3号", "issued_on": "2025-03-01"}
            ),
        ]
    )
    assert (bare.title, bare.number, bare.issued_on, bare.file) == ("", "", DAY, "")
    assert (full.title, full.number, full.issued_on) == ("制度", "3号", date(2025, 3, 1))
