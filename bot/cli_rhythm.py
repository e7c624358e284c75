"""CLI: summary, beat and schedule, through the same functions the bot uses.

Imports are inside the commands: `summary` and `schedule` need the database only, never
Telegram or the bot's handlers, and a command-line run pays for what it uses.
"""

from __future__ import annotations

import argparse
import sys
from datetime import date, datetime, time
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from bot.settings import Settings
from core.clock import Clock, FixedClock, today_in

if TYPE_CHECKING:
    from bot.context import Services
    from jobs.run import BeatResult
    from storage.db import Database
    from storage.models import Programme


def add_parsers(sub: Any) -> None:
    """Register the rhythm sub-commands."""
    summ = sub.add_parser("summary", help="print the /summary picture")
    summ.add_argument("--programme", required=True)
    summ.add_argument("--as-of", type=date.fromisoformat, default=None)
    summ.add_argument("--locale", default=None)
    beat = sub.add_parser("beat", help="send a beat now through the Bot API")
    beat.add_argument("beat", choices=["dispatch", "nudge", "review", "report"])
    beat.add_argument("--programme", required=True)
    beat.add_argument("--as-of", type=date.fromisoformat, default=None)
    beat.add_argument(
        "--force", action="store_true", help="send again even if already sent for the period"
    )
    beat.add_argument(
        "--budget",
        type=float,
        default=300.0,
        help="seconds to keep retrying transient failures before leaving them to the bot",
    )
    sched = sub.add_parser("schedule", help="print every planned beat in a date range")
    sched.add_argument("--programme", required=True)
    sched.add_argument("--from", dest="start", type=date.fromisoformat, required=True)
    sched.add_argument("--to", dest="end", type=date.fromisoformat, required=True)


def _as_of_clock(as_of: date | None, tz: str) -> Clock:
    """A clock pinned to the end of the as-of day (programme time), or real time."""
    if as_of is None:
        return Clock()
    local = datetime.combine(as_of, time(23, 59), ZoneInfo(tz))
    return FixedClock(local)


async def dispatch(settings: Settings, args: argparse.Namespace, clock: Clock) -> int:
    """Run summary, beat or schedule."""
    from core.i18n import tr
    from storage import programmes
    from storage.db import Database

    db = Database(settings.database_url)
    try:
        async with db.session() as s:
            programme = await programmes.by_name(s, name=args.programme)
        if programme is None or programme.id is None:
            print(
                tr(settings.cadence_locale)._("No programme named {name}.", name=args.programme),
                file=sys.stderr,
            )
            return 1
        if args.command == "schedule":
            return _schedule(programme, args)
        # the moment it is asked, before the clock is pinned to the as-of day: whether that
        # day's month is over
        now = clock.now()
        if args.as_of is not None:
            clock = _as_of_clock(args.as_of, programme.timezone)
        if args.command == "summary":
            return await _summary(db, programme, args, clock, now)
    finally:
        await db.dispose()
    return await _beat(settings, args, clock, programme.id)


def _schedule(programme: Programme, args: argparse.Namespace) -> int:
    """Print every planned beat between two days."""
    from core.domain.periods import slots_between
    from storage.programmes import rhythm_of

    for slot in slots_between(rhythm_of(programme), args.start, args.end):
        print(
            f"{slot.beat.value:<9} {slot.period:<11} {slot.planned.strftime('%Y-%m-%d %H:%M %Z')}"
        )
    return 0


async def _summary(
    db: Database, programme: Programme, args: argparse.Namespace, clock: Clock, now: datetime
) -> int:
    """Print the /summary picture as the bot would send it."""
    from core.i18n import tr
    from core.render.digest import summary_text
    from storage import reports

    t = tr(args.locale or programme.locale)
    async with db.session() as s:
        content = await reports.summary_content(
            s,
            programme=programme,
            today=today_in(clock.now(), programme.timezone),
            past=args.as_of is not None,
            now=now,
        )
    print(summary_text(t, content, programme.name))
    return 0


async def _beat(
    settings: Settings, args: argparse.Namespace, clock: Clock, programme_id: int
) -> int:
    """Send a beat now with the bot's own Bot and services."""
    from bot.lifecycle import bot_and_services
    from core.domain.model import Beat
    from jobs.run import run_beat
    from usecases.ports import Outcome

    if settings.telegram_bot_token is None:
        print("TELEGRAM_BOT_TOKEN is not set", file=sys.stderr)
        return 2
    async with bot_and_services(settings, clock) as (bot, svc):
        result = await run_beat(
            bot,
            svc,
            programme_id=programme_id,
            beat=Beat(args.beat),
            manual=True,
            force=args.force,
            budget=args.budget,
            resume=True,  # run again after a crash, it finishes what the first run queued
        )
        left = await _undelivered(svc, programme_id, result) if result.delivery else None
    if left:
        # exit 0 means every message of the beat's period was delivered, whoever sent it
        print(f"{result.beat.value} {result.period}: {left}", file=sys.stderr)
        for error in result.delivery.errors if result.delivery else []:
            print(f"  {error}", file=sys.stderr)
        return 3
    print(f"{result.beat.value} {result.period}: {result.outcome.value} ({result.reached})")
    return 0 if result.outcome in (Outcome.SENT, Outcome.ALREADY) else 1


async def _undelivered(svc: Services, programme_id: int, result: BeatResult) -> str | None:
    """What of the beat's period is not delivered (this run's or an earlier one's), or None."""
    from datetime import UTC

    from storage import outbox

    beats = [result.beat.value] + (["escalation"] if result.beat.value == "dispatch" else [])
    async with svc.database.session() as s:
        rows = await outbox.of_period(
            s, programme_id=programme_id, beats=beats, period=result.period
        )
    wall = datetime.now(UTC)

    def leased(until: datetime | None) -> bool:
        return until is not None and until.replace(tzinfo=until.tzinfo or UTC) > wall

    states = [r.state for r in rows]
    taken = sum(1 for r in rows if r.state == outbox.QUEUED and leased(r.leased_until))
    waiting, held = states.count(outbox.QUEUED) - taken, states.count(outbox.HELD)
    failed = states.count(outbox.FAILED)
    if not (waiting or taken or held or failed):
        return None
    return (
        f"{states.count(outbox.SENT)} of {len(rows)} sent, NOT delivered: "
        f"{held} held for people who cannot be reached, "
        f"{taken} taken by another process (freed when its lease ends), "
        f"{waiting} queued for retry by the running bot, {failed} given up"
    )
