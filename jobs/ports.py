"""The timer and the sender behind usecases.ports, for bot/app.py to give the handlers."""

from __future__ import annotations

from typing import Any

from telegram.ext import Application

from bot.context import Services
from core.domain.model import Beat
from jobs.outbox import deliver_notices, sender_of
from jobs.run import BeatResult, run_beat
from jobs.scheduler import plan_programme

AnyApp = Application[Any, Any, Any, Any, Any, Any]


class JobRhythm:
    """usecases.ports.Rhythm on the application's job queue."""

    def __init__(self, app: AnyApp, svc: Services) -> None:
        self._app, self._svc = app, svc

    async def replan(self, programme_id: int) -> None:
        """Plan the programme's beats again (a process without a job queue plans none)."""
        if self._app.job_queue is not None:
            await plan_programme(self._app, programme_id)

    async def run_now(
        self, *, programme_id: int, beat: Beat, period: str | None, force: bool
    ) -> BeatResult:
        """Run the beat now, as asked by hand (a nudge need not wait for its days)."""
        return await run_beat(
            self._app.bot,
            self._svc,
            programme_id=programme_id,
            beat=beat,
            period=period,
            manual=True,
            force=force,
        )


class OutboxCourier:
    """usecases.ports.Courier on the process's one sender."""

    def __init__(self, app: AnyApp, svc: Services) -> None:
        self._app, self._svc = app, svc

    def deliver_notices(self) -> None:
        """Deliver the notices a committed transaction planned, beside the update loop."""
        deliver_notices(self._svc, self._app.bot, self._app)

    def deliver_held(self, programme_ids: list[int]) -> None:
        """Send what was held for someone reachable again, a task per programme."""
        sender = sender_of(self._svc)
        for pid in programme_ids:
            self._app.create_task(sender.deliver(self._app.bot, programme_id=pid))
