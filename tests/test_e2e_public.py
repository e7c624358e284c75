"""End to end: 群众监督, the public's channel, from the published link to the answer, in both languages."""

from __future__ import annotations

import io
import re
from datetime import date, datetime

import docx
import pytest
from conftest import ADMIN, SH, TASKFORCE, Bot, button
from fakebot import SentMessage, User
from public_texts import TEXTS
from rhythm_support import OWNER_A, measure_id, seed
from signoff_support import alert
from sqlmodel import col, select
from stranger_texts import STRANGER_TEXT_EN, STRANGER_TEXT_ZH

from core.domain.public import overdue
from core.domain.workcal import CalendarKind
from core.i18n import tr
from storage import programmes
from storage.models import AuditEvent
from storage.models_public import PublicItem
from usecases import documents, report, review

SENDER = {
    "zh_CN": User(701, "王群众", username="wangqz", language_code="zh-hans"),
    "en": User(702, "Jane Public", username="janep", language_code="en"),
}


async def _setup_taskforce(bot: Bot) -> str:
    """The task-force chat is set up; the public link's /start payload it printed."""
    mark = bot.api.mark()
    bot.api.send_group(TASKFORCE, ADMIN, "/setup P taskforce")
    [reply] = await bot.answers(TASKFORCE.id, mark)
    found = re.search(
        r"https://t\.me/cadence_test_bot\?start=(jiandu_[A-Za-z0-9]{8})$", reply.plain
    )
    assert found is not None, reply.plain
    return found[1]


SENT_PHOTOS: list[str] = []  # the file ids of the photos senders sent, in order


async def _photo(bot: Bot, user: User, content: bytes) -> SentMessage:
    mark = bot.api.mark()
    sent = bot.api.upload_photo(user, content)
    SENT_PHOTOS.append(sent["photo"][-1]["file_id"])
    return (await bot.answers(user.id, mark))[0]


def _photo_ids(messages: list[SentMessage]) -> list[str]:
    return [m.raw["photo"][-1]["file_id"] for m in messages if m.method == "sendMediaGroup"]


async def _to_taskforce(bot: Bot, before: int, count: int) -> list[SentMessage]:
    await bot.api.wait_until(lambda: len(bot.api.messages_to(TASKFORCE.id)) >= before + count)
    return bot.api.messages_to(TASKFORCE.id)[before:]


async def _write(bot: Bot, user: User, payload: str, text: str) -> SentMessage:
    """Open the link and send the text: the bot's question about photos."""
    await bot.say(user, f"/start {payload}")
    return await bot.say(user, text)


