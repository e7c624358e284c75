"""The board's trend replays the trail once, week by week, and says what as-of says each week."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from conftest import SH, Bot
from rhythm_support import LEADER, OWNER_A, OWNER_B, tick
from signoff_support import october_closures, step
from test_e2e_signoff import REPORT, _start

from core.domain.counts import count
from core.domain.replay import Recorded, State, replay, replay_each
from storage import as_of, programmes
from storage.documents import day_after
from usecases import board


def _at(day: int, hour: int = 0) -> datetime:
    return datetime(2024, 10, day, hour, tzinfo=UTC)


def test_replaying_once_equals_replaying_each_moment() -> None:
    def ev(mid: int, action: str, at: datetime, **after: object) -> Recorded:
        return Recorded(mid, action, at, at.date(), after)

    trail = [
        ev(1, "measure.import", _at(1), status="in_progress", deadline="2024-10-20"),
        ev(2, "measure.import", _at(1), status="not_started", deadline="2024-12-31"),
        ev(1, "measure.update", _at(3), health="blocked"),
        ev(2, "measure.remove", _at(9)),
        ev(1, "measure.signoff_approve", _at(15), status="closed", closed_on="2024-10-15"),
    ]
    moments = [_at(1), _at(2), _at(9), _at(9, 1), _at(20)]
    for events in (trail, [*trail, ev(2, "measure.update", _at(2), health="at_risk")]):
        # the second: a clock set back, an event recorded last but dated earlier
        once = [_seen(states) for states in replay_each(events, moments)]
        assert once == [_seen(replay(events, at)) for at in moments]
    assert once[0] == {}
    assert once[1] == {1: ("in_progress", None, False), 2: ("not_started", None, False)}
    assert once[2] == {1: ("in_progress", "blocked", False), 2: ("not_started", "at_risk", False)}
    assert once[4] == {1: ("closed", "blocked", False), 2: ("not_started", "at_risk", True)}


def _seen(states: dict[int, State]) -> dict[int, tuple[str, str | None, bool]]:
    return {
        m: (s.status.value, s.health.value if s.health else None, s.removed)
        for m, s in states.items()
    }


async def test_the_trend_says_each_week_what_as_of_says(bot: Bot) -> None:
    pid = await _start(bot)
    # October: a sign-off, an extension, an at-risk answer, then weeks of OWNER_B's silence
    _, m133 = await october_closures(bot, pid, REPORT)
    await tick(bot, pid, datetime(2024, 10, 14, 10, 0, tzinfo=SH))
    dispatch = bot.api.messages_to(OWNER_A.id)[-1]
    await bot.press(OWNER_A, dispatch, f"ans:{m133}:risk")
    await bot.say(OWNER_A, "主体工程已完工")
    await bot.say(OWNER_A, "60")
    await bot.say(OWNER_A, "用地审批尚未完成")
    await step(bot, OWNER_A, "f:")
    await step(bot, OWNER_A, "c:", ":save")
    for day in (21, 28):
        await tick(bot, pid, datetime(2024, 10, day, 10, 0, tzinfo=SH))
    assert bot.api.messages_to(OWNER_B.id)  # dispatched, never answered
    bot.clock.set(datetime(2024, 11, 5, 10, 0, tzinfo=SH))

    async with bot.db.session() as s:
        programme = await programmes.by_id(s, programme_id=pid)
        assert programme is not None
        v = await board.viewer(s, user_id=LEADER.id, language_code="zh-hans")
        assert v is not None
        weeks = (await board.trend(s, v, now=bot.clock.now()))["weeks"]
        signed = await as_of.closed_days(s, programme=programme)
        monday = date(2024, 8, 26)
        expected = []
        while monday <= date(2024, 11, 5):
            last = min(monday + timedelta(days=6), date(2024, 11, 5))
            facts = await as_of.facts_at(s, programme=programme, at=day_after(last, SH.key))
            c = count(facts, last)
            closed = sum(1 for _, d in signed if monday <= d <= last)
            expected.append((closed, c.red, c.yellow))
            monday += timedelta(days=7)
    assert [(w["closed"], w["red"], w["yellow"]) for w in weeks] == expected
    # the history moved the lights: the weeks are not all alike, and October's sign-off counts
    assert len(set(expected)) > 2 and sum(c for c, _, _ in expected) == 1
