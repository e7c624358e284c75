"""A bot process for the crash and replica tests: the real application, its clock pinned.

Usage: python crash_bot.py DATABASE_URL BOT_API_BASE_URL ISO_MOMENT [WEBHOOK_PORT | run]
With WEBHOOK_PORT it is a webhook replica listening on 127.0.0.1:WEBHOOK_PORT; with `run` it is
bot.lifecycle.run as deployed (its signal handling included); else it polls.
`python crash_bot.py forks` starts polling bots on request, each a fork of it (fork_server).
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import traceback
from datetime import datetime
from typing import Any

from conftest import ADMIN, make_app
from fakebot import BOT_TOKEN

from bot import web
from bot.lifecycle import start_app
from bot.settings import Settings
from core.clock import FixedClock
from jobs.pacing import Limits

# slow enough that a fan-out to a few dozen owners lasts seconds: room to be killed in
SLOW = Limits(per_second=12, private_per_second=0, group_per_minute=0)
RELAXED = Limits(per_second=1000, private_per_second=0, group_per_minute=0)
PUBLIC = "https://cadence.example.org/telegram/hook"
READY = "ready"  # a fork says which it is: `ready PID`
SECRET = "s3cret-token_for-tests"


async def main(db_url: str, base_url: str, moment: str, port: str | None = None) -> None:
    """Run until killed."""
    webhook: dict[str, Any] = (
        {"telegram_webhook_url": PUBLIC, "telegram_webhook_secret": SECRET} if port else {}
    )
    settings = Settings(
        _env_file=None,
        telegram_bot_token=BOT_TOKEN,
        database_url=db_url,
        telegram_api_base_url=base_url,
        cadence_admins=frozenset({ADMIN.id}),
        cadence_retry_seconds=0.05,
        cadence_send_timeout=2.0,
        cadence_lease_seconds=3.0,
        cadence_reconcile_seconds=1.0,  # a lease a kill left behind is taken up again soon
        **webhook,
    )
    app = make_app(settings, FixedClock(datetime.fromisoformat(moment)), RELAXED if port else SLOW)
    if port:  # like bot.web.run_webhook, on a loop we own
        await app.initialize()
        assert app.post_init is not None
        await app.post_init(app)
        # the listener bot.lifecycle.run serves in webhook mode: updates and the board on one port
        await web.start_webhook(app, listen="127.0.0.1", port=int(port), url=PUBLIC, secret=SECRET)
        await app.start()
    else:
        await start_app(app, poll_timeout=1)
    print(READY, flush=True)
    await asyncio.Event().wait()


def fork_server() -> None:
    """Polling bots on request, each forked from this process: the imports are paid once.

    A fresh interpreter spends ~2 s of CPU importing before its bot starts; the kill loop starts
    one per kill. A fork is still a process of its own: a SIGKILL ends it as hard, its sockets
    and database connections die with it. Lines on stdin: `start DB_URL BASE_URL MOMENT` (the
    fork prints `ready PID` once polling, or `failed PID`); `wait PID` (this process reaps the
    one the test killed and prints `dead PID`); end of input ends it, and any fork a failed test
    left running.
    """
    global READY
    alive: set[int] = set()
    while line := sys.stdin.readline():
        word, *args = line.split()
        if word == "wait":
            os.waitpid(int(args[0]), 0)
            alive.discard(int(args[0]))
            print("dead", args[0], flush=True)
            continue
        sys.stdout.flush()  # nothing buffered may be written twice
        if pid := os.fork():
            alive.add(pid)
        else:
            os.close(0)  # the orders are for the server
            READY = f"ready {os.getpid()}"
            try:
                asyncio.run(main(*args))
            except BaseException:
                traceback.print_exc()
                print("failed", os.getpid(), flush=True)
            os._exit(1)
    for pid in alive:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def deployed(db_url: str, base_url: str, moment: str) -> int:
    """bot.lifecycle.run, as `python -m bot run` calls it, with the clock pinned and slow pacing."""
    from bot.lifecycle import run
    from jobs.pacing import PacedLimiter, Pacer

    settings = Settings(
        _env_file=None,
        telegram_bot_token=BOT_TOKEN,
        database_url=db_url,
        telegram_api_base_url=base_url,
        cadence_send_timeout=2.0,
    )
    clock = FixedClock(datetime.fromisoformat(moment))
    return run(settings, clock=clock, rate_limiter=PacedLimiter(Pacer(SLOW)))


if __name__ == "__main__":
    if sys.argv[1:] == ["forks"]:
        fork_server()
    elif sys.argv[4:5] == ["run"]:
        sys.exit(deployed(*sys.argv[1:4]))
    else:
        asyncio.run(main(*sys.argv[1:5]))