async def _finish(
    bot: Bot, user: User, asked: SentMessage, *, about: str | None, named: bool
) -> str:
    """Next, what it is about, the name: the receipt."""
    await bot.press(user, asked, button(asked, "jd:next"))
    question = bot.api.last_to(user.id)
    if about is None:
        await bot.press(user, question, "jd:none")
    else:
        await bot.say(user, about)
    last = bot.api.last_to(user.id)
    await bot.press(user, last, "jd:named" if named else "jd:anon")
    return bot.api.last_to(user.id).plain


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
async def test_the_public_writes_and_the_task_force_answers(bot: Bot, locale: str) -> None:
    words = TEXTS[locale]
    sender = SENDER[locale]
    pid = await seed(bot, locale=locale)
    payload = await _setup_taskforce(bot)

    # a stranger opens the published link, writes, adds 2 photos and names a measure's code
    intro = await bot.say(sender, f"/start {payload}")
    assert intro.plain == words["intro"]
    asked = await bot.say(sender, words["comment"])
    assert asked.plain == words["ask_photos"]
    assert (await _photo(bot, sender, b"photo-1")).plain == words["photo_1"]
    second = await _photo(bot, sender, b"photo-2")
    assert second.plain == words["photo_2"]
    await bot.press(sender, second, button(second, "jd:next"))
    about = bot.api.last_to(sender.id)
    assert about.plain == words["ask_about"]
    assert [label for label, _ in about.buttons][-1] == words["not_specified"]
    assert len(about.buttons) == 5  # the 4 areas and 不指定
    unknown = await bot.say(sender, "9.9.9")
    assert unknown.plain == words["unknown_about"]
    name_question = await bot.say(sender, "1.3.2")
    assert name_question.plain == words["ask_name"]
    before = len(bot.api.messages_to(TASKFORCE.id))
    await bot.press(sender, name_question, "jd:anon")
    assert bot.api.last_to(sender.id).plain == words["received_1"]

    # the task force gets the photos as an album, then the item, anonymised, with its buttons
    *album, item = await _to_taskforce(bot, before, 3)
    assert _photo_ids(album) == SENT_PHOTOS[-2:] and len(album) == 2
    assert item.plain == words["item_1"]
    assert " ".join(label for label, _ in item.buttons) == words["desk"]
    for trace in (sender.first_name, sender.username or "", str(sender.id)):
        assert trace not in item.plain
    async with bot.db.session() as s:
        row = (await s.exec(select(PublicItem))).one()
        assert row.sender_name is None and row.number == 1
    item_id = row.id

    # 受理: said in the chat, and the sender is told
    told = len(bot.api.messages_to(sender.id))
    await bot.press(ADMIN, item, f"jdt:{item_id}:accept")
    assert bot.api.last_to(TASKFORCE.id).plain == words["accepted"]
    await bot.api.wait_until(lambda: len(bot.api.messages_to(sender.id)) > told)
    assert bot.api.last_to(sender.id).plain == words["accepted_notice"]
    again = await alert(bot, ADMIN, item, f"jdt:{item_id}:accept")
    assert again == words["accepted_again"]

    # 转办: the owner of 1.3.2 gets the photos and the item, without the sender
    owner_before = len(bot.api.messages_to(OWNER_A.id))
    await bot.press(ADMIN, item, f"jdt:{item_id}:forward")
    assert bot.api.last_to(TASKFORCE.id).plain == words["forwarded"]
    await bot.api.wait_until(lambda: len(bot.api.messages_to(OWNER_A.id)) >= owner_before + 3)
    *owner_album, owner_item = bot.api.messages_to(OWNER_A.id)[owner_before:]
    assert _photo_ids(owner_album) == _photo_ids(album) and len(owner_album) == 2
    assert owner_item.plain == words["owner_item"]
    assert owner_item.buttons == []

    # 答复: the coordinator types it as a reply; it reaches the sender
    await bot.press(ADMIN, item, f"jdt:{item_id}:answer")
    prompt = bot.api.last_to(TASKFORCE.id)
    assert prompt.plain == words["answer_prompt"]
    told = len(bot.api.messages_to(sender.id))
    mark = bot.api.mark()
    bot.api.send_group(TASKFORCE, ADMIN, words["answer"], reply_to=prompt)
    [recorded] = await bot.answers(TASKFORCE.id, mark)
    assert recorded.plain == words["answer_recorded"]
    await bot.api.wait_until(lambda: len(bot.api.messages_to(sender.id)) > told)
    assert bot.api.last_to(sender.id).plain == words["answer_to_sender"]
    assert await alert(bot, ADMIN, item, f"jdt:{item_id}:answer") == words["answered_again"]

    # the second item: the sender agrees to show the name; no code, so nothing to forward
    before = len(bot.api.messages_to(TASKFORCE.id))
    asked = await _write(bot, sender, payload, words["comment_2"])
    assert await _finish(bot, sender, asked, about=None, named=True) == words["received_2"]
    [named] = await _to_taskforce(bot, before, 1)
    assert named.plain == words["item_2"]
    async with bot.db.session() as s:
        second_id = (await s.exec(select(PublicItem).where(PublicItem.number == 2))).one().id
    assert await alert(bot, ADMIN, named, f"jdt:{second_id}:forward") == words["no_measure"]

    # the third: a fourth photo, a file and an overlong text are refused plainly
    too_long = await _write(bot, sender, payload, "长" * 1001)
    assert too_long.plain == words["too_long"]
    asked = await bot.say(sender, words["comment_3"])
    for n in range(3):
        await _photo(bot, sender, f"p{n}".encode())
    fourth = await _photo(bot, sender, b"p4")
    assert fourth.plain == words["fourth_photo"]
    refused = await bot.upload(sender, "scan.pdf", b"%PDF-1.4")
    assert refused.plain == words["not_a_file"]
    assert await _finish(bot, sender, refused, about="2", named=False) == words["received_3"]
    async with bot.db.session() as s:
        third = (await s.exec(select(PublicItem).where(PublicItem.number == 3))).one()
    assert len(third.photos.split("\n")) == 3 and third.area_id is not None

    # the fourth and fifth; the sixth of the day is refused at the link
    for n in (4, 5):
        asked = await _write(bot, sender, payload, f"{words['comment_2']} {n}")
        await _finish(bot, sender, asked, about=None, named=False)
    sixth = await bot.say(sender, f"/start {payload}")
    assert sixth.plain == words["limit"]
    async with bot.db.session() as s:
        events = (
            await s.exec(
                select(AuditEvent.action, AuditEvent.actor)
                .where(col(AuditEvent.action).startswith("public."))
                .order_by(col(AuditEvent.id))
            )
        ).all()
    assert [a for a, _ in events] == [
        "public.receive", "public.accept", "public.forward", "public.answer",
        "public.receive", "public.receive", "public.receive", "public.receive",
    ]  # fmt: skip
    assert {actor for a, actor in events if a == "public.receive"} == {"public"}
    assert pid


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
async def test_a_sender_sees_nothing_of_the_programme(bot: Bot, locale: str) -> None:
    """The authorization matrix, public row: after writing, the sender is still a stranger."""
    sender = SENDER[locale]
    stranger = STRANGER_TEXT_ZH if locale == "zh_CN" else STRANGER_TEXT_EN
    await seed(bot, locale=locale)
    payload = await _setup_taskforce(bot)
    asked = await _write(bot, sender, payload, TEXTS[locale]["comment"])
    before = len(bot.api.messages_to(TASKFORCE.id))
    await _finish(bot, sender, asked, about="1.3.2", named=False)
    [item] = await _to_taskforce(bot, before, 1)
    item_id = int(button(item, "jdt:", ":accept").split(":")[1])
    m132 = await measure_id(bot, "1.3.2")
    for command in ("/summary", "/my", "/history 1.3.2", "/help", "/pending", "/export", "/start"):
        reply = await bot.say(sender, command)
        assert reply.plain == stranger, command
    refused = (
        "抱歉，我无法为您办理此事。" if locale == "zh_CN" else "Sorry, I can't help you with that."
    )
    for data in (f"jdt:{item_id}:accept", f"jdt:{item_id}:answer", f"m:{m132}", f"fu:{m132}"):
        assert await alert(bot, sender, item, data) == refused, data
    async with bot.db.session() as s:
        row = (await s.exec(select(PublicItem))).one()
    assert row.accepted_at is None and row.answered_at is None


