"""Plan each programme's beats as JobQueue jobs, rebuilt from the database at start."""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from telegram.ext import Application, ContextTypes

from bot.context import CadenceContext, Services
from core import logs
from core.domain.catchup import plan_beat
from core.domain.model import Beat
from jobs.given_up import report_given_up
from jobs.lookback import plan_lookbacks
from jobs.outbox import sender_of
from jobs.reminders import plan_reminders
from jobs.run import resume_planning, run_beat
from storage import beats, programmes
from storage.programmes import rhythm_of

log = logging.getLogger(__name__)
AnyApp = Application[Any, Any, Any, Any, Any, Any]
RECONCILE = "reconcile"
RECONCILE_SECONDS = 180.0


def running(svc: Services) -> Counter[tuple[int, Beat]]:
    """How many jobs of each (programme, beat) are running right now."""
    return svc.running_beats


def job_name(programme_id: int, beat: Beat) -> str:
    """Deterministic job names, so rebuilding replaces rather than duplicates."""
    return f"beat:{programme_id}:{beat.value}"


async def plan_programme(
    app: AnyApp, programme_id: int, only: Beat | None = None, *, catch_up: bool = True
) -> dict[Beat, str]:
    """(Re)schedule a programme's beats: due ones now (if catch_up), the others at their next slot."""
    svc: Services = app.bot_data["svc"]
    assert app.job_queue is not None
    now = svc.clock.now()
    async with svc.database.session() as s:
        programme = await programmes.by_id(s, programme_id=programme_id)
        if programme is None:
            return {}
        rhythm = rhythm_of(programme)
        sent = await beats.sent_times(s, programme_id=programme_id)
        since = await programmes.since(s, programme=programme)
    # from here to the last run_once nothing awaits: two plannings of one programme at once
    # (the start's, an update's) replace each other's jobs instead of doubling them
    # a beat running now re-plans itself when it ends: planning it again could run it twice at once
    busy = running(svc)
    chosen = [b for b in ([only] if only else list(Beat)) if busy[(programme_id, b)] <= 0]
    for beat in chosen:
        for job in app.job_queue.get_jobs_by_name(job_name(programme_id, beat)):
            job.schedule_removal()
    planned: dict[Beat, str] = {}
    for beat in chosen:
        # catch-up only for periods that began once people could expect them (core.domain.catchup)
        plan = plan_beat(beat, rhythm, now, sent, since, catch_up=catch_up)
        app.job_queue.run_once(
            beat_job,
            when=max(0.0, (plan.when - now).total_seconds()),
            name=job_name(programme_id, beat),
            data={"programme_id": programme_id, "beat": beat.value, "period": plan.slot.period},
        )
        planned[beat] = plan.slot.period
    if only is None:  # look-backs and reminders are planned with the whole programme
        await plan_lookbacks(app, programme, now)
        plan_reminders(app, programme, now)
    return planned


async def plan_all(app: AnyApp) -> None:
    """Rebuild every programme's jobs (at start and by the reconciliation job)."""
    svc: Services = app.bot_data["svc"]
    async with svc.database.session() as s:
        ids = [p.id for p in await programmes.all_programmes(s) if p.id is not None]
    for programme_id in ids:
        try:
            await plan_programme(app, programme_id)
        except Exception:  # one programme's trouble must not leave the others unplanned
            log.exception("planning programme %s failed", programme_id)


def start_reconciling(app: AnyApp, every: float = RECONCILE_SECONDS) -> None:
    """Re-plan from the database and deliver what is queued, now and every few minutes."""
    assert app.job_queue is not None
    for job in app.job_queue.get_jobs_by_name(RECONCILE):
        job.schedule_removal()
    # at start the beats were just planned: resume the outbox at once, re-plan from then on
    app.job_queue.run_once(resume_job, when=0.0, name=RECONCILE)
    app.job_queue.run_repeating(reconcile_job, interval=every, first=every, name=RECONCILE)


async def reconcile_job(context: CadenceContext | ContextTypes.DEFAULT_TYPE) -> None:
    """The safety net: no missing job and no queued message survives longer than one interval."""
    svc: Services = context.bot_data["svc"]
    steps = (
        ("planning", plan_all(context.application)),
        ("finishing cut-short plans", resume_planning(context.bot, svc)),
        ("reporting given-up messages", report_given_up(context.bot, svc)),
        ("delivering the outbox", sender_of(svc).deliver(context.bot)),
    )
    for what, step in steps:
        try:
            await step
        except Exception:
            log.exception("reconciliation: %s failed", what)


async def resume_job(context: CadenceContext | ContextTypes.DEFAULT_TYPE) -> None:
    """Plan and deliver whatever a crash or a stop left unplanned or queued."""
    svc: Services = context.bot_data["svc"]
    try:
        await resume_planning(context.bot, svc)
    except Exception:
        log.exception("resuming a cut-short plan failed; reconciliation will retry")
    try:
        await sender_of(svc).deliver(context.bot)
    except Exception:
        log.exception("resuming the outbox failed; reconciliation will retry")


async def beat_job(context: CadenceContext | ContextTypes.DEFAULT_TYPE) -> None:
    """A JobQueue job: run the planned beat, then plan the next one; a failure retries, never unplans."""
    job = context.job
    assert job is not None and isinstance(job.data, dict)
    programme_id, beat = int(job.data["programme_id"]), Beat(job.data["beat"])
    svc: Services = context.bot_data["svc"]
    logs.start_update(None, None)  # a job is no update, whatever task scheduled it
    logs.set_programme(programme_id)
    running(svc)[(programme_id, beat)] += 1
    try:
        await run_beat(
            context.bot, svc, programme_id=programme_id, beat=beat, period=job.data["period"]
        )
    except Exception as exc:
        log.warning("beat %s failed for programme %s; retrying", beat, programme_id)
        assert context.job_queue is not None
        context.job_queue.run_once(
            beat_job, when=svc.settings.cadence_beat_retry_seconds, name=job.name, data=job.data
        )
        # the error handler logs the traceback and forwards it to the operators' chat
        await context.application.process_error(update=None, error=exc, job=job)
        return
    finally:
        running(svc)[(programme_id, beat)] -= 1
    try:
        # only this beat is re-planned: the others keep their jobs (one may be running right now)
        await plan_programme(context.application, programme_id, beat, catch_up=False)
    except Exception:
        log.exception(
            "re-planning %s for programme %s failed; reconciliation will", beat, programme_id
        )
