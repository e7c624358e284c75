"""The dispatch rules (core.domain.dispatches): answer window, silence, 反馈率, as pure functions."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given
from hypothesis import strategies as st

from core.domain.dispatches import (
    DispatchFact,
    answer_window,
    answered_in_period,
    feedback_by_unit,
    feedback_rate,
    silent_run,
    silent_streak,
)
from core.domain.periods import Rhythm

SH = ZoneInfo("Asia/Shanghai")


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=SH)


def test_answer_window_is_judged_by_the_rhythm_it_was_sent_with() -> None:
    monday = Rhythm()
    # W40 went out on Monday 30 September: National Day leaves no two working days before W41
    assert answer_window(monday, "2024-W40", at(9, 30)) == (at(10, 8), True)
    assert answer_window(monday, "2024-W39", at(9, 23)) == (at(9, 30), False)
    # the same dispatch judged by a Thursday rhythm would not be short: that is the rejudging
    # that freezing the window at sending prevents
    thursday = Rhythm(dispatch_weekday=3, dispatch_time=time(9, 0))
    assert answer_window(thursday, "2024-W40", at(9, 30))[1] is False
    assert answer_window(monday, "not a week", at(9, 30)) == (None, False)


def f(period: int, state: str, **kw: object) -> DispatchFact:
    """A fact from a letter: s silent, a answered, u undelivered, S short silent, A short answered,
    x undelivered but answered."""
    delivered = state not in "ux"
    answered = state in "aAx"
    short = state in "SA"
    return DispatchFact(f"2024-W{period:02d}", delivered, answered, short, **kw)  # type: ignore[arg-type]


def run(states: str) -> int:
    """The silent run of a history written oldest first, one letter a week."""
    return silent_run([f(10 + n, s) for n, s in enumerate(states)])


def test_silent_run() -> None:
    assert run("") == 0
    assert run("ss") == 2
    assert run("sus") == 2  # the case: an undelivered dispatch asked nothing
    assert run("sSs") == 2  # too short to answer: neither silence nor an answer
    assert run("sAs") == 1  # answered in a short one: an answer all the same
    assert run("sxs") == 1  # answered without the dispatch: the owner spoke
    assert run("sas") == 1
    assert run("ssa") == 0
    assert run("uuu") == 0
    # the order is the periods', not the list's
    items = [f(12, "s"), f(10, "s"), f(11, "a")]
    assert silent_run(items) == 1
    assert [i.period for i in silent_streak(items)] == ["2024-W12"]


def test_silent_run_as_of_a_moment() -> None:
    items = [
        f(10, "s", delivered_at=at(3, 4)),
        f(11, "a", delivered_at=at(3, 11), answered_at=at(3, 13)),
        f(12, "s", delivered_at=at(3, 18)),
    ]
    assert silent_run(items) == 1
    assert silent_run(items, at(3, 12)) == 2  # W11 was not answered yet: W10 and W11
    assert silent_run(items, at(3, 10)) == 1  # W11 not even delivered yet


@given(st.text(alphabet="saSAux", max_size=12), st.integers(0, 12), st.sampled_from("uS"))
def test_a_dispatch_that_asked_nothing_changes_no_run(states: str, where: int, extra: str) -> None:
    where = min(where, len(states))
    assert run(states[:where] + extra + states[where:]) == run(states)


def sent(day: datetime, state: str, by: datetime | None = None, **kw: object) -> DispatchFact:
    """A dispatch delivered at `day`, answerable until a week later (or `by`)."""
    return DispatchFact(
        period="2024-W01",
        delivered=state not in "ux",
        answered=state in "aAx",
        short=state in "SA",
        delivered_at=day,
        answer_by=by or day + timedelta(days=7),
        **kw,  # type: ignore[arg-type]
    )


def test_answered_in_period() -> None:
    day = at(11, 4)
    assert answered_in_period(sent(day, "a", answered_at=at(11, 5))) is True
    assert answered_in_period(sent(day, "s")) is False
    assert answered_in_period(sent(day, "S")) is None  # no time to answer: no silence
    assert answered_in_period(sent(day, "A", answered_at=at(11, 5))) is True
    assert answered_in_period(sent(day, "u")) is None  # never reached the owner
    assert answered_in_period(sent(day, "x")) is None
    # answered after its window closed, before any later dispatch took the answers: answered
    assert answered_in_period(sent(day, "a", answered_at=at(11, 12))) is True
    # as of a moment: answered by then, or still open (not counted), or closed and silent
    assert answered_in_period(sent(day, "a", answered_at=at(11, 5)), at(11, 6)) is True
    assert answered_in_period(sent(day, "a", answered_at=at(11, 5)), at(11, 4, 12)) is None
    assert answered_in_period(sent(day, "s"), at(11, 12)) is False
    assert answered_in_period(sent(day, "s"), at(11, 3)) is None  # not delivered yet
    # as of a moment means before it: what happens at that instant is the next day's
    assert answered_in_period(sent(day, "a", answered_at=at(11, 6)), at(11, 6)) is None
    assert answered_in_period(sent(day, "s"), at(11, 4, 9, 30)) is None


def test_feedback_rate_counts_the_dispatches_sent_in_the_month() -> None:
    tz = "Asia/Shanghai"
    items = [
        ("科技创新局", sent(at(11, 25), "a", answered_at=at(11, 26))),  # November's
        ("科技创新局", sent(at(12, 2), "a", answered_at=at(12, 3))),
        ("科技创新局", sent(at(12, 9), "s")),
        ("科技创新局", sent(at(12, 16), "s")),
        ("审计局", sent(at(12, 2), "a", answered_at=at(12, 3))),
        ("审计局", sent(at(12, 9), "A", answered_at=at(12, 10))),
        ("审计局", sent(at(12, 16), "S")),  # short and silent: not counted
        ("审计局", sent(at(12, 23), "s")),
        # 00:30 on 1 December in Shanghai is still 30 November in UTC: December's
        ("审计局", sent(datetime(2024, 11, 30, 16, 30, tzinfo=UTC), "a", answered_at=at(12, 1))),
        ("建设局", sent(at(11, 29), "s")),  # no dispatch in December: no rate, not 100%
    ]
    rates = feedback_by_unit(items, year=2024, month=12, tz=tz)
    assert rates == {"科技创新局": (1, 3), "审计局": (3, 4)}
    assert [round(100 * a / n) for a, n in rates.values()] == [33, 75]
    assert feedback_by_unit(items, year=2024, month=11, tz=tz) == {
        "科技创新局": (1, 1),
        "建设局": (0, 1),
    }
    assert feedback_rate([i for _, i in items], year=2024, month=10, tz=tz) == (0, 0)
    # as the month ended: the 23 December dispatch is still open on the 31st, so it waits
    end = datetime(2025, 1, 1, tzinfo=SH)
    assert feedback_by_unit(items, year=2024, month=12, tz=tz, at=end)["审计局"] == (3, 4)
    late = [("审计局", sent(at(12, 30), "s"))]
    assert feedback_by_unit(late, year=2024, month=12, tz=tz, at=end) == {}