def _docx(data: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


async def test_unanswered_comments_are_listed_in_the_review(bot: Bot) -> None:
    pid = await seed(bot)
    payload = await _setup_taskforce(bot)
    sender = SENDER["zh_CN"]
    # Monday 30 September 2024: 5 working days run to Saturday 12 October (a 调休 working day)
    asked = await _write(bot, sender, payload, "路灯不亮。")
    await _finish(bot, sender, asked, about=None, named=False)
    bot.clock.set(datetime(2024, 10, 8, 9, 0, tzinfo=SH))
    asked = await _write(bot, sender, payload, "井盖缺失。")
    before = len(bot.api.messages_to(TASKFORCE.id))
    await _finish(bot, sender, asked, about=None, named=False)
    [second] = await _to_taskforce(bot, before, 1)
    async with bot.db.session() as s:
        programme = await programmes.by_id(s, programme_id=pid)
        assert programme is not None
        on_12th = await review.review(
            s,
            programme=programme,
            period="2024-10-12",
            now=datetime(2024, 10, 12, 16, 0, tzinfo=SH),
        )
        on_14th = await review.review(
            s,
            programme=programme,
            period="2024-10-16",
            now=datetime(2024, 10, 14, 16, 0, tzinfo=SH),
        )
    assert on_12th is not None and on_14th is not None
    assert "监督意见" not in on_12th.parts[0].text
    assert on_14th.parts[0].text.endswith("\n\n超过5个工作日未答复的监督意见：第1号（9月30日收到）")

    # the second is answered on 15 October; the reports count it, the message and the files alike
    bot.clock.set(datetime(2024, 10, 15, 9, 0, tzinfo=SH))
    item_id = int(button(second, "jdt:", ":answer").split(":")[1])
    await bot.press(ADMIN, second, f"jdt:{item_id}:answer")
    mark = bot.api.mark()
    bot.api.send_group(TASKFORCE, ADMIN, "已安排补装。", reply_to=bot.api.last_to(TASKFORCE.id))
    await bot.answers(TASKFORCE.id, mark)
    bot.clock.set(datetime(2024, 11, 5, 9, 0, tzinfo=SH))
    async with bot.db.session() as s:
        programme = await programmes.by_id(s, programme_id=pid)
        assert programme is not None
        zh, en = tr("zh_CN"), tr("en")
        september, _ = await report.monthly_package(
            s, programme=programme, period="2024-09", now=bot.clock.now(), t=zh
        )
        october, files = await report.monthly_package(
            s, programme=programme, period="2024-10", now=bot.clock.now(), t=zh
        )
        _, files_en = await report.monthly_package(
            s, programme=programme, period="2024-10", now=bot.clock.now(), t=en
        )
        half = await documents.halfyear(
            s, programme=programme, year=2024, month=10, now=bot.clock.now(), t=zh
        )
        half_en = await documents.halfyear(
            s, programme=programme, year=2024, month=10, now=bot.clock.now(), t=en
        )
    assert "\n本月收到监督意见1件，已答复0件；月底尚未答复1件。\n" in september
    zh_month = "本月收到监督意见1件，已答复1件；月底尚未答复1件。"
    assert f"\n{zh_month}\n" in october
    [word] = [f.data for f in files if f.filename.endswith(".docx")]
    [word_en] = [f.data for f in files_en if f.filename.endswith(".docx")]
    # 一、 in each file: its figures' paragraph, the public's comments, then the chart
    for data, first, following, comments in (
        (word, "一、总体进展", "二、", zh_month),
        (word_en, "1. Overall progress", "2. ", "Public comments this month: 1 received, "
         "1 answered; 1 open at the month's end."),
        (half.data, "一、总体进展", "二、", "本期共收到监督意见2件，已答复1件；期末尚未答复1件。"),
        (half_en.data, "1. Overall progress", "2. ", "Public comments during the period: "
         "2 received, 1 answered; 1 open at its end."),
    ):  # fmt: skip
        paras = _docx(data)
        at = paras.index(first)
        end = next(i for i, p in enumerate(paras) if i > at and p.startswith(following))
        assert paras[at + 2 : end] == [comments, ""], paras[at:end]


@pytest.mark.parametrize(
    ("received", "today", "kind", "late"),
    [
        (date(2024, 9, 30), date(2024, 10, 12), CalendarKind.CN, False),  # 10月12日 is 调休
        (date(2024, 9, 30), date(2024, 10, 13), CalendarKind.CN, True),
        (date(2024, 9, 30), date(2024, 10, 7), CalendarKind.PLAIN, False),
        (date(2024, 9, 30), date(2024, 10, 8), CalendarKind.PLAIN, True),
        (date(2024, 10, 8), date(2024, 10, 14), CalendarKind.CN, False),
    ],
)
def test_unanswered_after_five_working_days(
    received: date, today: date, kind: CalendarKind, late: bool
) -> None:
    assert overdue(received, today, kind) is late
