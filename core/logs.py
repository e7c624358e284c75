"""Logging set-up: the token never reaches a log line, and each line names its update."""

from __future__ import annotations

import logging
import sys
import traceback
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass, replace
from types import TracebackType

REDACTED = "[token redacted]"
FORMAT = (
    "%(asctime)s %(levelname)s %(name)s "
    "[programme=%(programme)s update=%(update_id)s user=%(user_id)s]: %(message)s"
)


@dataclass(frozen=True)
class Where:
    """What the current task is working on, stamped on every log line."""

    programme: str = "-"
    update_id: str = "-"
    user_id: str = "-"


_NOWHERE = Where()
_WHERE: ContextVar[Where] = ContextVar("cadence_log_where", default=_NOWHERE)


def start_update(update_id: int | None, user_id: int | None) -> None:
    """A new update begins: forget the previous one's programme."""
    _WHERE.set(
        Where(
            update_id="-" if update_id is None else str(update_id),
            user_id="-" if user_id is None else str(user_id),
        )
    )


def set_programme(programme: int | str | None) -> None:
    """The gate (or a job) knows the programme now."""
    _WHERE.set(replace(_WHERE.get(), programme="-" if programme is None else str(programme)))


def current() -> Where:
    """What the current task is working on."""
    return _WHERE.get()


def secrets_of(token: str | None) -> tuple[str, ...]:
    """The strings to hide: the token, and its secret half on its own (it shows up URL-split)."""
    if not token:
        return ()
    secret = token.partition(":")[2]
    return (token, secret) if len(secret) >= 8 else (token,)


def redact(text: str, secrets: Iterable[str]) -> str:
    """The text with every secret replaced."""
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text


class Redactor(logging.Filter):
    """Rewrites each record so no handler can print the token, traceback included."""

    def __init__(self, secrets: Iterable[str]) -> None:
        super().__init__()
        self.secrets = tuple(s for s in secrets if s)

    def filter(self, record: logging.LogRecord) -> bool:
        """Redact the message, the traceback and the stack; stamp what the task works on."""
        where = _WHERE.get()
        for key, value in vars(where).items():
            if not hasattr(record, key):
                setattr(record, key, value)
        if not self.secrets:
            return True
        record.msg, record.args = redact(record.getMessage(), self.secrets), None
        if record.exc_info and not record.exc_text:
            record.exc_text = "".join(traceback.format_exception(*record.exc_info)).rstrip("\n")
        if record.exc_text:
            record.exc_text = redact(record.exc_text, self.secrets)
        if record.stack_info:
            record.stack_info = redact(record.stack_info, self.secrets)
        return True


def install(token: str | None) -> Redactor:
    """Put the redactor on every root handler (idempotent) and on uncaught exceptions."""
    root = logging.getLogger()
    if not root.handlers:
        logging.basicConfig(level=logging.INFO, format=FORMAT)
    for noisy in ("httpx", "alembic"):  # per-request and per-plugin INFO lines drown ours
        logging.getLogger(noisy).setLevel(logging.WARNING)
    redactor = Redactor(secrets_of(token))
    for handler in root.handlers:
        for old in [f for f in handler.filters if isinstance(f, Redactor)]:
            handler.removeFilter(old)
        handler.addFilter(redactor)

    def excepthook(
        kind: type[BaseException], value: BaseException, tb: TracebackType | None
    ) -> None:
        logging.getLogger("cadence").critical("uncaught error", exc_info=(kind, value, tb))

    sys.excepthook = excepthook
    return redactor


class _StartFailure(logging.Filter):
    """Drops PTB's tracebacks of a failed start: the command line prints it as one line."""

    starting = True

    def filter(self, record: logging.LogRecord) -> bool:
        """False for the bootstrap's failure and a garbage answer while starting; both raise."""
        text = record.getMessage()
        if text.startswith("Network Retry Loop (Bootstrap"):
            return False
        return not (self.starting and text.startswith("Can not load invalid JSON data"))


_QUIET = _StartFailure()


def quiet_start_failures() -> None:
    """Leave a failed start (Telegram unreachable or broken, token rejected) to one line."""
    _QUIET.starting = True
    for name in ("telegram.ext", "telegram.request.BaseRequest"):
        logger = logging.getLogger(name)
        if _QUIET not in logger.filters:
            logger.addFilter(_QUIET)


def started() -> None:
    """Started: a garbage answer from now on is logged in full (the body helps)."""
    _QUIET.starting = False
