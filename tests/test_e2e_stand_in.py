"""End to end: a stand-in across the National Day holiday, dates as people type them, /back
before an absence began, and the task force told, in English and Chinese."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from conftest import ADMIN, SH, Bot, button
from rhythm_support import OWNER_A, OWNER_B, measure_id, seed, tick
from sqlmodel import select

from core.domain.daterange import read_range
from storage.models import ProgressUpdate
from storage.models_people import Absence

TODAY = date(2024, 9, 26)


@pytest.mark.parametrize(
    "typed",
    ["10月1日 10月7日", "10.1-10.7", "2024-10-01 2024-10-07", "Oct 1 - Oct 7", "10月1日—7日"],
)
def test_the_dates_people_type(typed: str) -> None:
    found = read_range(typed, TODAY)
    assert found is not None and (found.start, found.end) == (date(2024, 10, 1), date(2024, 10, 7))


def test_a_range_across_the_new_year_and_a_name_after_it() -> None:
    found = read_range("12月30日至1月3日 城管副联络员", TODAY)
    assert found is not None
    assert (found.start, found.end, found.rest) == (
        date(2024, 12, 30),
        date(2025, 1, 3),
        "城管副联络员",
    )
    assert read_range("10.1", TODAY) is None
    assert read_range("2.30-3.1", TODAY) is None


@pytest.mark.parametrize(
    "typed",
    ["10月8日 10月8日", "10.8-10.8", "Oct 8 - Oct 8", "10月8日—8日", "2024-10-08 2024-10-08"],
)
def test_a_one_day_absence_stays_in_its_year(typed: str) -> None:
    found = read_range(typed, TODAY)
    assert found is not None and (found.start, found.end) == (date(2024, 10, 8), date(2024, 10, 8))


def test_a_date_without_a_year_is_this_year_until_sixty_days_back() -> None:
    # 60 days before 26 September is 28 July: a holiday begun then is still this year's
    recent = read_range("7.28-8.2", TODAY)
    assert recent is not None and (recent.start, recent.end) == (
        date(2024, 7, 28),
        date(2024, 8, 2),
    )
    older = read_range("7.27-8.2", TODAY)
    assert older is not None and (older.start, older.end) == (date(2025, 7, 27), date(2025, 8, 2))


async def _absences(bot: Bot) -> list[tuple[date, date]]:
    async with bot.db.session() as s:
        return [(a.start, a.end) for a in (await s.exec(select(Absence))).all()]


async def test_stand_in_across_the_holiday(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 9, 26, 10, 0, tzinfo=SH))
    pid = await seed(bot)
    # planned, then called off before it began
    planned = await bot.say(OWNER_B, "/away Oct 1 - Oct 7")
    assert planned.plain == (
        "Noted: away 1 October – 7 October. Your dispatches pause meanwhile and do not count "
        "as silence. /back ends it early."
    )
    cancelled = await bot.say(OWNER_B, "/back")
    assert cancelled.plain == "Your absence 1 October – 7 October had not begun: it is cancelled."
    assert await _absences(bot) == [(date(2024, 9, 25), date(2024, 9, 25))]

    # away over the holiday; the liaison of another unit stands in, and the task force is told
    mark = bot.api.mark()
    bot.api.send_private(OWNER_B, "/away 9.28-10.9 城市管理局联络员")
    [away] = await bot.answers(OWNER_B.id, mark)
    assert away.plain == (
        "Noted: away 28 September – 9 October. 城市管理局联络员 gets your dispatches meanwhile. "
        "/back ends it early."
    )
    assert [m.plain for m in bot.api.since(mark) if m.chat_id == ADMIN.id] == [
        "建设局联络员9月28日—10月9日不在岗，期间每周调度由城市管理局联络员代为反馈。"
    ]

    # both dispatches around the holiday reach the stand-in, none the owner
    for moment in (
        datetime(2024, 9, 30, 9, 30, tzinfo=SH),
        datetime(2024, 10, 8, 9, 30, tzinfo=SH),
    ):
        mark = bot.api.mark()
        await tick(bot, pid, moment)
        assert not [m for m in bot.api.since(mark) if m.chat_id == OWNER_B.id]
        heads = [m.plain.split("\n")[1] for m in bot.api.since(mark) if m.chat_id == OWNER_A.id]
        # two delivery runs may overlap (a commit's kick beside the beat's run): no promised order
        assert sorted(heads) == sorted(
            [
                "城市管理局联络员，请报送您负责的整改措施进展：",
                "城市管理局联络员，您正在代建设局联络员反馈，请报送以下整改措施进展：",
            ]
        )
    # the stand-in answers the owner's measure
    m312 = await measure_id(bot, "3.1.2")
    stand_in = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, stand_in, f"ans:{m312}:ok")
    await bot.say(OWNER_A, "国庆期间照常施工")
    files = await bot.say(OWNER_A, "四成")
    await bot.press(OWNER_A, files, button(files, "f:"))
    confirm = bot.api.last_to(OWNER_A.id)
    await bot.press(OWNER_A, confirm, button(confirm, "c:", ":save"))
    async with bot.db.session() as s:
        [saved] = (await s.exec(select(ProgressUpdate))).all()
    assert (saved.measure_id, saved.percent, saved.note) == (m312, 40, "国庆期间照常施工")

    # after the absence the owner hears the dispatch again
    mark = bot.api.mark()
    await tick(bot, pid, datetime(2024, 10, 14, 9, 30, tzinfo=SH))
    assert len([m for m in bot.api.since(mark) if m.chat_id == OWNER_B.id]) == 1
