"""The owner's answers, extension requests and look-backs, driven straight through the use cases."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from core.domain.closing import Verdict
from core.domain.model import Health, Role, Status
from storage import lookbacks, people, programmes
from storage.models import Measure, Person, ProgressUpdate, SignoffRequest
from storage.models_people import UserPref
from use_cases.conftest import NOW, World
from usecases import answers, extension, lookback
from usecases.lookback import Answered, LookBackAnswer, Refused

ZH_REBOUND = (
    "↩️ 回头看：专班乙反映1.1整改措施1.1出现反弹：问题反弹\n该整改措施已重新打开，将纳入每周调度。"
)


async def test_an_answer_on_track_is_stored_and_tells_nobody(world: World) -> None:
    async with world.db.session() as s:
        p, m = await world.programme(s), await world.measure(s, "1.1")
        me = await world.actor(s, "张三")
        answer = answers.Answer(m, Health.ON_TRACK, note="按计划推进", percent=40)
        said = await answers.record(s, programme=p, actor=me, answer=answer, now=NOW)
    assert said == answers.Recorded(code="1.1", signoff=False)
    async with world.db.session() as s:
        [update] = (await s.exec(select(ProgressUpdate))).all()
        assert (update.note, update.percent, update.health) == ("按计划推进", 40, "on_track")
        assert update.period == "2025-W11"  # the dispatch period of that Monday
        assert (await s.exec(select(SignoffRequest))).all() == []
        assert await world.outbox(s) == []


async def test_a_blocked_answer_alerts_the_leader(world: World) -> None:
    async with world.db.session() as s:
        p, m = await world.programme(s), await world.measure(s, "1.2")
        me = await world.actor(s, "李四")
        answer = answers.Answer(m, Health.BLOCKED, note="缺资金", blockers="经费未到位")
        await answers.record(s, programme=p, actor=me, answer=answer, now=NOW)
    async with world.db.session() as s:
        leader = await world.person(s, "分管领导")
        [alert] = await world.outbox(s)
        assert (alert.chat_id, alert.beat) == (leader.telegram_user_id, "notice")
        assert alert.period.startswith(f"blocked:{m.id}@")
        assert "1.2" in alert.text and "经费未到位" in alert.text


async def test_asking_signoff_copies_every_coordinator(world: World) -> None:
    async with world.db.session() as s:
        p, m = await world.programme(s), await world.measure(s, "1.1")
        me = await world.actor(s, "张三")
        answer = answers.Answer(m, Health.ON_TRACK, note="已完成整改", signoff=True)
        said = await answers.record(s, programme=p, actor=me, answer=answer, now=NOW)
    assert said == answers.Recorded(code="1.1", signoff=True)
    async with world.db.session() as s:
        [request] = (await s.exec(select(SignoffRequest))).all()
        me_again = await world.person(s, "张三")
        assert (request.kind, request.state, request.report) == ("signoff", "pending", "已完成整改")
        assert request.requested_by == me_again.id
        assert (await world.measure(s, "1.1")).status == Status.PENDING_SIGNOFF.value
        copies = await world.outbox(s)
        coordinators = [await world.person(s, n) for n in ("专班甲", "专班乙")]
        assert sorted(c.chat_id for c in copies) == sorted(
            c.telegram_user_id or 0 for c in coordinators
        )
        assert {c.period.partition("@")[0] for c in copies} == {f"copy:{request.id}"}
        assert all("已完成整改" in c.text and c.markup for c in copies)


async def test_an_extension_request_is_stored_and_copied(world: World) -> None:
    async with world.db.session() as s:
        p, m = await world.programme(s), await world.measure(s, "1.2")
        me = await world.actor(s, "李四")
        asked = extension.Extension(m, new_deadline=date(2025, 9, 30), reason="施工期延长")
        said = await extension.ask(s, programme=p, actor=me, extension=asked, now=NOW)
    assert said == extension.Asked(code="1.2")
    async with world.db.session() as s:
        [request] = (await s.exec(select(SignoffRequest))).all()
        assert (request.kind, request.new_deadline, request.report) == (
            "extension", date(2025, 9, 30), "施工期延长",
        )  # fmt: skip
        assert (await world.measure(s, "1.2")).status == Status.IN_PROGRESS.value  # unchanged
        copies = await world.outbox(s)
        assert len(copies) == 2, [c.text for c in copies]
        assert all("申请延期至：2025年9月30日" in c.text and "施工期延长" in c.text for c in copies)


async def _closed_with_lookback(world: World, code: str) -> int:
    """Close the measure 90 days back and claim its look-back, as the look-back job does."""
    async with world.db.session() as s:
        m = await world.measure(s, code)
        m.status, m.closed_on = Status.CLOSED.value, NOW.date() - timedelta(days=90)
        s.add(m)
        row = await lookbacks.claim(s, measure=m, due=NOW.date(), now=NOW)
        assert row is not None and row.id is not None
        return row.id


async def test_a_lookback_that_holds_keeps_the_measure_closed(world: World) -> None:
    lid = await _closed_with_lookback(world, "1.1")
    async with world.db.session() as s:
        p, me = await world.programme(s), await world.actor(s, "张三")
        said = await lookback.answer(
            s, programme=p, actor=me, answer=LookBackAnswer(lid, Verdict.HOLDS, "成效巩固"),
            now=NOW,
        )  # fmt: skip
    assert said == Answered(code="1.1", holds=True)
    async with world.db.session() as s:
        assert (await world.measure(s, "1.1")).status == Status.CLOSED.value
        assert await world.outbox(s) == []


async def test_a_rebound_reopens_and_tells_the_other_coordinators(world: World) -> None:
    lid = await _closed_with_lookback(world, "1.1")
    async with world.db.session() as s:
        s.add(Person(programme_id=world.programme_id, name="专班丙", telegram_user_id=9_000_003))
        await s.flush()
        third = await world.person(s, "专班丙")
        await people.grant(
            s, programme_id=world.programme_id, person_id=third.id or 0, role=Role.COORDINATOR
        )
        s.add(UserPref(telegram_user_id=9_000_003, locale="en"))  # 专班丙 reads English
    async with world.db.session() as s:
        # 专班乙, first by name, answers: the others are told, not them
        p, me = await world.programme(s), await world.actor(s, "专班乙")
        said = await lookback.answer(
            s, programme=p, actor=me, answer=LookBackAnswer(lid, Verdict.REBOUND, "问题反弹"),
            now=NOW,
        )  # fmt: skip
    assert said == Answered(code="1.1", holds=False)
    async with world.db.session() as s:
        m = await world.measure(s, "1.1")
        assert (m.status, m.closed_on) == (Status.REOPENED.value, None)
        news = await world.outbox(s)
        assert [(n.chat_id, n.locale) for n in news] == [(9_000_003, "en"), (9_000_001, "zh_CN")]
        assert all(n.period.startswith(f"rebound:{m.id}@") for n in news)
        assert [n.text for n in news] == [
            "↩️ Look-back: 1.1 整改措施1.1 has rebounded, says 专班乙: 问题反弹\n"
            "It is reopened and back in the weekly dispatch.",
            ZH_REBOUND,
        ]


async def test_a_lookback_is_answered_once_and_only_in_its_programme(world: World) -> None:
    lid = await _closed_with_lookback(world, "1.2")
    first = LookBackAnswer(lid, Verdict.HOLDS, "成效巩固")
    async with world.db.session() as s:
        p, me = await world.programme(s), await world.actor(s, "李四")
        assert await lookback.answer(s, programme=p, actor=me, answer=first, now=NOW) == Answered(
            "1.2", True
        )
    async with world.db.session() as s:
        p = await world.programme(s)
        again = LookBackAnswer(lid, Verdict.REBOUND, "问题反弹")
        assert await lookback.answer(s, programme=p, actor=me, answer=again, now=NOW) is (
            Refused.ANSWERED
        )
        missing = LookBackAnswer(lid + 1, Verdict.HOLDS, "")
        assert await lookback.answer(s, programme=p, actor=me, answer=missing, now=NOW) is (
            Refused.EXPIRED
        )
        other = await programmes.create(s, name="另一专班", actor="test", now=NOW)
        assert await lookback.answer(s, programme=other, actor=me, answer=first, now=NOW) is (
            Refused.EXPIRED
        )  # the same look-back asked from another programme
    async with world.db.session() as s:
        assert (await s.exec(select(Measure.status).where(Measure.code == "1.2"))).one() == (
            Status.CLOSED.value
        )
