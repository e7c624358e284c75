"""Helpers for sign-off tests: a second coordinator, an owner asking for sign-off."""

from __future__ import annotations

from datetime import datetime

from conftest import SH, Bot, button
from fakebot import SentMessage, User
from rhythm_support import OWNER_A, measure_id, tick
from sqlmodel import select

from core.domain.model import Role
from storage import people
from storage.models import AuditEvent, Measure

COORD_B = User(501, "Coordinator", language_code="en")


async def add_coordinator(bot: Bot, programme_id: int, name: str, user: User) -> None:
    """A second task-force member, bound and granted the coordinator role."""
    async with bot.db.session() as s:
        person = await people.person_named(s, programme_id=programme_id, name=name)
        person.telegram_user_id = user.id
        s.add(person)
        await s.flush()
        assert person.id is not None
        await people.grant(s, programme_id=programme_id, person_id=person.id, role=Role.COORDINATOR)
        if user.language_code == "en":
            await people.set_pref(s, user_id=user.id, tg_locale="en")


async def step(bot: Bot, user: User, prefix: str, suffix: str = "") -> SentMessage:
    """Press a button of the bot's latest message to the user; returns that message."""
    last = bot.api.last_to(user.id)
    await bot.press(user, last, button(last, prefix, suffix))
    return last


async def upload(bot: Bot, user: User, name: str) -> None:
    """The user sends a document and the bot answers."""
    mark = bot.api.mark()
    bot.api.upload_document(user, name, b"%PDF-1.4 " + name.encode())
    await bot.api.wait_for(user.id, since=mark)
    await bot.api.settle()


async def ask_signoff(
    bot: Bot, user: User, msg: SentMessage, code: str, report: str, files: list[str]
) -> None:
    """From a message with the measure's answer buttons: done, report, files, save."""
    mid = await measure_id(bot, code)
    await bot.press(user, msg, f"ans:{mid}:done")
    await bot.say(user, report)
    for name in files:
        await upload(bot, user, name)
    await step(bot, user, "f:")
    await step(bot, user, "c:", ":save")


async def status_of(bot: Bot, code: str) -> tuple[str, object]:
    """A measure's status and closing date."""
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.code == code))).one()
        return m.status, m.closed_on


async def audit_count(bot: Bot) -> int:
    """How many audit events there are."""
    async with bot.db.session() as s:
        return len((await s.exec(select(AuditEvent))).all())


async def alert(bot: Bot, user: User, msg: SentMessage, data: str) -> str:
    """Press a button that should only be answered (no message, no edit); the answer's text."""
    query = bot.api.press(user, msg, data)
    await bot.api.wait_until(lambda: bot.api.answer_to(query) is not None)
    # the press's notices to others go out beside the update loop (the outbox): wait for them too
    await bot.settle()
    answered = bot.api.answer_to(query)
    assert answered is not None
    return str(answered.get("text", ""))


async def ask_extension(
    bot: Bot, user: User, dispatch: SentMessage, measure: int, wanted: str, reason: str
) -> None:
    """The owner opens a measure from a dispatch and asks for a later deadline, with a reason."""
    await bot.press(user, dispatch, f"m:{measure}")
    choices = bot.api.last_to(user.id)
    await bot.press(user, choices, button(choices, "ext:"))
    await bot.say(user, wanted)
    await bot.say(user, reason)


async def october_closures(bot: Bot, pid: int, report: str) -> tuple[SentMessage, int]:
    """October 8th's dispatch and 1.3.3's id, once 1.3.2 is signed off and 1.3.3 extended."""
    await tick(bot, pid, datetime(2024, 10, 8, 10, 0, tzinfo=SH))
    dispatch = bot.api.messages_to(OWNER_A.id)[-1]
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", report, ["验收报告.pdf"])
    copy = bot.api.last_to(COORD_B.id)
    await bot.press(COORD_B, copy, button(copy, "dec:", ":ok"))
    m133 = await measure_id(bot, "1.3.3")
    await ask_extension(bot, OWNER_A, dispatch, m133, "2025-03-31", "冬季停工。")
    copy = bot.api.last_to(COORD_B.id)
    await bot.press(COORD_B, copy, button(copy, "dec:", ":ok"))
    return dispatch, m133
