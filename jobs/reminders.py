"""临期提醒: a daily beat at the dispatch time that reminds owners and responsible leaders of
deadlines coming within the programme's working days (core.domain.reminders).

One job per programme (a deterministic name, so re-planning replaces it); what was reminded is
in the database, claimed in the transaction that plans the messages in the outbox, so a restart
or a second process never reminds twice, and a day missed while the bot was down is caught up.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from datetime import date, datetime, timedelta
from typing import Any

from telegram import Bot
from telegram.ext import Application, ContextTypes

from bot.context import CadenceContext, Services
from core import logs
from core.clock import today_in
from core.domain.reminders import due_reminders
from core.domain.workcal import CalendarKind, workdays_between
from core.i18n import tr
from core.render.reminders import Reminded, reminder
from jobs.outbox import sender_of
from storage import people, programmes, reminders
from storage.models import Measure, Person, Programme
from storage.outbox_plan import plan
from storage.programmes import rhythm_of

log = logging.getLogger(__name__)
AnyApp = Application[Any, Any, Any, Any, Any, Any]
BEAT = "reminder"


def job_name(programme_id: int) -> str:
    """One job per programme, named so that re-planning replaces it."""
    return f"{BEAT}:{programme_id}"


def plan_reminders(app: AnyApp, programme: Programme, now: datetime) -> None:
    """Plan the programme's next reminder run: today's at the dispatch time (at once if that has
    passed and today's has not run in this process), else tomorrow's."""
    assert app.job_queue is not None and programme.id is not None
    rhythm = rhythm_of(programme)
    today = today_in(now, programme.timezone)
    planned = app.job_queue.get_jobs_by_name(job_name(programme.id))
    at = rhythm.dispatch_time.isoformat("minutes")
    # today's run done, tomorrow's planned at the time still in force: nothing to change
    if any(j.data["day"] > today.isoformat() and j.data["at"] == at for j in planned):  # type: ignore[index]
        return
    for job in planned:
        job.schedule_removal()
    _plan_day(app, programme.id, today, rhythm.zone, rhythm.dispatch_time, now)


def _plan_day(app: AnyApp, programme_id: int, day: date, zone: Any, at: Any, now: datetime) -> None:
    assert app.job_queue is not None
    when = datetime.combine(day, at, tzinfo=zone)
    app.job_queue.run_once(
        reminder_job,
        when=max(0.0, (when - now).total_seconds()),
        name=job_name(programme_id),
        data={"programme_id": programme_id, "day": day.isoformat(), "at": at.isoformat("minutes")},
    )


async def reminder_job(context: CadenceContext | ContextTypes.DEFAULT_TYPE) -> None:
    """A JobQueue job: remind, then plan tomorrow's run; a failure retries later."""
    job = context.job
    assert job is not None and isinstance(job.data, dict)
    svc: Services = context.bot_data["svc"]
    programme_id = int(job.data["programme_id"])
    logs.start_update(None, None)
    logs.set_programme(programme_id)
    assert context.job_queue is not None
    try:
        with svc.working():  # shutdown and tests wait for it
            await run_reminders(context.bot, svc, programme_id=programme_id)
    except Exception:
        log.exception("deadline reminders of programme %s failed; retrying", programme_id)
        context.job_queue.run_once(
            reminder_job, when=svc.settings.cadence_beat_retry_seconds, name=job.name, data=job.data
        )
        return
    now = svc.clock.now()
    async with svc.database.session() as s:
        programme = await programmes.by_id(s, programme_id=programme_id)
    if programme is not None:
        rhythm = rhythm_of(programme)
        tomorrow = today_in(now, programme.timezone) + timedelta(days=1)
        _plan_day(
            context.application, programme_id, tomorrow, rhythm.zone, rhythm.dispatch_time, now
        )


async def run_reminders(bot: Bot, svc: Services, *, programme_id: int) -> int:
    """Claim today's due reminders and plan them in the outbox; then deliver. How many measures."""
    now = svc.clock.now()
    async with svc.database.session() as s:
        programme = await programmes.by_id(s, programme_id=programme_id)
        if programme is None:
            return 0
        today = today_in(now, programme.timezone)
        kind = CalendarKind(programme.calendar)
        dated = await reminders.dated(s, programme_id=programme_id, today=today)
        done = await reminders.reminded(s, programme_id=programme_id, ids=[m.id for m in dated])
        due = due_reminders(dated, today, programme.remind_workdays, kind, done)
        if not due:
            return 0
        claimed = await reminders.claim(s, programme_id=programme_id, due=due, now=now)
        if claimed is None:
            return 0  # another process reminds of them
        await _plan(s, programme, claimed, today, kind, now)
        await s.commit()
    await sender_of(svc).deliver(bot, programme_id=programme_id)
    return len(due)


async def _plan(
    s: Any, programme: Programme, claimed: list[Any], today: date, kind: CalendarKind, now: datetime
) -> None:
    """One message to each owner and each responsible leader, listing their measures."""
    assert programme.id is not None
    to: dict[tuple[int, bool], list[tuple[int, Reminded]]] = defaultdict(list)
    for row in claimed:
        m = await s.get(Measure, row.measure_id)
        owner = await s.get(Person, m.owner_id)
        # the last day in time (立行立改's is a week after its recorded day), as the rule saw it
        left = workdays_between(today, row.deadline, kind)
        item = Reminded(m.code, m.text, row.deadline, left, owner.name)
        to[(m.owner_id, False)].append((row.id, item))
        if m.leader_id is not None and m.leader_id != m.owner_id:
            to[(m.leader_id, True)].append((row.id, item))
    persons = {pid: await s.get(Person, pid) for pid, _ in to}
    users = [p.telegram_user_id for p in persons.values() if p.telegram_user_id is not None]
    locales = await people.locales_of(s, user_ids=users)
    rhythm = rhythm_of(programme)
    for (pid, leader), items in to.items():
        person = persons[pid]
        if person.telegram_user_id is None:
            continue  # not bound: nobody to tell (the dispatch and the lights still speak)
        t = tr(locales.get(person.telegram_user_id) or programme.locale)
        last = max(item.deadline for _, item in items)
        plan(
            s,
            programme_id=programme.id,
            beat=BEAT,
            period=today.isoformat(),
            # the first reminder row is this run's alone: a later run the same day plans anew
            key=f"{pid}:{'l' if leader else 'o'}:{items[0][0]}",
            chat_id=person.telegram_user_id,
            text=reminder(t, [item for _, item in items], today, leader=leader),
            person=person,
            locale=t.locale,
            now=now,
            expires=datetime.combine(
                last + timedelta(days=1), rhythm.dispatch_time, tzinfo=rhythm.zone
            ),
        )
