"""Six weeks of a task force's life, end to end, in zh_CN and in English (issue 9).

A programme created on a Friday afternoon, the seed's ledger imported, both groups set up,
a dispatch tried before anyone is bound, then two people bound and six simulated weeks: each
step asserts what every role received, and when (story_texts.py holds the words).
"""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from conftest import ADMIN, GROUP, SH, TASKFORCE, Bot, button, make_app, sample, settings_for
from fakebot import SentMessage, User
from rhythm_support import bind, measure_id, tick
from signoff_support import ask_signoff
from sqlmodel import select
from story_texts import TEXTS

from bot.lifecycle import start_app, stop_app
from storage.models import SentBeat

OWNER = User(311, "Owner", language_code="zh-hans")
LEADER = User(411, "Leader", language_code="zh-hans")


def at(month: int, day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2024, month, day, hour, minute, tzinfo=SH)


class Story:
    """The running bot, who is who, and what each of them received since the last look."""

    def __init__(self, bot: Bot, locale: str) -> None:
        lang = "en" if locale == "en" else "zh-hans"
        self.bot, self.t = bot, TEXTS[locale]
        self.admin = User(ADMIN.id, "Admin", language_code=lang)
        self.owner = User(OWNER.id, "Owner", language_code=lang)
        self.leader = User(LEADER.id, "Leader", language_code=lang)
        self.roles = {
            ADMIN.id: "coordinator",
            OWNER.id: "owner",
            LEADER.id: "leader",
            GROUP.id: "leadership group",
            TASKFORCE.id: "task force",
        }
        self.mark = 0

    def news(self) -> list[tuple[str, str]]:
        """(role, first line) of every message sent since the last call, in order."""
        sent = self.bot.api.sent[self.mark :]
        self.mark = len(self.bot.api.sent)
        return [(self.roles.get(m.chat_id, str(m.chat_id)), _first(m)) for m in sent]

    async def say(self, user: User, text: str) -> SentMessage:
        return await self.bot.say(user, text)

    async def group(self, chat_id: int, text: str, user: User | None = None) -> SentMessage:
        mark = self.bot.api.mark()
        chat = GROUP if chat_id == GROUP.id else TASKFORCE
        self.bot.api.send_group(chat, user or self.admin, text)
        return (await self.bot.answers(chat_id, mark))[0]


def _texts(bot: Bot, chat_id: int, start: str) -> list[str]:
    """Whole texts, with their buttons' labels, of the messages to a chat starting so."""
    found = [m for m in bot.api.messages_to(chat_id) if m.plain.startswith(start)]
    return [m.plain + "".join(f" [{label}]" for label, _ in m.buttons) for m in found]


def _first(m: SentMessage) -> str:
    return m.filename or (m.plain.split("\n")[0] if m.plain else "")


async def _beats(bot: Bot) -> list[tuple[str, str]]:
    async with bot.db.session() as s:
        rows = (await s.exec(select(SentBeat).order_by(SentBeat.id))).all()  # type: ignore[arg-type]
    return [(r.beat, r.period) for r in rows]


@pytest.fixture(params=["zh_CN", "en"])
async def story(request: pytest.FixtureRequest, bot: Bot) -> Story:
    locale = request.param
    if locale == "en":  # new programmes speak English in this deployment
        await stop_app(bot.app)
        bot.settings = settings_for(bot.api, bot.settings.database_url, cadence_locale="en")
        bot.app = make_app(bot.settings, bot.clock)
        await start_app(bot.app, poll_timeout=1)
    return Story(bot, locale)


