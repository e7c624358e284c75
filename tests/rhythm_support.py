"""Helpers for rhythm tests: seed a programme from the sample ledger and bind people."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, SH, Bot, sample
from fakebot import User
from sqlmodel import select

from core.domain.ledger import parse_ledger
from jobs.scheduler import plan_programme
from storage import ledger_store, people, programmes
from storage.models import Measure, Person

OWNER_A = User(301, "城管联络员", language_code="zh-hans")
OWNER_B = User(302, "Builder", language_code="en")
LEADER = User(401, "副主任", language_code="zh-hans")


# seeded programmes have been running since then, so the beats of the weeks tests tick into are
# expected (a programme created today only catches up periods that began after it started)
STARTED = datetime(2024, 9, 1, tzinfo=SH)


async def seed(bot: Bot, name: str = "P", locale: str = "zh_CN") -> int:
    """Admin creates the programme in chat; the sample ledger goes in through storage."""
    await bot.say(ADMIN, f"/newprogramme {name}")
    parsed = parse_ledger(sample("ledger.zh.csv"), "ledger.zh.csv")
    async with bot.db.session() as s:
        programme = await programmes.by_name(s, name=name)
        assert programme is not None and programme.id is not None
        programme.locale = locale
        programme.created_at = STARTED
        s.add(programme)
        await ledger_store.apply(
            s,
            programme_id=programme.id,
            rows=parsed.rows,
            actor="test",
            now=bot.clock.now(),
            today=bot.clock.now().date(),
        )
        pid = programme.id
    await bind(bot, pid, "城市管理局联络员", OWNER_A)
    await bind(bot, pid, "建设局联络员", OWNER_B)
    await bind(bot, pid, "管委会副主任（分管城建）", LEADER)
    return pid


async def bind(bot: Bot, programme_id: int, name: str, user: User) -> None:
    """Bind a ledger person to a Telegram user, as redeeming an invite does."""
    async with bot.db.session() as s:
        person = (
            await s.exec(
                select(Person).where(Person.programme_id == programme_id, Person.name == name)
            )
        ).one()
        person.telegram_user_id = user.id
        s.add(person)
        if user.language_code == "en":
            await people.set_pref(s, user_id=user.id, tg_locale="en")


async def measure_id(bot: Bot, code: str) -> int:
    """The id of a measure by code."""
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.code == code))).one()
        assert m.id is not None
        return m.id


async def tick(bot: Bot, programme_id: int, moment: datetime) -> None:
    """Move the clock and let the scheduler run whatever is due, as its jobs would."""
    bot.clock.set(moment)
    await plan_programme(bot.app, programme_id)
    await jobs_idle(bot)


async def jobs_idle(bot: Bot, limit: float = 10.0) -> None:
    """Wait until every update is processed and every due beat job has run and re-planned."""
    await bot.settle(timeout=limit)
