"""反馈率 of a month from stored items: only the dispatches delivered in it, in the programme's
zone; a unit with none has no rate. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Health, Status
from storage import audit, dispatch_items, reports
from storage.db import Database
from storage.models import Area, DispatchItem, Measure, Person, Problem, Programme, Unit

SH = ZoneInfo("Asia/Shanghai")
NOW = datetime(2024, 11, 1, tzinfo=UTC)


def mon(month: int, day: int) -> datetime:
    return datetime(2024, month, day, 9, 30, tzinfo=SH)


# unit -> its dispatches: (period, delivered at, answered at); each is answerable for a week
SENT: dict[str, list[tuple[str, datetime, datetime | None]]] = {
    "科技创新局": [
        ("2024-W48", mon(11, 25), mon(11, 26)),  # the week straddling November and December
        ("2024-W49", mon(12, 2), mon(12, 3)),
        ("2024-W50", mon(12, 9), None),
        ("2024-W51", mon(12, 16), None),
    ],
    "审计局": [
        # 00:30 on 1 December in Shanghai, still 30 November in UTC: December's
        ("2024-W48", datetime(2024, 11, 30, 16, 30, tzinfo=UTC), mon(12, 1)),
        ("2024-W49", mon(12, 2), mon(12, 3)),
        ("2024-W50", mon(12, 9), None),
        ("2024-W51", mon(12, 16), mon(12, 17)),
    ],
    "建设局": [("2024-W44", mon(10, 28), mon(10, 29))],  # nothing sent in November
}


async def _id(conn: AsyncConnection, model: type, **values: object) -> int:
    query = insert(model).values(**values).returning(col(model.id))  # type: ignore[attr-defined]
    return int((await conn.execute(query)).scalar_one())


IMPORTED: list[tuple[int, str]] = []  # (measure id, lead unit) as _seed wrote them


async def _import_events(s: AsyncSession, pid: int) -> None:
    """The trail of the rows _seed wrote: the monthly report replays it."""
    for mid, unit in IMPORTED:
        after = {"text": "措施", "area": "方面", "problem": "问题", "lead_unit": unit}
        after |= {"owner": "张三", "deadline": "2025-06-30", "status": "in_progress"}
        audit.record(s, programme_id=pid, actor="test", action="measure.import", entity="measure",
                     entity_id=mid, after=after, now=NOW)  # fmt: skip


async def _seed(conn: AsyncConnection) -> int:
    IMPORTED.clear()
    pid = await _id(conn, Programme, name="P", created_at=NOW)
    area = await _id(conn, Area, programme_id=pid, number=1, name="方面")
    problem = await _id(conn, Problem, programme_id=pid, area_id=area, name="问题")
    owner = await _id(conn, Person, programme_id=pid, name="张三")
    for n, (unit, sent) in enumerate(SENT.items()):
        uid = await _id(conn, Unit, programme_id=pid, name=unit)
        mid = await _id(
            conn,
            Measure,
            programme_id=pid,
            code=f"1.{n}",
            text="措施",
            area_id=area,
            problem_id=problem,
            lead_unit_id=uid,
            co_units="",
            owner_id=owner,
            deadline=date(2025, 6, 30),
            status=Status.IN_PROGRESS.value,
            health=Health.ON_TRACK.value,
            updated_at=NOW,
        )
        IMPORTED.append((mid, unit))
        for period, delivered, answered in sent:
            await conn.execute(
                insert(DispatchItem).values(
                    programme_id=pid,
                    period=period,
                    measure_id=mid,
                    owner_id=owner,
                    delivered=True,
                    delivered_at=delivered,
                    answered=answered is not None,
                    answered_at=answered,
                    answer_by=delivered + timedelta(days=7),
                )
            )
    return pid


async def test_feedback_rate_counts_only_the_months_own_dispatches(db_url: str) -> None:
    db = Database(db_url)
    try:
        async with db.engine.begin() as conn:
            pid = await _seed(conn)
        async with db.session() as s:
            await _import_events(s, pid)
        async with db.session() as s:
            rates = {
                month: await dispatch_items.answers_by_unit(
                    s, programme_id=pid, year=2024, month=month, tz="Asia/Shanghai"
                )
                for month in (10, 11, 12)
            }
            programme = await s.get(Programme, pid)
            assert programme is not None
            asked = datetime(2025, 1, 6, 9, tzinfo=SH)  # both months over
            december = await reports.report_content(
                s, programme=programme, period="2024-12", now=asked
            )
            november = await reports.report_content(
                s, programme=programme, period="2024-11", now=asked
            )
        assert rates == {
            10: {"建设局": (1, 1)},
            11: {"科技创新局": (1, 1)},
            12: {"科技创新局": (1, 3), "审计局": (3, 4)},
        }
        # the report shows them as whole percentages: 33% and 75%; no rate (—) for 建设局
        assert {u.key: u.answer_rate for u in december.units} == {
            "科技创新局": 1 / 3,
            "审计局": 3 / 4,
            "建设局": None,
        }
        assert {u.key: u.answer_rate for u in november.units}["建设局"] is None
    finally:
        await db.dispose()