async def test_six_weeks_of_a_task_force(story: Story) -> None:
    bot, t = story.bot, story.t
    steps: list[tuple[str, list[tuple[str, str]]]] = []

    def look(label: str) -> None:
        steps.append((label, story.news()))

    # Friday afternoon: the programme is created
    bot.clock.set(at(9, 27, 15))
    await story.say(story.admin, "/newprogramme P")
    await bot.settle()
    assert bot.app.job_queue is not None
    # its beats are planned at once: Monday's dispatch, the review, September's report
    planned = {
        str(j.name): dict(j.data)["period"]  # type: ignore[call-overload]
        for j in bot.app.job_queue.jobs()
        if str(j.name).startswith("beat:")
    }
    look("created")
    # the ledger, imported: its 35 done rows are closed before the programme (never "this month")
    preview = await bot.upload(story.admin, t["file"], sample(t["file"]))
    first_preview = preview.plain
    look("preview")
    await bot.press(story.admin, preview, button(preview, "imp:keep"))
    look("imported")
    await story.group(GROUP.id, "/setup P")
    await story.group(TASKFORCE.id, "/setup P taskforce")
    await bot.settle()
    look("setup")  # neither August's report nor this fortnight's review is caught up
    # a dispatch before anyone opened an invite uses nothing up
    nobody = await story.say(story.admin, "/dispatch")
    await bot.settle()
    beats_before = await _beats(bot)
    look("dispatch nobody")
    await bind(bot, 1, t["owner"], story.owner)
    await bind(bot, 1, t["leader"], story.leader)
    bot.clock.set(at(9, 27, 16))
    some = await story.say(story.admin, "/dispatch")
    await bot.settle()
    look("dispatch some")  # one of five owners is bound; no nudge in the same minute
    # this week's dispatch went out too late for a nudge (the next dispatch comes first), and
    # it is no silence; Monday's dispatch is on time
    for label, moment in [("sat", at(9, 28, 9)), ("mon W40", at(9, 30, 9))]:
        await tick(bot, 1, moment)
        look(label)
    # Monday 10:00: the owner reports 1.3.2 blocked
    bot.clock.set(at(9, 30, 10))
    m132 = await measure_id(bot, "1.3.2")
    dispatch = bot.api.last_to(story.owner.id)
    await bot.press(story.owner, dispatch, f"ans:{m132}:block")
    await story.say(story.owner, t["note"])
    await story.say(story.owner, "60")
    await story.say(story.owner, t["blocker"])
    last = bot.api.last_to(story.owner.id)
    await bot.press(story.owner, last, button(last, "f:"))
    last = bot.api.last_to(story.owner.id)
    await bot.press(story.owner, last, button(last, "c:", ":save"))
    await bot.settle()
    look("blocked")  # the leader and the task force hear at once, with a follow-up button
    # W40 left a day before the National Day holiday: no nudge, no silence
    for label, moment in [
        ("W41", at(10, 8, 9)),
        ("report Sep", at(10, 8, 10)),
        ("review 1", at(10, 9, 16)),
        ("nudge W41", at(10, 10, 9)),
    ]:
        await tick(bot, 1, moment)
        look(label)
    # the owner asks for 1.3.3's sign-off; the coordinator approves
    bot.clock.set(at(10, 10, 10))
    listed = bot.api.last_to(story.owner.id)
    await ask_signoff(bot, story.owner, listed, "1.3.3", t["report"], [t["evidence"]])
    request = bot.api.last_to(story.admin.id)
    await bot.press(story.admin, request, button(request, "dec:", ":ok"))
    look("closed")
    bot.clock.set(at(10, 11, 10))
    await story.say(story.admin, "/schedule review thu 15:00")
    await bot.settle()
    look("schedule")  # changing the schedule sends nothing by itself
    await tick(bot, 1, at(10, 14, 9))
    look("W42")
    # the task force re-imports the ledger with 1.3.2's deadline moved
    bot.clock.set(at(10, 15, 10))
    edited = sample(t["file"]).replace(b"2024-10-31", b"2024-11-30")
    preview = await bot.upload(story.admin, t["file"], edited)
    preview_text = preview.plain
    await bot.press(story.admin, preview, button(preview, "imp:keep"))
    await bot.settle()
    look("reimport")  # 1.3.3 stays closed; the owner hears of 1.3.2's new deadline
    # 1.3.2 unanswered in W41 and W42: its leader is told at W43, once, and not again at W44
    for label, moment in [
        ("nudge W42", at(10, 16, 9)),
        ("W43", at(10, 21, 9)),
        ("review 2", at(10, 24, 15)),
        ("W44", at(10, 28, 9)),
        ("nudge W44", at(10, 30, 9)),
        ("report Oct", at(11, 1, 10)),
        ("W45", at(11, 4, 9)),
    ]:
        await tick(bot, 1, moment)
        look(label)
    # week six: the leader asks the group what is overdue; the owner asks about their own
    bot.clock.set(at(11, 4, 10))
    overdue = await story.group(GROUP.id, t["overdue command"], story.leader)
    own = await story.say(story.owner, "/summary")
    look("summaries")
    got = {
        "summaries": [overdue.plain, own.plain],
        "planned": planned,
        "first preview": first_preview,
        "nobody": nobody.plain,
        "some": some.plain,
        "reimport preview": preview_text,
        "owner told": _texts(bot, story.owner.id, t["changed head"]),
        "escalation": _texts(bot, story.leader.id, "⚠️"),
        "blocked alert": _texts(bot, story.leader.id, "⛔"),
        "reviews": _texts(bot, TASKFORCE.id, "🔎"),
        "reports": [
            [line for line in text.split("\n") if line.startswith(tuple(t["report keys"]))]
            for text in _texts(bot, GROUP.id, "📋")
        ],
        "timeline": [[label, sorted([list(n) for n in news])] for label, news in steps],
    }
    if not t["summaries"]:
        print(json.dumps(got, ensure_ascii=False, indent=1))
    assert beats_before == []  # the dispatch nobody received used nothing up
    for key, value in got.items():
        assert value == t[key], key
