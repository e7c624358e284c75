"""Work prompt letters: numbering, reply dates on the work calendar, the DOCX, /letter end to end."""

from __future__ import annotations

import asyncio
import io
from datetime import date, datetime

import docx
import pytest
from conftest import ADMIN, SH, TASKFORCE, Bot
from documents_support import sample_records
from rhythm_support import LEADER, OWNER_A, seed
from sqlmodel import select
from test_e2e_digests import group_say

from core.domain.letters import letter, next_number
from core.domain.model import Health
from core.domain.workcal import CalendarKind
from core.i18n import tr
from core.render import callback_codec as codec
from core.render import callbacks
from core.render.letter import letter_docx
from storage import answers, letters, measures
from storage.models import AuditEvent, Measure, Programme


def _paragraphs(data: bytes | None) -> list[str]:
    assert data is not None
    return [p.text for p in docx.Document(io.BytesIO(data)).paragraphs]


def test_numbers_run_per_year() -> None:
    assert next_number([], 2024) == 1
    assert next_number([(2024, 1), (2024, 2)], 2024) == 3
    assert next_number([(2024, 1), (2024, 2)], 2025) == 1


def test_reply_date_counts_working_days_with_holidays() -> None:
    facts = sample_records()[0].facts
    # 29 September 2024 was a make-up working day (调休); 1–7 October the National Day holiday
    x = letter("P", facts, date(2024, 9, 27), 1, CalendarKind.CN)
    assert x.reply_by == date(2024, 10, 10)
    plain = letter("P", facts, date(2024, 9, 27), 1, CalendarKind.PLAIN)
    assert plain.reply_by == date(2024, 10, 4)


def test_letter_docx_in_both_languages() -> None:
    facts = next(r.facts for r in sample_records() if r.facts.code == "1.3.2")
    x = letter("巡视整改", facts, date(2024, 11, 5), 3, CalendarKind.CN)
    zh = _paragraphs(letter_docx(tr("zh_CN"), x))
    assert zh[:3] == ["巡视整改工作提示函", "〔2024〕第3号", "城市管理局："]
    assert "已逾期5天" in zh[3] and facts.text in zh[3]
    assert "2024年11月12日前" in zh[4]
    assert zh[-2:] == ["巡视整改专班", "2024年11月5日"]
    en = _paragraphs(letter_docx(tr("en"), x))
    assert en[:3] == ["巡视整改: work prompt letter", "No. 3 of 2024", "To 城市管理局:"]
    assert "5 days overdue" in en[3] and "12 November 2024" in en[4]


async def test_letter_command_numbers_in_sequence_and_records_history(bot: Bot) -> None:
    pid = await seed(bot)
    bot.clock.set(datetime(2024, 11, 5, 9, 0, tzinfo=SH))
    await bot.say(ADMIN, "/use P")
    first = await bot.say(ADMIN, "/letter 1.3.2")
    assert first.method == "sendDocument"
    assert (
        first.plain == "工作提示函〔2024〕第1号（致城市管理局）已生成，请其于2024年11月12日前反馈。"
    )
    assert _paragraphs(first.document)[1] == "〔2024〕第1号"
    second = await bot.say(ADMIN, "/letter 1.3.2")
    assert _paragraphs(second.document)[1] == "〔2024〕第2号"
    assert second.filename == "工作提示函 〔2024〕第2号 1.3.2.docx"
    async with bot.db.session() as s:
        events = (
            await s.exec(
                select(AuditEvent).where(
                    AuditEvent.programme_id == pid, AuditEvent.action == "letter.issue"
                )
            )
        ).all()
    assert [e.actor for e in events] == [f"tg:{ADMIN.id}"] * 2 and all(e.entity_id for e in events)
    assert '"reply_by": "2024-11-12"' in events[0].after
    history = await bot.say(ADMIN, "/history 1.3.2")
    letter_line = "工作提示函〔2024〕第1号（致城市管理局），要求2024年11月12日前反馈"
    assert f"{letter_line} · 尚未反馈" in history.plain
    # the unit answers the next day: the history says so against the reply date
    bot.clock.set(datetime(2024, 11, 6, 9, 0, tzinfo=SH))
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.code == "1.3.2"))).one()
        await answers.record_update(
            s,
            measure=m,
            person_id=m.owner_id,
            actor="test",
            health=Health.AT_RISK,
            now=bot.clock.now(),
            note="水厂已试水",
        )
    history = await bot.say(ADMIN, "/history 1.3.2")
    assert f"{letter_line} · 已于2024年11月6日反馈" in history.plain


async def test_letter_refusals(bot: Bot) -> None:
    await seed(bot)
    bot.clock.set(datetime(2024, 11, 5, 9, 0, tzinfo=SH))
    await bot.say(ADMIN, "/use P")
    assert "已销号" in (await bot.say(ADMIN, "/letter 1.1.1")).plain
    assert "不是红灯" in (await bot.say(ADMIN, "/letter 1.3.3")).plain
    assert "没有编号为9.9" in (await bot.say(ADMIN, "/letter 9.9")).plain
    assert "/letter 1.3.2" in (await bot.say(ADMIN, "/letter")).plain
    assert "仅限" in (await bot.say(OWNER_A, "/letter 1.3.2")).plain
    assert not [m for m in bot.api.sent if m.method == "sendDocument"]


