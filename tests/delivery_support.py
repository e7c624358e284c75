"""Helpers for delivery tests: many bound owners, a bot with Telegram's strict limits."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from datetime import UTC, datetime
from typing import Any

from conftest import ADMIN, SH, Bot, make_app, settings_for
from fakebot import FakeTelegram, User
from sqlmodel import col, select
from wait_support import until

from bot.lifecycle import start_app, stop_app
from core.clock import FixedClock
from core.domain.ledger import parse_ledger
from jobs.pacing import Limits
from storage import ledger_store, programmes
from storage.models import OutboxMessage, Person

HEADER = "编号,方面,问题,整改措施,责任领导,牵头单位,责任单位,责任人,完成时限,状态"
MONDAY = datetime(2024, 9, 23, 9, 0, tzinfo=SH)  # W39 dispatch
DISPATCH_HEAD = "每周调度"


def owner(i: int) -> User:
    """The i-th simulated owner."""
    return User(20000 + i, f"责任人{i}", language_code="zh-hans")


def ledger(n: int) -> bytes:
    """A ledger with one open measure per owner."""
    rows = [
        f"9.{i + 1},一、方面,（一）问题,措施{i},领导甲,单位{i},,责任人{i},2024-12-31,推进中"
        for i in range(n)
    ]
    return "\n".join([HEADER, *rows]).encode()


async def seed_owners(bot: Bot, n: int) -> int:
    """A programme whose n owners are all bound; returns its id."""
    await bot.say(ADMIN, "/newprogramme P")
    parsed = parse_ledger(ledger(n), "ledger.csv")
    assert parsed.ok, parsed.issues

    async def founded() -> bool:  # the reply goes out just before the update's commit
        async with bot.db.session() as s:
            return await programmes.by_name(s, name="P") is not None

    await until(founded, what="programme P committed")
    async with bot.db.session() as s:
        programme = await programmes.by_name(s, name="P")
        assert programme is not None and programme.id is not None
        await ledger_store.apply(
            s,
            programme_id=programme.id,
            rows=parsed.rows,
            actor="test",
            now=bot.clock.now(),
            today=bot.clock.now().date(),
        )
        pid = programme.id
        await s.flush()  # bound in the same transaction: no beat ever sees unbound owners
        persons = (await s.exec(select(Person).where(Person.programme_id == pid))).all()
        for p in persons:
            if p.name.startswith("责任人"):
                p.telegram_user_id = owner(int(p.name[3:])).id
                s.add(p)
    return pid


async def leases_over(bot: Bot, chat_id: int | None = None) -> bool:
    """Whether no outbox message (of the chat) is leased any more: each lease has run out."""
    query = select(OutboxMessage.leased_until).where(col(OutboxMessage.leased_until).is_not(None))
    if chat_id is not None:
        query = query.where(OutboxMessage.chat_id == chat_id)
    async with bot.db.session() as s:
        ends = (await s.exec(query)).all()
    now = datetime.now(UTC)  # a lease is wall-clock time (jobs/outbox.py), as the sender compares
    return all((end if end.tzinfo else end.replace(tzinfo=UTC)) < now for end in ends if end)


def dispatches_to(api: FakeTelegram, user: User) -> int:
    """How many weekly dispatches a user received."""
    return sum(DISPATCH_HEAD in (m.text or "") for m in api.messages_to(user.id))


@asynccontextmanager
async def running(
    db_url: str, limits: Limits, *, strict: bool = True, **extra: Any
) -> AsyncIterator[Bot]:
    """A bot on the fake server; strict: the server answers 429 past Telegram's limits."""
    async with FakeTelegram() as api:
        api.faults.strict = strict
        settings = settings_for(api, db_url, **extra)
        clock = FixedClock(MONDAY)
        app = make_app(settings, clock, limits)
        await start_app(app, poll_timeout=1)
        harness = Bot(api, app, clock, settings)
        try:
            yield harness
        finally:
            await stop_app(harness.app)
        assert not api.errors, f"fake Bot API crashed: {api.errors!r}"


def record_sends(api: FakeTelegram, clock: Callable[[], float] = time.monotonic) -> list[float]:
    """The moment the fake server accepted each sendMessage (a 429 is not a send)."""
    times: list[float] = []
    faults = api.faults
    original = faults.intercept

    async def intercept(request: Any, method: str, params: dict[str, Any]) -> Any:
        answer = await original(request, method, params)
        if answer is None and method.lower() == "sendmessage":
            times.append(clock())
        return answer

    faults.intercept = intercept  # type: ignore[method-assign]
    return times
