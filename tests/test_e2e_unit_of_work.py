"""One unit of work per update: thin handlers write through storage, and work that needs the
update's writes (a beat, re-planning) runs after its transaction commits."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from conftest import ADMIN, SH, Bot
from rhythm_support import OWNER_A, jobs_idle, seed
from sqlmodel import col, select
from telegram import Update
from telegram.ext import CommandHandler

from bot.context import CadenceContext
from core.domain.model import Beat
from handlers.gate import Where, gate
from jobs.run import run_beat
from storage import absences, people, programmes
from storage.models import AuditEvent, OutboxMessage, Person, SentBeat
from storage.models_people import Absence, UserPref
from usecases import dispatch as dispatch_module


async def test_after_commit_work_sees_the_writes_and_is_dropped_on_error(bot: Bot) -> None:
    seen: list[str | None] = []

    @gate(where=Where.ANY, needs_programme=False)
    async def probe(update: Update, context: CadenceContext) -> None:
        await people.set_pref(context.session, user_id=ADMIN.id, locale="en")

        async def later() -> None:
            async with context.svc.database.session() as s:
                pref = await s.get(UserPref, ADMIN.id)
                seen.append(pref.locale if pref else None)

        context.after_commit(later)
        if context.args:
            raise RuntimeError("the update fails after writing")
        assert update.effective_message is not None
        await update.effective_message.reply_text("ok")

    # in front, before the catch-all for unknown commands, as a real command would be
    bot.app.handlers[0].insert(0, CommandHandler("probe", probe))
    failed = await bot.say(ADMIN, "/probe fail")
    assert failed.plain == "抱歉，处理这次操作时出错，请重试。"
    assert seen == []  # rolled back: the follow-up never ran
    async with bot.db.session() as s:
        pref = await s.get(UserPref, ADMIN.id)
        assert pref is None or pref.locale is None
    await bot.say(ADMIN, "/probe")
    assert seen == ["en"]  # ran once, after the commit, in a session of its own


async def test_newprogramme_binds_its_creator_like_an_invite(bot: Bot) -> None:
    await bot.say(ADMIN, "/newprogramme 巡视整改")
    async with bot.db.session() as s:
        programme = await programmes.by_name(s, name="巡视整改")
        assert programme is not None
        me = (await s.exec(select(Person).where(Person.programme_id == programme.id))).one()
        events = (await s.exec(select(AuditEvent).where(AuditEvent.action == "person.bind"))).all()
        pref = await s.get(UserPref, ADMIN.id)
    assert (me.telegram_user_id, me.telegram_name) == (ADMIN.id, ADMIN.first_name)
    assert [(e.actor, e.entity_id) for e in events] == [(f"tg:{ADMIN.id}", me.id)]
    assert pref is not None and pref.programme_id == programme.id


async def test_schedule_change_is_stored_audited_and_replanned(bot: Bot) -> None:
    pid = await seed(bot)
    assert bot.app.job_queue is not None
    # planned as soon as the programme was created
    [before] = bot.app.job_queue.get_jobs_by_name(f"beat:{pid}:review")
    await bot.say(ADMIN, "/schedule review thu 15:00")
    async with bot.db.session() as s:
        programme = await programmes.by_id(s, programme_id=pid)
        [event] = (
            await s.exec(select(AuditEvent).where(AuditEvent.action == "programme.schedule"))
        ).all()
    assert programme is not None
    assert (programme.review_weekday, programme.review_time) == (3, "15:00")
    assert '"review_weekday": 2' in event.before and '"review_weekday": 3' in (event.after or "")
    [after] = bot.app.job_queue.get_jobs_by_name(f"beat:{pid}:review")  # re-planned
    assert (dict(before.data), dict(after.data)) == (  # type: ignore[call-overload]
        {"programme_id": pid, "beat": "review", "period": "2024-10-09"},
        {"programme_id": pid, "beat": "review", "period": "2024-10-10"},
    )
    await jobs_idle(bot)


async def test_away_and_back_write_through_storage(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 9, 26, 10, 0, tzinfo=SH))
    pid = await seed(bot)
    await bot.say(OWNER_A, "/away 2024-09-27 2024-10-10")
    async with bot.db.session() as s:
        assert [a.end for a in await absences.on(s, programme_id=pid, day=date(2024, 9, 30))] == [
            date(2024, 10, 10)
        ]
    bot.clock.set(datetime(2024, 9, 30, 10, 0, tzinfo=SH))
    await bot.say(OWNER_A, "/back")
    async with bot.db.session() as s:
        assert await absences.on(s, programme_id=pid, day=date(2024, 9, 30)) == []
        [absence] = (await s.exec(select(Absence).where(col(Absence.programme_id) == pid))).all()
        actions = (
            await s.exec(
                select(AuditEvent.action)
                .where(col(AuditEvent.action).startswith("person."))
                .order_by(col(AuditEvent.id))
            )
        ).all()
    assert (absence.start, absence.end) == (date(2024, 9, 27), date(2024, 9, 29))
    assert list(actions)[-2:] == ["person.away", "person.back"]


async def test_a_beat_whose_planning_fails_leaves_its_period_unclaimed(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    pid = await seed(bot)

    async def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("planning failed")

    monkeypatch.setattr(dispatch_module, "dispatch", broken)
    with pytest.raises(RuntimeError):
        await run_beat(bot.app.bot, bot.app.bot_data["svc"], programme_id=pid, beat=Beat.DISPATCH)
    async with bot.db.session() as s:
        assert (await s.exec(select(SentBeat))).all() == []  # claim and plan: one transaction


async def test_a_crash_after_the_commit_loses_no_coordinators_copy(
    bot: Bot, monkeypatch: pytest.MonkeyPatch
) -> None:
    # the copies are planned in the request's own transaction: if the process dies right after
    # the commit (here: the sender is never started), the next start delivers them
    from conftest import make_app
    from signoff_support import COORD_B, ask_signoff
    from test_e2e_signoff import _start

    from bot.app import services_of
    from bot.lifecycle import start_app, stop_app

    await _start(bot)
    monkeypatch.setattr(services_of(bot.app).courier, "deliver_notices", lambda: None)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    before = len(bot.api.messages_to(COORD_B.id))
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", "水厂已投用。", ["a.pdf"])
    assert len(bot.api.messages_to(COORD_B.id)) == before  # nothing went out
    async with bot.db.session() as s:
        rows = (await s.exec(select(OutboxMessage).where(OutboxMessage.beat == "notice"))).all()
    each = [("doc_id", "queued"), ("text", "queued")]  # the evidence, then the copy
    want = [(who.id, *e) for who in (ADMIN, COORD_B) for e in each]
    assert sorted((r.chat_id, r.kind, r.state) for r in rows) == sorted(want)
    await stop_app(bot.app)  # the process is gone; the next start resumes the outbox
    monkeypatch.undo()
    bot.app = make_app(bot.settings, bot.clock)
    await start_app(bot.app, poll_timeout=1)
    await bot.api.wait_until(lambda: len(bot.api.messages_to(COORD_B.id)) >= before + 2)
    await bot.settle()
    got = bot.api.messages_to(COORD_B.id)[before:]
    assert [m.method for m in got] == ["sendDocument", "sendMessage"]
    assert got[1].plain.split("\n")[0] == "🏁 Sign-off request for 1.3.2"
    assert [label for label, _ in got[1].buttons] == ["✅ Approve", "↩️ Send back"]
