"""The sandbox: the real bot, the embedded Bot API server and the page, on one event loop."""

from __future__ import annotations

import asyncio
import itertools
import logging
import pickle
from datetime import datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from pydantic import SecretStr

from bot.app import CadenceApp, build_application, services_of
from bot.lifecycle import start_app, stop_app
from bot.sandbox import world
from bot.sandbox.lock import FolderLock
from bot.sandbox.objects import BOT_TOKEN
from bot.sandbox.server import BotApiServer, Routes
from bot.sandbox.world import SandboxClock
from bot.settings import Settings
from core.domain.closing import lookback_moment
from core.domain.model import Beat
from core.domain.periods import next_slot
from core.domain.workcal import CalendarKind, next_workday
from jobs.lookback import run_lookback
from jobs.pacing import Limits, PacedLimiter, Pacer
from jobs.run import BeatResult, run_beat
from jobs.scheduler import plan_all
from storage import beats, lookbacks, programmes
from storage.db import Database
from storage.migrate import upgrade
from storage.programmes import rhythm_of

log = logging.getLogger(__name__)
# what the server keeps of the chats across restarts (the bot's database keeps the rest)
_KEPT = (
    *("sent", "files", "deleted", "_chats", "_users", "_messages", "_bot_messages"),
    *("_next_message_id", "_answered", "_pending"),
)

_FILES = (
    *("sandbox.db", "sandbox.db-wal", "sandbox.db-shm"),
    *("sandbox.db.pacing", "sandbox.db.pacing-wal", "sandbox.db.pacing-shm"),  # shared pacing
    *("sandbox.clock.json", "sandbox.chats.pickle"),
)


