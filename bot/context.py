"""The services every callback shares and the per-update context that carries them."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter, deque
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any, TypeVar

from telegram.ext import Application, CallbackContext, ExtBot

from bot.settings import Settings
from core.clock import Clock
from core.domain.model import Beat
from core.i18n import Tr, tr
from core.render.callback_codec import Button
from usecases.ports import Courier, Rhythm

if TYPE_CHECKING:
    from sqlmodel.ext.asyncio.session import AsyncSession

    from storage.db import Database
    from storage.models import Programme
    from storage.people import Identity, Membership

B = TypeVar("B", bound=Button)


@dataclass
class Services:
    """Long-lived resources, opened in post_init and closed in post_shutdown."""

    settings: Settings
    clock: Clock
    db: Database | None = None
    busy: int = 0  # updates and beats in progress, some of them beside the update loop
    started: datetime | None = None  # when this process started serving (/status)
    stop_on_signals: bool = False  # `run` owns the process: its signals stop the bot
    run_polling: bool = False  # run_polling's loop: a 409 Conflict stops the process
    conflict: bool = False  # another process polls with this token
    apologised: deque[int] = field(default_factory=lambda: deque(maxlen=500))  # update ids
    last_db_report: datetime | None = None  # the last database outage forwarded
    running_beats: Counter[tuple[int, Beat]] = field(default_factory=Counter)
    sender: Any = None  # jobs.outbox.Sender, made on first use (a floor above this one)
    # the timer and the sender as handlers ask them: build_application plugs in jobs/'s own
    rhythm: Rhythm = field(init=False, repr=False)
    courier: Courier = field(init=False, repr=False)

    def track(self, task: asyncio.Future[Any]) -> None:
        """Count work that runs beside the update loop from now until it ends."""
        self.busy += 1
        task.add_done_callback(lambda _: setattr(self, "busy", self.busy - 1))

    @contextlib.contextmanager
    def working(self) -> Iterator[None]:
        """Count a piece of work in progress (tests and shutdown wait for none)."""
        self.busy += 1
        try:
            yield
        finally:
            self.busy -= 1

    @property
    def database(self) -> Database:
        """The database; persistence may need it before post_init, so it opens on first use."""
        if self.db is None:
            from storage.db import Database

            self.db = Database(self.settings.database_url)
        return self.db

    async def close(self) -> None:
        """Close the database if it was opened."""
        if self.db is not None:
            await self.db.dispose()
            self.db = None


class CadenceContext(CallbackContext[ExtBot[None], Any, dict[Any, Any], dict[Any, Any]]):
    """PTB context plus what the gate resolved for this update; user_data is the handlers' own
    (handlers.drafts.UserDrafts, read through handlers.drafts.drafts)."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self._session: AsyncSession | None = None
        self.t: Tr = tr(None)
        self.who: Identity | None = None
        self.programme: Programme | None = None
        self.member: Membership | None = None
        self.is_admin = False
        self.button: Button | None = None  # the press, decoded by its ButtonHandler
        self.reached = False  # the gate cleared an unreachable mark (or found none) and committed
        self._after_commit: list[Callable[[], Awaitable[object]]] = []
        self._replies: list[Callable[[], Awaitable[object]]] = []
        self._kept: list[object] = []

    def pressed(self, kind: type[B]) -> B | None:
        """The button of this kind that was pressed; None when its data was forged or stale."""
        return self.button if isinstance(self.button, kind) else None

    def keep(self, loaded: object) -> None:
        """Hold an object the gate loaded until the update ends, so the handler's look-up of it
        is answered from the session (which holds loaded objects only weakly)."""
        self._kept.append(loaded)

    def after_commit(self, work: Callable[[], Awaitable[object]]) -> None:
        """Run work once this update's transaction has committed (it opens its own sessions)."""
        self._after_commit.append(work)

    def replan_after_commit(self, programme_id: int) -> None:
        """Plan a programme's beats again once this update, which created or changed it, commits."""
        rhythm = self.svc.rhythm
        self.after_commit(lambda: rhythm.replan(programme_id))

    def reply(self, work: Callable[[], Awaitable[object]]) -> None:
        """Answer the person acting once this update's transaction has committed, first of the
        follow-ups: "saved" is said only of what is, and a failed commit gets the apology."""
        self._replies.append(work)

    def drop_after_commit(self) -> None:
        """Forget the replies and follow-ups of an update whose transaction rolled back."""
        self._after_commit, self._replies = [], []

    async def run_after_commit(self) -> None:
        """Run (once) what the update left for after its commit; the gate calls it."""
        work = self._replies + self._after_commit
        self._after_commit, self._replies = [], []
        for item in work:
            await item()

    @property
    def svc(self) -> Services:
        """The application's services."""
        svc = self.bot_data["svc"]
        assert isinstance(svc, Services)
        return svc

    @property
    def session(self) -> AsyncSession:
        """The one database session of this update (opened by the gate)."""
        assert self._session is not None, "handler not wrapped by gate()"
        return self._session

    @session.setter
    def session(self, value: AsyncSession | None) -> None:
        self._session = value

    @property
    def programme_id(self) -> int:
        """The id of the programme this update is about."""
        assert self.programme is not None and self.programme.id is not None
        return self.programme.id

    @property
    def actor(self) -> str:
        """How the audit log names whoever sent this update."""
        return f"tg:{self.who.user_id}" if self.who else "tg:?"
