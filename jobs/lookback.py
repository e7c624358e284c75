"""回头看: each closed measure's owner is asked again on its look-back date, once per closure.

The scheduler plans one job per measure (deterministic names, rebuilt from the database like
the beats); the job claims the closure and plans the question in the outbox in one transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime, time
from typing import Any

from telegram import Bot
from telegram.ext import Application, ContextTypes

from bot.context import CadenceContext, Services
from core import logs
from core.clock import today_in
from core.domain.closing import answer_by, lookback_day, lookback_moment
from core.domain.model import Status
from core.domain.workcal import CalendarKind
from core.i18n import tr
from core.render.closing import lookback_keyboard, lookback_question
from jobs.outbox import sender_of
from storage import lookbacks, people, programmes
from storage.models import Measure, Person, Programme
from storage.outbox_plan import plan
from storage.programmes import rhythm_of

log = logging.getLogger(__name__)
AnyApp = Application[Any, Any, Any, Any, Any, Any]
BEAT = "lookback"


def job_name(programme_id: int, measure_id: int) -> str:
    """One job per measure, named so that re-planning replaces it."""
    return f"{BEAT}:{programme_id}:{measure_id}"


async def plan_lookbacks(app: AnyApp, programme: Programme, now: datetime) -> int:
    """(Re)plan a job for every closed measure not yet looked back on: due ones at once."""
    svc: Services = app.bot_data["svc"]
    assert app.job_queue is not None and programme.id is not None
    prefix = f"{BEAT}:{programme.id}:"
    for job in app.job_queue.jobs():
        if job.name and job.name.startswith(prefix):
            job.schedule_removal()
    async with svc.database.session() as s:
        waiting = await lookbacks.unasked(s, programme_id=programme.id)
    kind, at = CalendarKind(programme.calendar), rhythm_of(programme).dispatch_time
    for measure_id, closed_on in waiting:
        when = lookback_moment(closed_on, programme.lookback_days, kind, at, programme.timezone)
        app.job_queue.run_once(
            lookback_job,
            when=max(0.0, (when - now).total_seconds()),
            name=job_name(programme.id, measure_id),
            data={"programme_id": programme.id, "measure_id": measure_id},
        )
    return len(waiting)


async def lookback_job(context: CadenceContext | ContextTypes.DEFAULT_TYPE) -> None:
    """A JobQueue job: ask the owner; a failure retries later (the claim makes it once)."""
    job = context.job
    assert job is not None and isinstance(job.data, dict)
    svc: Services = context.bot_data["svc"]
    logs.start_update(None, None)
    logs.set_programme(int(job.data["programme_id"]))
    try:
        await run_lookback(
            context.bot,
            svc,
            programme_id=int(job.data["programme_id"]),
            measure_id=int(job.data["measure_id"]),
        )
    except Exception:
        log.exception("look-back of measure %s failed; retrying", job.data["measure_id"])
        assert context.job_queue is not None
        context.job_queue.run_once(
            lookback_job, when=svc.settings.cadence_beat_retry_seconds, name=job.name, data=job.data
        )


async def run_lookback(
    bot: Bot, svc: Services, *, programme_id: int, measure_id: int, early: bool = False
) -> bool:
    """Claim the measure's closure and plan the question in the outbox; then deliver it.

    `early`: ask now though its day has not come (the sandbox's "run now").
    """
    now = svc.clock.now()
    async with svc.database.session() as s:
        programme = await programmes.by_id(s, programme_id=programme_id)
        measure = await s.get(Measure, measure_id)
        if programme is None or measure is None or measure.closed_on is None:
            return False
        if measure.status != Status.CLOSED.value or measure.removed_at is not None:
            return False
        kind = CalendarKind(programme.calendar)
        due = lookback_day(measure.closed_on, programme.lookback_days, kind)
        today = today_in(now, programme.timezone)
        if today < due and not early:
            return False  # the look-back days changed since this job was planned
        row = await lookbacks.claim(s, measure=measure, due=due, now=now)
        if row is None or row.id is None:
            return False
        owner = await s.get(Person, measure.owner_id)
        if owner is not None and owner.telegram_user_id is not None:
            locales = await people.locales_of(s, user_ids=[owner.telegram_user_id])
            t = tr(locales.get(owner.telegram_user_id) or programme.locale)
            # asked late (the bot was down on the day): the owner still gets the full time to answer
            last = answer_by(max(due, today), kind)
            plan(
                s,
                programme_id=programme_id,
                beat=BEAT,
                period=measure.closed_on.isoformat(),
                key=f"m{measure_id}",
                chat_id=owner.telegram_user_id,
                text=lookback_question(
                    t,
                    code=measure.code,
                    text=measure.text,
                    closed_on=measure.closed_on,
                    by=last,
                    today=today,
                ),
                person=owner,
                markup=lookback_keyboard(t, row.id),
                locale=t.locale,
                now=now,
                expires=datetime.combine(last, time(23, 59), tzinfo=rhythm_of(programme).zone),
            )
        await s.commit()
    await sender_of(svc).deliver(bot, programme_id=programme_id)
    return True
