"""End to end: an escalation whose leader cannot hear it reaches the task force (issue 24)."""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, SH, TASKFORCE, Bot
from rhythm_support import LEADER, seed, tick
from sqlmodel import select

from storage.models import Person

LEADER_NAME = "管委会副主任（分管城建）"
SILENT_133 = (
    "⚠️ 整改措施1.3.3（推进城市供水管网延伸工程，年内全覆盖解决群众饮水问题）"
    "已连续2次调度未收到城市管理局联络员的反馈。"
)


async def _leader(bot: Bot, *, bound: bool, unreachable: datetime | None = None) -> None:
    async with bot.db.session() as s:
        person = (await s.exec(select(Person).where(Person.name == LEADER_NAME))).one()
        person.telegram_user_id = LEADER.id if bound else None
        person.unreachable_since = unreachable
        s.add(person)


async def _two_silent_weeks(bot: Bot, pid: int) -> None:
    """W41 and W42 reach the owners and get no answer; W43 escalates."""
    await tick(bot, pid, datetime(2024, 10, 8, 9, 30, tzinfo=SH))
    await tick(bot, pid, datetime(2024, 10, 14, 9, 30, tzinfo=SH))
    await tick(bot, pid, datetime(2024, 10, 21, 9, 30, tzinfo=SH))


def _escalations(bot: Bot, chat_id: int) -> list[str]:
    return [m.plain for m in bot.api.messages_to(chat_id) if m.plain.startswith("⚠️ 整改措施")]


async def test_unbound_leader_escalation_goes_to_task_force_chat(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 10, 8, 8, 0, tzinfo=SH))
    pid = await seed(bot)
    await _leader(bot, bound=False)
    mark = bot.api.mark()
    bot.api.send_group(TASKFORCE, ADMIN, "/setup P taskforce")
    await bot.api.wait_for(TASKFORCE.id, since=mark)
    await _two_silent_weeks(bot, pid)
    told = _escalations(bot, TASKFORCE.id)
    assert (
        SILENT_133 + f"责任领导{LEADER_NAME}尚未加入本系统，无法收到提请督办，请整改专班督办。"
    ) in told
    assert len(told) == len(set(told))  # once per silence
    assert not _escalations(bot, ADMIN.id)  # the chat hears it: not each coordinator as well
    await tick(bot, pid, datetime(2024, 10, 28, 9, 30, tzinfo=SH))
    assert _escalations(bot, TASKFORCE.id) == told  # the same silence is not told again


async def test_unreachable_leader_escalation_goes_to_each_coordinator(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 10, 8, 8, 0, tzinfo=SH))
    pid = await seed(bot)
    await _leader(bot, bound=True, unreachable=datetime(2024, 10, 1, tzinfo=SH))
    await _two_silent_weeks(bot, pid)
    assert not _escalations(bot, LEADER.id)
    told = _escalations(bot, ADMIN.id)  # no task-force chat: every coordinator
    assert SILENT_133 + f"责任领导{LEADER_NAME}目前无法联系，请整改专班督办。" in told
