"""What a handler or a use case may ask of the timer, the sender and Telegram's file store,
typed: bot/app.py plugs in jobs/'s own, and handlers/bot_files the Bot API's getFile."""

from __future__ import annotations

from enum import StrEnum
from typing import Protocol

from core.domain.model import Beat


class Outcome(StrEnum):
    """What running a beat did."""

    SENT = "sent"
    ALREADY = "already"
    NO_CHAT = "no_chat"
    NO_PROGRAMME = "no_programme"
    NOT_YET = "not_yet"  # a nudge before its working days after the dispatch
    NOBODY = "nobody"  # a dispatch nobody could be sent: the period stays unclaimed


class BeatRun(Protocol):
    """What a beat run on request reports to the person who asked for it."""

    @property
    def period(self) -> str: ...
    @property
    def outcome(self) -> Outcome: ...
    @property
    def reached(self) -> int: ...
    @property
    def owners(self) -> int: ...
    @property
    def unbound(self) -> tuple[str, ...]: ...


class Rhythm(Protocol):
    """The beats' timer (jobs.scheduler, jobs.run)."""

    async def replan(self, programme_id: int) -> None:
        """Plan the programme's beats again from the database (nothing without a job queue)."""
        ...

    async def run_now(
        self, *, programme_id: int, beat: Beat, period: str | None, force: bool
    ) -> BeatRun:
        """Run a beat at once, as a coordinator's command does; then deliver its messages."""
        ...


class Courier(Protocol):
    """The one sender (jobs.outbox): what committed transactions left in the outbox goes out."""

    def deliver_notices(self) -> None:
        """Deliver the notices just planned, beside the update loop."""
        ...

    def deliver_held(self, programme_ids: list[int]) -> None:
        """Deliver what was held for a person who can be reached again, beside the update loop."""
        ...


class Files(Protocol):
    """Files people sent, by Telegram file id (handlers.bot_files: the Bot API's getFile)."""

    async def fetch(self, file_id: str, size: int | None) -> bytes | str:
        """The file's bytes, or why there are none: core.render.binder's TOO_BIG or FAILED."""
        ...
