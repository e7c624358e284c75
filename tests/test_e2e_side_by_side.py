"""Updates of different people run side by side, each person's in order, and their writes commit
one transaction at a time (issue 27, Monday 9:00)."""

from __future__ import annotations

import asyncio

from conftest import ADMIN, Bot
from rhythm_support import OWNER_A, OWNER_B
from sqlmodel import col, select
from telegram import Update
from telegram.ext import CommandHandler
from wait_support import until

from bot.context import CadenceContext
from handlers.gate import Where, gate
from storage import audit, people, programmes
from storage.models import AuditEvent
from storage.models_people import UserPref


def _probe(bot: Bot, programme_id: int, blocked: dict[int, asyncio.Event], log: list[str]) -> None:
    """/probe N: note the start, read, wait while the sender is blocked, then write and audit N."""

    @gate(where=Where.ANY, needs_programme=False, public=True)
    async def probe(update: Update, context: CadenceContext) -> None:
        assert update.effective_user is not None and update.effective_message is not None
        user, n = update.effective_user.id, (context.args or ["0"])[0]
        log.append(f"start {user} {n}")
        await context.session.get(UserPref, user)  # reads first, then waits, then writes
        if user in blocked:
            await blocked[user].wait()
        await people.set_pref(context.session, user_id=user, locale="en")
        audit.record(
            context.session, programme_id=programme_id, actor=f"tg:{user}", action="probe",
            entity="probe", entity_id=user, after={"n": n}, now=context.svc.clock.now(),
        )  # fmt: skip
        log.append(f"end {user} {n}")
        context.reply(lambda: update.effective_message.reply_text(f"done {n}"))  # type: ignore[union-attr]

    bot.app.handlers[0].insert(0, CommandHandler("probe", probe))


async def _programme(bot: Bot) -> int:
    await bot.say(ADMIN, "/newprogramme 并行")
    async with bot.db.session() as s:
        found = await programmes.by_name(s, name="并行")
        assert found is not None and found.id is not None
        return found.id


def _answered(bot: Bot, user_id: int) -> list[str]:
    return [m.text or "" for m in bot.api.messages_to(user_id)]


async def test_one_person_waiting_mid_update_holds_up_nobody_else(bot: Bot) -> None:
    pid = await _programme(bot)
    gate_a, log = asyncio.Event(), list[str]()
    _probe(bot, pid, {OWNER_A.id: gate_a}, log)
    bot.api.send_private(OWNER_A, "/probe 1")
    try:
        await until(lambda: f"start {OWNER_A.id} 1" in log, what="A's update started")
        bot.api.send_private(OWNER_B, "/probe 2")
        # B is answered while A's update is still under way (one update at a time never would be)
        await until(lambda: _answered(bot, OWNER_B.id) == ["done 2"], what="B answered")
        assert _answered(bot, OWNER_A.id) == []
    finally:
        gate_a.set()  # a failure above must not leave the update waiting at the bot's stop
    await bot.settle()
    assert _answered(bot, OWNER_A.id) == ["done 1"]
    assert log == [
        f"start {OWNER_A.id} 1",
        f"start {OWNER_B.id} 2",
        f"end {OWNER_B.id} 2",
        f"end {OWNER_A.id} 1",
    ]
    async with bot.db.session() as s:
        prefs = (await s.exec(select(UserPref).where(col(UserPref.locale) == "en"))).all()
        assert sorted(p.telegram_user_id for p in prefs) == [OWNER_A.id, OWNER_B.id]
        events = (await s.exec(select(AuditEvent).where(AuditEvent.action == "probe"))).all()
        assert sorted((e.entity_id, e.after) for e in events) == [
            (OWNER_A.id, '{"n": "1"}'),
            (OWNER_B.id, '{"n": "2"}'),
        ]
        count, broken = await audit.verify(s, programme_id=pid)
        assert broken is None and count >= 3  # both events chained after the programme's own


async def test_one_persons_updates_stay_in_order(bot: Bot) -> None:
    pid = await _programme(bot)
    gate_a, log = asyncio.Event(), list[str]()
    _probe(bot, pid, {OWNER_A.id: gate_a}, log)
    bot.api.send_private(OWNER_A, "/probe 1")
    bot.api.send_private(OWNER_A, "/probe 2")
    bot.api.send_private(OWNER_B, "/probe 3")
    try:
        await until(lambda: _answered(bot, OWNER_B.id) == ["done 3"], what="B answered")
        assert f"start {OWNER_A.id} 2" not in log  # A's second waits for A's first
    finally:
        gate_a.set()
    await bot.settle()
    assert _answered(bot, OWNER_A.id) == ["done 1", "done 2"]
    mine = [line for line in log if f" {OWNER_A.id} " in line]
    assert mine == [
        f"start {OWNER_A.id} 1",
        f"end {OWNER_A.id} 1",
        f"start {OWNER_A.id} 2",
        f"end {OWNER_A.id} 2",
    ]
