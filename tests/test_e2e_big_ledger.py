"""End to end on a big ledger: owners of 25 and 120 open measures, all within Telegram's limits.

The fake Bot API refuses what Telegram refuses (tests/bot/sandbox/limits.py), so every beat here
fails the way it would in production if a message, keyboard or callback broke a limit.
"""

from __future__ import annotations

from datetime import datetime

from conftest import ADMIN, GROUP, SH, TASKFORCE, Bot, button
from fakebot import SentMessage, User
from rhythm_support import bind, tick
from sqlmodel import select

from core.domain.ledger import parse_ledger
from core.render.limits import INLINE_BUTTONS, utf16_len
from storage import ledger_store, programmes
from storage.models import Measure, Person, ProgressUpdate

OWNER_25 = User(501, "区委办联络员", language_code="zh-hans")
OWNER_120 = User(502, "发改委联络员", language_code="zh-hans")
TEXT = (
    "围绕群众反映强烈的突出问题，建立问题清单、任务清单、责任清单，逐项明确整改时限并推进落实到位"
)


def _ledger() -> bytes:
    rows = ["编号,方面,问题,整改措施,责任领导,牵头单位,责任单位,责任人,完成时限,状态"]
    for owner, unit, prefix, n in (
        ("区委办联络员", "区委办", "1.1.", 25),
        ("发改委联络员", "发改委", "2.1.", 120),
    ):
        for i in range(1, n + 1):
            # some overdue (red), some due within 14 days (yellow), the rest green
            due = "2024-09-01" if i % 7 == 0 else "2024-10-03" if i % 5 == 0 else "2024-12-31"
            area = f"第{prefix[0]}方面"
            rows.append(
                f"{prefix}{i},{area},{area}问题,{TEXT}（第{i}项）,"
                f"管委会主任,{unit},,{owner},{due},推进中"
            )
    return "\n".join(rows).encode()


async def _seed(bot: Bot) -> int:
    await bot.say(ADMIN, "/newprogramme 大台账")
    parsed = parse_ledger(_ledger(), "big.csv")
    assert parsed.ok, parsed
    async with bot.db.session() as s:
        programme = await programmes.by_name(s, name="大台账")
        assert programme is not None and programme.id is not None
        await ledger_store.apply(
            s,
            programme_id=programme.id,
            rows=parsed.rows,
            actor="test",
            now=bot.clock.now(),
            today=bot.clock.now().date(),
        )
        pid = programme.id
    await bind(bot, pid, "区委办联络员", OWNER_25)
    await bind(bot, pid, "发改委联络员", OWNER_120)
    for chat, words in ((GROUP, "/setup 大台账"), (TASKFORCE, "/setup 大台账 taskforce")):
        mark = bot.api.mark()
        bot.api.send_group(chat, ADMIN, words)
        await bot.api.wait_for(chat.id, since=mark)
        await bot.api.settle()
    return pid


def _all_accepted(bot: Bot) -> None:
    """Every call the bot made was accepted: nothing refused for breaking a limit."""
    sent = bot.api.sent
    first = [m.history[0].method if m.history else m.method for m in sent]
    for method in ("sendMessage", "sendDocument", "sendPhoto"):
        assert len(bot.api.calls(method)) == first.count(method), method
    edits = len(bot.api.calls("editMessageText")) + len(bot.api.calls("editMessageReplyMarkup"))
    assert edits == sum(len(m.history) for m in sent)
    for m, method in zip(sent, first, strict=True):
        low, high = (1, 4096) if method == "sendMessage" else (0, 1024)
        assert low <= utf16_len(m.plain) <= high
        assert len(m.buttons) <= INLINE_BUTTONS


def _codes(messages: list[SentMessage], prefix: str) -> list[str]:
    """Measure codes in the order the messages list them."""
    return [
        word
        for m in messages
        for line in m.plain.split("\n")
        for word in line.split()[1:2]
        if word.startswith(prefix)
    ]


async def _answer_last(bot: Bot, user: User, keyboard: SentMessage, listed: list[str]) -> str:
    """Page to the last page of the dispatch's keyboard and answer its last measure."""
    while any(d.startswith("pg:") and "▶" in t for t, d in keyboard.buttons):
        more = next(d for t, d in keyboard.buttons if d.startswith("pg:") and "▶" in t)
        await bot.press(user, keyboard, more)
    last = listed[-1]
    open_it = next(d for t, d in keyboard.buttons if f" {last} " in f"{t} ")
    await bot.press(user, keyboard, open_it)
    choices = bot.api.last_to(user.id)
    assert last in choices.plain
    await bot.press(user, choices, button(choices, "ans:", ":ok"))  # two taps to the answer
    await bot.say(user, "按计划推进")
    for prefix, suffix in (("p:", ""), ("f:", ""), ("c:", ":save")):
        step = bot.api.last_to(user.id)
        await bot.press(user, step, button(step, prefix, suffix))
    return last