async def test_letter_button_under_the_review(bot: Bot) -> None:
    await seed(bot)
    await group_say(bot, ADMIN, "/setup P taskforce", chat_id=TASKFORCE.id)
    bot.clock.set(datetime(2024, 11, 5, 9, 0, tzinfo=SH))
    await bot.say(ADMIN, "/use P")
    mark = bot.api.mark()
    bot.api.send_private(ADMIN, "/review")
    [review] = [m for m in await bot.answers(TASKFORCE.id, mark) if m.buttons]
    assert [label for label, _ in review.buttons] == ["提示函1.3.2", "督办1.3.2"]
    # a leader may read the review but not issue letters
    bot.api.press(LEADER, review, review.buttons[0][1])
    await bot.api.settle()
    assert not [m for m in bot.api.sent if m.method == "sendDocument"]
    mark = bot.api.mark()
    query = bot.api.press(ADMIN, review, review.buttons[0][1])
    [doc] = await bot.answers(ADMIN.id, mark)
    assert doc.method == "sendDocument" and _paragraphs(doc.document)[1] == "〔2024〕第1号"
    assert bot.api.answer_to(query) is not None


def test_letter_button_data_round_trips_and_refuses_forgeries() -> None:
    assert callbacks.IssueLetter(42).pack() == "ltr:42"
    assert codec.unpack("ltr:42") == callbacks.IssueLetter(42)
    for forged in ("ltr:042", "ltr:-1", "ltr:1:2", "ltr:x", "ltr:99999999999"):
        with pytest.raises(codec.CallbackError):
            codec.unpack(forged)


async def _answer(bot: Bot, code: str, note: str) -> None:
    """The owner of `code` reports progress now (through storage, as the answer flow does)."""
    async with bot.db.session() as s:
        m = (await s.exec(select(Measure).where(Measure.code == code))).one()
        await answers.record_update(
            s,
            measure=m,
            person_id=m.owner_id,
            actor="test",
            health=Health.AT_RISK,
            now=bot.clock.now(),
            note=note,
        )


async def test_review_lists_letters_and_whether_units_answered(bot: Bot) -> None:
    await seed(bot)
    await group_say(bot, ADMIN, "/setup P taskforce", chat_id=TASKFORCE.id)
    bot.clock.set(datetime(2024, 11, 5, 9, 0, tzinfo=SH))
    await bot.say(ADMIN, "/use P")
    await bot.say(ADMIN, "/letter 1.3.2")
    bot.clock.set(datetime(2024, 11, 6, 9, 0, tzinfo=SH))
    await _answer(bot, "1.3.2", "水厂已试水")
    bot.clock.set(datetime(2024, 11, 7, 9, 0, tzinfo=SH))
    await bot.say(ADMIN, "/letter 1.3.2")

    async def review_lines() -> list[str]:
        mark = bot.api.mark()
        bot.api.send_private(ADMIN, "/review")
        [review] = [m for m in await bot.answers(TASKFORCE.id, mark) if m.plain.startswith("🔎")]
        lines = review.plain.splitlines()
        if "工作提示函：" not in lines:
            return []
        start = lines.index("工作提示函：") + 1
        end = lines.index("", start) if "" in lines[start:] else len(lines)
        return lines[start:end]

    bot.clock.set(datetime(2024, 11, 8, 15, 0, tzinfo=SH))
    assert await review_lines() == [
        "〔2024〕第1号（致城市管理局，1.3.2），要求2024年11月12日前反馈：已于2024年11月6日反馈",
        "〔2024〕第2号（致城市管理局，1.3.2），要求2024年11月14日前反馈：尚未反馈",
    ]
    # the next review: the answered letter was told already; the silent one is named again,
    # and a late answer is called late
    bot.clock.set(datetime(2024, 11, 18, 9, 0, tzinfo=SH))
    await _answer(bot, "1.3.2", "水厂已通水")
    bot.clock.set(datetime(2024, 11, 22, 15, 0, tzinfo=SH))
    assert await review_lines() == [
        "〔2024〕第2号（致城市管理局，1.3.2），要求2024年11月14日前反馈：逾期反馈（2024年11月18日）",
    ]


async def test_letters_issued_at_once_get_distinct_numbers(bot: Bot) -> None:
    pid = await seed(bot)
    now = datetime(2024, 11, 5, 9, 0, tzinfo=SH)

    async def issue_one() -> int:
        async with bot.db.session() as s:
            programme = await s.get(Programme, pid)
            assert programme is not None
            [(m, f)] = [
                (m, f) for m, f in await measures.facts(s, programme_id=pid) if f.code == "1.3.2"
            ]
            x = await letters.issue(
                s, programme=programme, measure=m, facts=f, today=now.date(), actor="t", now=now
            )
            # kept: the transaction stays open while the other coordinators press (a barrier would
            # deadlock where the database serialises the issues)
            await asyncio.sleep(0.05)
            await s.commit()
            return x.number

    assert sorted(await asyncio.gather(*(issue_one() for _ in range(3)))) == [1, 2, 3]
