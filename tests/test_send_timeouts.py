"""False timeouts: counted per process in the database, and shown in /status of any process."""

from __future__ import annotations

import httpx
from conftest import ADMIN
from delivery_support import dispatches_to, owner, running, seed_owners
from fakebot import Fault
from sqlmodel import select
from telegram.error import NetworkError, TimedOut

from core.domain.model import Beat
from jobs.pacing import Limits
from jobs.run import run_beat
from jobs.timeouts import may_have_arrived
from storage.models_delivery import SendTimeout
from storage.timeouts import this_process
from usecases.ports import Outcome


def _timeout(cause: Exception) -> TimedOut:
    exc = TimedOut()
    exc.__cause__ = cause
    return exc


def test_only_a_timeout_after_the_request_left_may_hide_a_delivery() -> None:
    assert may_have_arrived(_timeout(httpx.ReadTimeout("read")))
    assert may_have_arrived(_timeout(httpx.WriteTimeout("write")))
    assert not may_have_arrived(_timeout(httpx.ConnectTimeout("connect")))  # never left
    assert not may_have_arrived(_timeout(httpx.PoolTimeout("pool")))  # never left either
    assert not may_have_arrived(NetworkError("connection reset"))


async def test_timeouts_are_counted_and_shown_in_status(db_url: str) -> None:
    async with running(db_url, Limits(), cadence_send_timeout=0.5) as bot:
        pid = await seed_owners(bot, 3)
        faults = bot.api.faults
        faults.hang = 1.5  # longer than the send's read timeout: the sender gives up waiting
        faults.next_for(owner(0).id, Fault.TIMEOUT, Fault.TIMEOUT)
        faults.next_for(owner(1).id, Fault.RESET)  # a reset is no timeout
        svc = bot.app.bot_data["svc"]
        result = await run_beat(bot.app.bot, svc, programme_id=pid, beat=Beat.DISPATCH)
        assert result.outcome is Outcome.SENT
        assert [dispatches_to(bot.api, owner(i)) for i in range(3)] == [1, 1, 1]
        async with bot.db.session() as s:
            rows = (await s.exec(select(SendTimeout))).all()
            assert [(r.programme_id, r.process) for r in rows] == [(pid, this_process())] * 2
            # another process on the same database (a CLI beat, a replica) timed out once
            s.add(SendTimeout(programme_id=pid, process="replica-2:77", at=bot.clock.now()))
        status = (await bot.say(ADMIN, "/status")).plain.split("\n")
        assert [line for line in status if "发送超时" in line] == [
            f"• 发送超时：近7天3次（{this_process()} ×2和replica-2:77 ×1）；"
            "超时的消息均已重发，Telegram可能已送达过一次"
        ]
