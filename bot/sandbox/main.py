"""`python -m bot sandbox` (and `make run` without a token): serve the sandbox until interrupted."""

from __future__ import annotations

import asyncio
import contextlib
import logging
import signal
import sys

from bot.sandbox.lock import FolderTaken
from bot.sandbox.page import Page
from bot.sandbox.runner import Sandbox
from bot.settings import Settings
from core import logs
from core.i18n import tr

READY = (
    "Cadence sandbox: open {url} to play every role in the browser (nothing leaves this "
    "computer). To go live, set TELEGRAM_BOT_TOKEN (see README.md) and run make run again."
)


def _log_to_file(settings: Settings) -> None:
    """The terminal gets one line; the bot's log goes to data/sandbox.log."""
    folder = settings.cadence_sandbox_dir
    folder.mkdir(parents=True, exist_ok=True)
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = logging.FileHandler(folder / "sandbox.log", encoding="utf-8")
    handler.setFormatter(logging.Formatter(logs.FORMAT))
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    logs.install(None)


async def serve(settings: Settings, port: int | None = None) -> None:
    """Start the sandbox, print where it is, and run until SIGINT or SIGTERM."""
    sandbox = Sandbox(
        settings,
        port=settings.cadence_sandbox_port if port is None else port,
        folder=settings.cadence_sandbox_dir,
    )
    await sandbox.start(Page(sandbox).routes)
    print(READY.format(url=sandbox.url), flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(sig, stop.set)
    try:
        await stop.wait()
    finally:
        await sandbox.stop()


def run(settings: Settings, port: int | None = None) -> int:
    """Serve the sandbox; 0 when stopped by a signal, 2 when the port or the folder is taken."""
    _log_to_file(settings)
    try:
        asyncio.run(serve(settings, port))
    except FolderTaken as exc:
        print(exc.line(tr(settings.cadence_locale)), file=sys.stderr, flush=True)
        return 2
    except OSError as exc:
        taken = settings.cadence_sandbox_port if port is None else port
        print(
            f"Cannot start the sandbox on 127.0.0.1:{taken} ({exc.strerror or exc}). "
            "Choose another port with --port or CADENCE_SANDBOX_PORT.",
            file=sys.stderr,
            flush=True,
        )
        return 2
    return 0
