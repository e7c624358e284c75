"""Deciding a sign-off or an extension: the first decision wins, the measure, copies and owner."""

from __future__ import annotations

from datetime import date, timedelta

from sqlmodel import select

from core.domain.model import Health, Status
from storage import programmes
from storage.models import SignoffRequest
from use_cases.conftest import NOW, World
from usecases import answers, extension, signoff

LATER = NOW + timedelta(hours=2)


async def _ask(world: World, *, signoff_of: str | None = None, extend: str | None = None) -> int:
    async with world.db.session() as s:
        p = await world.programme(s)
        if signoff_of:
            m = await world.measure(s, signoff_of)
            answer = answers.Answer(m, Health.ON_TRACK, note="已完成整改", signoff=True)
            me = await world.actor(s, "张三")
            await answers.record(s, programme=p, actor=me, answer=answer, now=NOW)
        if extend:
            m = await world.measure(s, extend)
            asked = extension.Extension(m, new_deadline=date(2025, 9, 30), reason="施工期延长")
            me = await world.actor(s, "李四")
            await extension.ask(s, programme=p, actor=me, extension=asked, now=NOW)
        await s.flush()
        return (await s.exec(select(SignoffRequest.id))).all()[-1] or 0


async def _decide(world: World, rid: int, approve: bool, by: str = "专班甲") -> object:
    async with world.db.session() as s:
        p, me = await world.programme(s), await world.actor(s, by)
        return await signoff.decide(
            s, programme=p, request_id=rid, approve=approve, reason="" if approve else "佐证不足",
            actor=me, now=LATER,
        )  # fmt: skip


async def test_approving_closes_the_measure_and_tells_the_owner(world: World) -> None:
    rid = await _ask(world, signoff_of="1.1")
    decided = await _decide(world, rid, approve=True)
    assert isinstance(decided, signoff.Decided) and decided.extension is False
    assert (decided.verdict.approved, decided.verdict.by) == (True, "专班甲")
    async with world.db.session() as s:
        m = await world.measure(s, "1.1")
        assert (m.status, m.closed_on) == (Status.CLOSED.value, LATER.date())
        owner = await world.person(s, "张三")
        news = [o for o in await world.outbox(s) if o.period.startswith(f"decided:{rid}@")]
        assert [(n.chat_id, n.markup) for n in news] == [(owner.telegram_user_id, "")]
        assert "1.1" in news[0].text and "专班甲" in news[0].text
        copies = [o for o in await world.outbox(s) if o.period.startswith(f"copy:{rid}@")]
        assert len(copies) == 2 and all(c.markup == "" for c in copies)  # decided, no buttons
        request = await s.get(SignoffRequest, rid)
        assert request is not None and request.state == "approved"


async def test_sending_back_reopens_work_and_offers_the_answers_again(world: World) -> None:
    rid = await _ask(world, signoff_of="1.1")
    decided = await _decide(world, rid, approve=False)
    assert isinstance(decided, signoff.Decided) and decided.verdict.approved is False
    assert decided.verdict.reason == "佐证不足"
    async with world.db.session() as s:
        m = await world.measure(s, "1.1")
        assert (m.status, m.closed_on) == (Status.IN_PROGRESS.value, None)
        [news] = [o for o in await world.outbox(s) if o.period.startswith(f"decided:{rid}@")]
        assert "佐证不足" in news.text and f"{m.id}" in news.markup  # the answer buttons


async def test_the_first_decision_stands(world: World) -> None:
    rid = await _ask(world, signoff_of="1.1")
    await _decide(world, rid, approve=False, by="专班乙")
    again = await _decide(world, rid, approve=True)
    assert isinstance(again, signoff.Already)
    assert (again.verdict.approved, again.verdict.by) == (False, "专班乙")
    async with world.db.session() as s:
        assert (await world.measure(s, "1.1")).status == Status.IN_PROGRESS.value
        decided = [o for o in await world.outbox(s) if o.period.startswith("decided:")]
        assert len(decided) == 1  # the owner heard once


async def test_an_approved_extension_moves_the_deadline(world: World) -> None:
    rid = await _ask(world, extend="1.2")
    decided = await _decide(world, rid, approve=True)
    assert isinstance(decided, signoff.Decided) and decided.extension is True
    async with world.db.session() as s:
        m = await world.measure(s, "1.2")
        assert (m.deadline, m.original_deadline) == (date(2025, 9, 30), date(2025, 6, 30))
        assert m.status == Status.IN_PROGRESS.value
        [news] = [o for o in await world.outbox(s) if o.period.startswith(f"decided:{rid}@")]
        assert "2025年9月30日" in news.text and "2025年6月30日" in news.text


async def test_a_refused_extension_keeps_the_deadline(world: World) -> None:
    rid = await _ask(world, extend="1.2")
    decided = await _decide(world, rid, approve=False)
    assert isinstance(decided, signoff.Decided) and decided.verdict.approved is False
    async with world.db.session() as s:
        m = await world.measure(s, "1.2")
        assert (m.deadline, m.original_deadline) == (date(2025, 6, 30), None)
        [news] = [o for o in await world.outbox(s) if o.period.startswith(f"decided:{rid}@")]
        assert "2025年6月30日" in news.text and "2025年9月30日" not in news.text


async def test_a_request_of_another_programme_is_none_of_ours(world: World) -> None:
    rid = await _ask(world, signoff_of="1.1")
    async with world.db.session() as s:
        other = await programmes.create(s, name="另一专班", actor="test", now=NOW)
        me = await world.actor(s, "专班甲")
        assert await signoff.open_request(
            s, programme=other, request_id=rid, actor=me, now=LATER
        ) is None  # fmt: skip
        opened = await signoff.open_request(
            s, programme=await world.programme(s), request_id=rid, actor=me, now=LATER
        )
        assert isinstance(opened, signoff.Open) and opened.extension is False
        assert opened.request.code == "1.1" and opened.request.report == "已完成整改"
