"""The weekly dispatch, its reminder (催办) and the escalation of silence, through the use cases."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlmodel import col, select

from core.domain.model import Health
from storage.models import DispatchItem, OutboxMessage
from storage.models_people import Absence
from use_cases.conftest import NOW, World, run_dispatch
from usecases import answers, nudges
from usecases import dispatch as dispatch_job

WEEK = timedelta(days=7)
JOINED = "责任领导分管领导尚未加入本系统，无法收到提请督办，请整改专班督办。"
REACHED = "责任领导分管领导目前无法联系，请整改专班督办。"


def unheard(code: str, owner: str, why: str) -> str:
    """What the task force reads of an escalation its leader could not receive."""
    return f"⚠️ 整改措施{code}（整改措施{code}）已连续2次调度未收到{owner}的反馈。{why}"


NUDGE_TEXT = (
    "⏰ 催办：以下整改措施尚未反馈本周调度情况：\n\n"
    "🟢 1.2 整改措施1.2 · 时限：6月30日 · 推进中\n\n"
    "请于3月12日（周三）16:00前反馈。\n"
    "请点击整改措施反馈进展，也可直接回复本消息。"
)
NUDGE_AT = NOW + timedelta(days=2)  # Wednesday: two working days after the dispatch


async def _unbind(world: World, name: str) -> None:
    async with world.db.session() as s:
        person = await world.person(s, name)
        person.telegram_user_id = None
        s.add(person)


async def _beat(world: World, beat: str) -> list[OutboxMessage]:
    async with world.db.session() as s:
        return [m for m in await world.outbox(s) if m.beat == beat]


async def test_reach_counts_the_bound_and_names_the_unbound(world: World) -> None:
    async with world.db.session() as s:
        assert await dispatch_job.reach(s, programme=await world.programme(s), now=NOW) == (
            dispatch_job.Planned(messages=2, owners=2, unbound=())
        )
    await _unbind(world, "李四")
    async with world.db.session() as s:
        assert await dispatch_job.reach(s, programme=await world.programme(s), now=NOW) == (
            dispatch_job.Planned(messages=1, owners=2, unbound=("李四",))
        )
        assert await world.outbox(s) == []  # reach writes nothing


async def test_a_dispatch_lists_each_owner_their_measures(world: World) -> None:
    planned = await run_dispatch(world, "2025-W11", NOW)
    assert planned == dispatch_job.Planned(messages=2, owners=2, unbound=())
    async with world.db.session() as s:
        owners = {n: await world.person(s, n) for n in ("张三", "李四")}
        messages = [m for m in await world.outbox(s) if m.beat == "dispatch"]
        assert sorted((m.chat_id, m.key, m.state) for m in messages) == sorted(
            (p.telegram_user_id, str(p.id), "sent") for p in owners.values()
        )
        by_chat = {m.chat_id: m for m in messages}
        mine = by_chat[owners["张三"].telegram_user_id or 0]
        assert "整改措施1.1" in mine.text and "1.2" not in mine.text
        items = (await s.exec(select(DispatchItem).order_by(col(DispatchItem.measure_id)))).all()
        m11, m12 = await world.measure(s, "1.1"), await world.measure(s, "1.2")
        assert mine.measure_ids == str(m11.id)
        assert [(i.measure_id, i.recipient_id, i.delivered, i.short) for i in items] == [
            (m11.id, owners["张三"].id, True, False),
            (m12.id, owners["李四"].id, True, False),
        ]
        assert all(i.answer_by is not None and i.delivered_at == NOW for i in items)


async def test_an_unbound_owner_gets_items_but_no_message(world: World) -> None:
    await _unbind(world, "李四")
    planned = await run_dispatch(world, "2025-W11", NOW)
    assert planned == dispatch_job.Planned(messages=1, owners=2, unbound=("李四",))
    async with world.db.session() as s:
        lisi = await world.person(s, "李四")
        items = (await s.exec(select(DispatchItem))).all()
        assert sorted((i.recipient_id == lisi.id, i.delivered) for i in items) == [
            (False, True),
            (True, False),
        ]
        assert len([m for m in await world.outbox(s) if m.beat == "dispatch"]) == 1


async def test_the_nudge_goes_to_whoever_has_not_answered_once(world: World) -> None:
    await run_dispatch(world, "2025-W11", NOW)
    async with world.db.session() as s:
        p, m = await world.programme(s), await world.measure(s, "1.1")
        answer = answers.Answer(m, Health.ON_TRACK, note="进展顺利")
        await answers.record(
            s, programme=p, actor=await world.actor(s, "张三"), answer=answer,
            now=NOW + timedelta(hours=1),
        )  # fmt: skip
    for expected in (1, 0):  # the second run finds everyone nudged already
        async with world.db.session() as s:
            p = await world.programme(s)
            told = await nudges.nudge(
                s, programme=p, period="2025-W11", now=NUDGE_AT, expires=NUDGE_AT + WEEK
            )
        assert told == expected
    [nudge] = await _beat(world, "nudge")
    async with world.db.session() as s:
        lisi, m12 = await world.person(s, "李四"), await world.measure(s, "1.2")
        assert (nudge.chat_id, nudge.key, nudge.measure_ids) == (
            lisi.telegram_user_id, str(lisi.id), str(m12.id),
        )  # fmt: skip
        assert nudge.text == NUDGE_TEXT
        assert (nudge.person_id, nudge.locale) == (lisi.id, "zh_CN")
        button = {"callback_data": f"md:{m12.id}", "text": "🟢 1.2 整改措施1.2"}
        assert json.loads(nudge.markup) == {"inline_keyboard": [[button]]}
        items = (await s.exec(select(DispatchItem).order_by(col(DispatchItem.measure_id)))).all()
        assert [i.nudged for i in items] == [False, True]


async def test_the_nudge_is_of_its_own_period(world: World) -> None:
    await run_dispatch(world, "2025-W11", NOW)  # unanswered, never nudged
    await run_dispatch(world, "2025-W12", NOW + WEEK)
    async with world.db.session() as s:
        p, at = await world.programme(s), NUDGE_AT + WEEK
        told = await nudges.nudge(s, programme=p, period="2025-W12", now=at, expires=at + WEEK)
    assert told == 2
    async with world.db.session() as s:
        items = (await s.exec(select(DispatchItem).order_by(col(DispatchItem.id)))).all()
        assert [(i.period, i.nudged) for i in items] == [
            ("2025-W11", False), ("2025-W11", False), ("2025-W12", True), ("2025-W12", True),
        ]  # fmt: skip


async def test_two_silent_dispatches_go_to_the_leader_once(world: World) -> None:
    for week in range(3):
        await run_dispatch(world, f"2025-W{11 + week}", NOW + week * WEEK)
    escalations = await _beat(world, "escalation")
    async with world.db.session() as s:
        leader = await world.person(s, "分管领导")
        ids = [(await world.measure(s, c)).id for c in ("1.1", "1.2")]
    assert sorted((e.chat_id, e.key, e.period) for e in escalations) == [
        (leader.telegram_user_id, f"{leader.id}:{i}", "2025-W13") for i in ids
    ]
    await run_dispatch(world, "2025-W14", NOW + 3 * WEEK)  # the same silence: not again
    assert len(await _beat(world, "escalation")) == 2


async def test_an_unbound_leader_leaves_it_to_the_coordinators(world: World) -> None:
    await _unbind(world, "分管领导")
    for week in range(3):
        await run_dispatch(world, f"2025-W{11 + week}", NOW + week * WEEK)
    escalations = await _beat(world, "escalation")
    async with world.db.session() as s:
        coordinators = [await world.person(s, n) for n in ("专班甲", "专班乙")]
        ids = [(await world.measure(s, c)).id for c in ("1.1", "1.2")]
    assert sorted(e.key for e in escalations) == sorted(
        f"tf:{c.id}:{i}" for c in coordinators for i in ids
    )
    assert (
        sorted(e.text for e in escalations)
        == [unheard("1.1", "张三", JOINED)] * 2 + [unheard("1.2", "李四", JOINED)] * 2
    )
    assert all(
        e.locale == "zh_CN" and e.person_id in {c.id for c in coordinators} for e in escalations
    )


async def test_an_unreachable_leader_leaves_it_to_the_task_force(world: World) -> None:
    async with world.db.session() as s:
        leader = await world.person(s, "分管领导")
        leader.unreachable_since = NOW
        s.add(leader)
    for week in range(3):
        await run_dispatch(world, f"2025-W{11 + week}", NOW + week * WEEK)
    escalations = await _beat(world, "escalation")
    assert (
        sorted(e.text for e in escalations)
        == [unheard("1.1", "张三", REACHED)] * 2 + [unheard("1.2", "李四", REACHED)] * 2
    )


async def test_a_task_force_chat_hears_of_it_instead(world: World) -> None:
    await _unbind(world, "分管领导")
    async with world.db.session() as s:
        p = await world.programme(s)
        p.taskforce_chat_id = -100500
        s.add(p)
    for week in range(3):
        await run_dispatch(world, f"2025-W{11 + week}", NOW + week * WEEK)
    escalations = await _beat(world, "escalation")
    async with world.db.session() as s:
        ids = [(await world.measure(s, c)).id for c in ("1.1", "1.2")]
    assert sorted((e.chat_id, e.key) for e in escalations) == [(-100500, f"tf:{i}") for i in ids]


async def _away(world: World, name: str, delegate: str | None) -> None:
    async with world.db.session() as s:
        who = await world.person(s, name)
        stand_in = await world.person(s, delegate) if delegate else None
        s.add(
            Absence(
                programme_id=world.programme_id, person_id=who.id or 0, start=NOW.date(),
                end=NOW.date() + timedelta(days=3), delegate_id=stand_in.id if stand_in else None,
            )
        )  # fmt: skip


async def test_an_owner_away_is_paused_or_reached_through_the_stand_in(world: World) -> None:
    await _away(world, "李四", delegate=None)
    async with world.db.session() as s:
        assert await dispatch_job.reach(s, programme=await world.programme(s), now=NOW) == (
            dispatch_job.Planned(messages=1, owners=2, unbound=())
        )
    await _away(world, "张三", delegate="专班甲")
    async with world.db.session() as s:  # the beat plans with what reach read
        p = await world.programme(s)
        seen = (await dispatch_job.reach(s, programme=p, now=NOW)).seen
    planned = await run_dispatch(world, "2025-W11", NOW, seen=seen)
    assert planned == dispatch_job.Planned(messages=1, owners=2, unbound=())
    async with world.db.session() as s:
        stand_in, zhang = await world.person(s, "专班甲"), await world.person(s, "张三")
        [message] = [m for m in await world.outbox(s) if m.beat == "dispatch"]
        assert (message.chat_id, message.key) == (stand_in.telegram_user_id, str(zhang.id))
        [item] = (await s.exec(select(DispatchItem))).all()  # 李四's is paused: no item
        assert (item.owner_id, item.recipient_id) == (zhang.id, stand_in.id)


async def test_a_fanout_stopped_midway_resumes_with_the_owners_left(world: World) -> None:
    async with world.db.session() as s:
        p = await world.programme(s)
        first = await dispatch_job.dispatch(
            s, programme=p, period="2025-W11", now=NOW, expires=NOW + WEEK, first=1
        )
    assert first.fanout is not None and len(first.fanout.left) == 1
    assert len(await _beat(world, "dispatch")) == 1
    await _unbind(world, "分管领导")  # unrelated to the owners: the resumed plan still goes out
    async with world.db.session() as s:
        p, lisi = await world.programme(s), await world.person(s, "李四")
        idle = (await world.person(s, "专班甲")).id or 0  # bound, but owns no open measure
        assert first.fanout.left == [lisi.id]
        resumed = await dispatch_job.fanout_of(
            s, programme=p, period="2025-W11", now=NOW, expires=NOW + WEEK,
            owner_ids=[lisi.id or 0, idle, 999],
        )  # fmt: skip
        assert list(resumed.owners) == [lisi.id] and resumed.left == [lisi.id, idle, 999]
        assert (resumed.short, resumed.answer_by) == (first.fanout.short, first.fanout.answer_by)
        assert await dispatch_job.plan_owners(s, resumed, [lisi.id or 0]) == 1
    async with world.db.session() as s:
        owners = [await world.person(s, n) for n in ("张三", "李四")]
    messages = await _beat(world, "dispatch")
    assert sorted((m.key, m.chat_id) for m in messages) == sorted(
        (str(o.id), o.telegram_user_id) for o in owners
    )