class Sandbox:
    """Start, stop, reset; run beats now; move the clock. The page calls these."""

    def __init__(
        self, settings: Settings, *, port: int, folder: Path, limits: Limits | None = None
    ) -> None:
        self.settings = settings
        self.limits = limits  # None: Telegram's own, as the bot paces itself in production
        self.port = port
        self.folder = folder
        self.db_path = folder / "sandbox.db"
        self.server = BotApiServer(token=BOT_TOKEN)
        self.server.privacy_mode = True  # as the README asks of a real deployment
        self.clock = SandboxClock(folder / "sandbox.clock.json")
        self.server.now = lambda: self.clock.now().timestamp()
        self.app: CadenceApp | None = None
        self.personas: list[world.Persona] = []
        self.programme_id = 0
        self.lock = asyncio.Lock()
        self.folder_lock = FolderLock(folder)

    @property
    def url(self) -> str:
        """Where the page is."""
        return f"http://127.0.0.1:{self.server.port}/"

    @property
    def bot_settings(self) -> Settings:
        """The deployment's settings, pointed at the embedded server and the sandbox database."""
        return self.settings.model_copy(
            update={
                "telegram_bot_token": SecretStr(BOT_TOKEN),
                "telegram_api_base_url": self.server.base_url,
                "database_url": f"sqlite:///{self.db_path}",
                "cadence_admins": frozenset({world.COORDINATOR.id}),
                "cadence_error_chat_id": None,
                "telegram_webhook_url": None,  # the sandbox polls its own server
                "telegram_webhook_secret": None,
                "cadence_webapp_url": self.url + "app/",  # the board, served beside the page
            }
        )

    async def start(self, routes: Routes | None = None) -> None:
        """Listen, hold the folder (FolderTaken: another sandbox has it), seed, start the bot."""
        self.folder.mkdir(parents=True, exist_ok=True)
        await self.server.start(self.port, routes)
        try:
            self.folder_lock.acquire(self.url)  # before any file in the folder is read or deleted
            await self._start_bot()
        except BaseException:
            await self.server.stop()
            self.folder_lock.release()
            raise

    async def stop(self) -> None:
        """Stop the bot, keep the chats, close the server and let the folder go."""
        try:
            await self._stop_bot()
            await self.server.stop()
        finally:
            self.folder_lock.release()

    async def reset(self) -> None:
        """Start over: a fresh database, empty chats, the clock back at the start."""
        async with self.lock:
            await self._stop_bot()
            for name in _FILES:
                (self.folder / name).unlink(missing_ok=True)
            for name in _KEPT:
                getattr(self.server, name).clear()
            self.clock.restart()
            await self._start_bot()

    async def _start_bot(self) -> None:
        fresh = not self.db_path.exists()
        settings = self.bot_settings
        await asyncio.to_thread(upgrade, settings.database_url)
        db = Database(settings.database_url)
        try:
            if fresh:
                self.clock.save()
                self.programme_id = await world.seed(db, self.clock.now())
            else:
                self._restore()
            async with db.session() as s:
                found = await programmes.by_name(s, name=world.PROGRAMME)
            self.programme_id = found.id if found is not None and found.id else 0
            self.personas = await world.personas(db)
        finally:
            await db.dispose()
        self.server.introduce(world.COORDINATOR, world.STRANGER, *world.GROUPS)
        self.server.introduce(*(p.user for p in self.personas))
        limiter = PacedLimiter(Pacer(self.limits)) if self.limits else None
        self.app = build_application(settings, clock=self.clock, rate_limiter=limiter)
        await start_app(self.app, poll_timeout=10)

    async def refresh_personas(self) -> None:
        """Read who is bound again: a link opened in the page binds someone new."""
        if self.app is not None:
            self.personas = await world.personas(services_of(self.app).database)

    async def _stop_bot(self) -> None:
        if self.app is not None:
            await stop_app(self.app)
            self.app = None
            self._save()

    def _save(self) -> None:
        if self.db_path.exists():
            kept = {name: getattr(self.server, name) for name in _KEPT}
            kept["_ids"] = next(self.server._ids)  # file and query ids go on where they were
            (self.folder / "sandbox.chats.pickle").write_bytes(pickle.dumps(kept))

    def _restore(self) -> None:
        path = self.folder / "sandbox.chats.pickle"
        if not path.exists():
            return
        try:
            kept = pickle.loads(path.read_bytes())  # our own file, written by _save
        except Exception:  # a file from another version: start with empty chats
            log.warning("could not read %s; the chats start empty", path)
            return
        for name, value in kept.items():
            if name in _KEPT:
                setattr(self.server, name, value)
        self.server._ids = itertools.count(int(kept.get("_ids", 1)))

    # ---- the clock panel -------------------------------------------------------------------

    async def run_now(self, beat: Beat) -> BeatResult:
        """Run the beat's next planned occurrence now, as listed on the page (again if sent)."""
        assert self.app is not None
        svc = services_of(self.app)
        async with svc.database.session() as s:
            programme = await programmes.by_id(s, programme_id=self.programme_id)
        assert programme is not None
        period = next_slot(beat, rhythm_of(programme), self.clock.now()).period
        return await run_beat(
            self.app.bot,
            svc,
            programme_id=self.programme_id,
            beat=beat,
            period=period,
            manual=True,
            force=True,
        )

    async def next_lookback(self) -> tuple[int, datetime] | None:
        """The closed measure whose look-back comes first, and when, if any waits for one."""
        assert self.app is not None
        async with services_of(self.app).database.session() as s:
            programme = await programmes.by_id(s, programme_id=self.programme_id)
            waiting = await lookbacks.unasked(s, programme_id=self.programme_id)
        if programme is None or not waiting:
            return None
        kind, at = CalendarKind(programme.calendar), rhythm_of(programme).dispatch_time
        days, tz = programme.lookback_days, programme.timezone
        return min(
            ((mid, lookback_moment(closed, days, kind, at, tz)) for mid, closed in waiting),
            key=lambda pair: pair[1],
        )

    async def run_lookback_now(self) -> bool:
        """Ask the first waiting look-back now, though its day has not come."""
        assert self.app is not None
        first = await self.next_lookback()
        if first is None:
            return False
        svc = services_of(self.app)
        return await run_lookback(
            self.app.bot, svc, programme_id=self.programme_id, measure_id=first[0], early=True
        )

    async def next_beats(self) -> list[tuple[Beat, datetime, bool]]:
        """Each beat's next planned moment, soonest first, and whether it was already sent."""
        assert self.app is not None
        async with services_of(self.app).database.session() as s:
            programme = await programmes.by_id(s, programme_id=self.programme_id)
            sent = await beats.sent_periods(s, programme_id=self.programme_id)
        if programme is None:
            return []
        rhythm, now = rhythm_of(programme), self.clock.now()
        slots = sorted((next_slot(beat, rhythm, now) for beat in Beat), key=lambda x: x.planned)
        return [(x.beat, x.planned, (x.beat, x.period) in sent) for x in slots]

    async def advance(self, to: str) -> None:
        """Move the clock to the next working day (9:00) or to the next beat; due beats run."""
        assert self.app is not None
        beats = await self.next_beats()
        async with services_of(self.app).database.session() as s:
            programme = await programmes.by_id(s, programme_id=self.programme_id)
        assert programme is not None
        rhythm = rhythm_of(programme)
        local = self.clock.now().astimezone(ZoneInfo(programme.timezone))
        if to == "beat" and beats:
            target = beats[0][1] + timedelta(seconds=1)
        else:
            day = next_workday(local.date() + timedelta(days=1), rhythm.calendar)
            target = datetime.combine(day, time(9, 0), local.tzinfo)
        self.clock.advance_to(target)
        await plan_all(self.app)  # what became due runs now, the rest is planned again
