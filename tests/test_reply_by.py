"""By when a dispatch or a reminder asks for an answer (pure rule)."""

from __future__ import annotations

from datetime import datetime

from conftest import SH

from core.domain.model import Beat
from core.domain.periods import Rhythm
from core.domain.reply_by import reply_by

R = Rhythm()


def test_a_dispatch_asks_before_its_reminder() -> None:
    sent = datetime(2024, 9, 23, 10, 0, tzinfo=SH)  # Monday
    assert reply_by(R, Beat.DISPATCH, sent) == datetime(2024, 9, 25, 9, 0, tzinfo=SH)


def test_a_dispatch_whose_reminder_falls_after_its_week_asks_before_the_review() -> None:
    # Monday 30 September: the National Day holiday puts the reminder after the week's end
    sent = datetime(2024, 9, 30, 9, 0, tzinfo=SH)
    ends = datetime(2024, 10, 8, 9, 0, tzinfo=SH)
    assert reply_by(R, Beat.DISPATCH, sent, ends) == datetime(2024, 10, 9, 16, 0, tzinfo=SH)


def test_a_reminder_asks_before_the_next_review() -> None:
    sent = datetime(2024, 9, 26, 9, 0, tzinfo=SH)
    assert reply_by(R, Beat.NUDGE, sent) == datetime(2024, 10, 9, 16, 0, tzinfo=SH)