async def test_owners_of_25_and_120_measures_within_telegram_limits(bot: Bot) -> None:
    bot.clock.set(datetime(2024, 9, 23, 8, 0, tzinfo=SH))
    pid = await _seed(bot)
    await tick(bot, pid, datetime(2024, 9, 23, 9, 30, tzinfo=SH))  # W39 dispatch

    to_120 = bot.api.messages_to(OWNER_120.id)
    listed_120 = _codes(to_120, "2.1.")
    assert len(to_120) >= 2 and len(listed_120) == 120  # split, every measure listed
    assert [m.buttons != [] for m in to_120] == [False] * (len(to_120) - 1) + [True]
    assert to_120[0].plain.split("\n")[3].startswith("🔴")  # red first
    assert "下一页（2/12）▶" in [t for t, _ in to_120[-1].buttons]
    listed_25 = _codes(bot.api.messages_to(OWNER_25.id), "1.1.")
    assert len(listed_25) == 25

    # a reply to the dispatch asks which measure it is about, a page of buttons at a time
    mark = bot.api.mark()
    bot.api.send_private(OWNER_120, "进展顺利", reply_to=to_120[-1])
    [which] = await bot.api.wait_for(OWNER_120.id, since=mark)
    await bot.api.settle()
    assert len(which.buttons) == 11 and which.buttons[-1][0] == "下一页（2/12）▶"
    await bot.press(OWNER_120, which, which.buttons[-1][1])
    picked = which.buttons[0]
    assert picked[0] == listed_120[10]
    await bot.press(OWNER_120, which, picked[1])
    assert bot.api.last_to(OWNER_120.id).plain == f"整改措施{listed_120[10]}进展如何？"
    await bot.say(OWNER_120, "/cancel")

    # each owner answers the last measure of the list: the 25th and the 120th
    to_25 = bot.api.messages_to(OWNER_25.id)[-1]
    answered = [await _answer_last(bot, OWNER_25, to_25, listed_25)]
    answered.append(await _answer_last(bot, OWNER_120, to_120[-1], listed_120))

    # the nudge (25 September 9:00) and the review (16:00) for everything still open
    mark = bot.api.mark()
    await tick(bot, pid, datetime(2024, 9, 25, 16, 30, tzinfo=SH))
    nudge_120 = [m for m in bot.api.since(mark) if m.chat_id == OWNER_120.id]
    assert "⏰" in nudge_120[0].plain and nudge_120[-1].buttons
    assert len(_codes(nudge_120, "2.1.")) == 119  # all but the one answered
    assert bot.api.messages_to(TASKFORCE.id)

    # /my lists all 120 and pages its buttons
    mark = bot.api.mark()
    bot.api.send_private(OWNER_120, "/my")
    await bot.api.wait_for(OWNER_120.id, since=mark)
    await bot.api.settle()
    mine = bot.api.since(mark)
    assert len(_codes(mine, "2.1.")) == 120 and mine[-1].buttons

    # the monthly report on the first working day of October (8 October, after National Day)
    await tick(bot, pid, datetime(2024, 10, 8, 10, 30, tzinfo=SH))
    report = [
        m for m in bot.api.messages_to(GROUP.id) if "月度汇报" in m.plain or "2024年9月" in m.plain
    ]
    assert report

    _all_accepted(bot)
    async with bot.db.session() as s:
        saved = (
            await s.exec(
                select(Measure.code).join(ProgressUpdate, ProgressUpdate.measure_id == Measure.id)  # type: ignore[arg-type]
            )
        ).all()
        unreachable = (
            await s.exec(select(Person).where(Person.unreachable_since != None))  # noqa: E711
        ).all()
    assert sorted(saved) == sorted(answered)
    assert not unreachable


def _long_ledger(n: int) -> bytes:
    rows = ["编号,方面,问题,整改措施,责任领导,牵头单位,责任单位,责任人,完成时限,状态"]
    rows += [
        f"L-{i},第一方面,问题{i // 50},措施{i},管委会主任,单位{i % 40},,联络员{i % 40},2024-12-31,推进中"
        for i in range(1, n + 1)
    ]
    return "\n".join(rows).encode()


async def test_a_long_import_says_how_far_it_is_and_others_are_answered_meanwhile(
    bot: Bot,
) -> None:
    pid = await _seed(bot)
    preview = await bot.upload(ADMIN, "long.csv", _long_ledger(1200))
    keep = button(preview, "imp:keep")
    bot.api.press(ADMIN, preview, keep)
    # an owner asks for their measures while the import is still writing
    await bot.api.wait_until(lambda: "正在导入" in bot.api.last_to(ADMIN.id).plain, timeout=20)
    asked = bot.api.mark()
    bot.api.send_private(OWNER_25, "/my")
    [mine] = await bot.api.wait_for(OWNER_25.id, since=asked, timeout=20)
    assert mine.plain.splitlines()[0] == "您负责的整改措施（25项）："
    assert "正在导入" in bot.api.last_to(ADMIN.id).plain  # answered while the import still ran
    await bot.api.wait_until(lambda: "导入完成" in bot.api.last_to(ADMIN.id).plain, timeout=60)
    await bot.settle()
    revisions = [r.text for r in preview.history] + [preview.plain]
    assert "正在导入：共1,200行，已处理0行…" in revisions
    assert "正在导入：共1,200行，已处理500行…" in revisions
    assert "正在导入：共1,200行，已处理1,000行…" in revisions
    async with bot.db.session() as s:
        codes = (await s.exec(select(Measure.code).where(Measure.programme_id == pid))).all()
    assert len([c for c in codes if c.startswith("L-")]) == 1200
