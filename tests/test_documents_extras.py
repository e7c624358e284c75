"""The export's extras (storage/documents.extras) from stored rows, on SQLite and PostgreSQL."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import insert
from sqlalchemy.ext.asyncio import AsyncConnection
from sqlmodel import col

from core.domain.documents import Extras
from storage import documents
from storage.db import Database
from storage.models import (
    Area,
    AuditEvent,
    EvidenceFile,
    Measure,
    Person,
    Problem,
    Programme,
    ProgressUpdate,
    Unit,
)

TZ = "Asia/Shanghai"
AS_OF = date(2024, 9, 30)
NOW = datetime(2024, 10, 2, tzinfo=UTC)


def sh(day: int, hour: int, minute: int = 0) -> datetime:
    """A moment in Shanghai (UTC+8) in September or October 2024, by day of September (31 = 1 Oct)."""
    month, day = (10, day - 30) if day > 30 else (9, day)
    return datetime(2024, month, day, hour, minute, tzinfo=ZoneInfo(TZ))


async def _id(conn: AsyncConnection, table: type, **values: object) -> int:
    row = await conn.execute(insert(table).values(**values).returning(col(table.id)))  # type: ignore[attr-defined]
    return int(row.scalar_one())


async def _seed(conn: AsyncConnection) -> int:
    """Measures A (notes around the day's end), B (ties, English), C (files only), D (removed)."""
    pid = await _id(conn, Programme, name="P", timezone=TZ, created_at=NOW)
    area = await _id(conn, Area, programme_id=pid, number=1, name="方面")
    problem = await _id(conn, Problem, programme_id=pid, area_id=area, name="问题")
    unit = await _id(conn, Unit, programme_id=pid, name="建设局")
    owner = await _id(conn, Person, programme_id=pid, name="张三")
    ids = {}
    for code, deadline, removed in (
        ("A", date(2024, 11, 30), None),
        ("B", date(2024, 12, 31), None),
        ("C", None, None),
        ("D", date(2024, 10, 31), NOW),
    ):
        ids[code] = await _id(
            conn,
            Measure,
            programme_id=pid,
            code=code,
            text=f"措施{code}",
            area_id=area,
            problem_id=problem,
            lead_unit_id=unit,
            owner_id=owner,
            deadline=deadline,
            removed_at=removed,
            updated_at=NOW,
        )
    notes = [
        ("A", sh(29, 10), "已完成招标。下一步：签订合同"),
        ("A", sh(30, 23, 30), "合同已签"),  # the latest note: no next step, the earlier stands
        ("A", sh(30, 23, 45), " \u3000\n"),  # blank: no note
        ("A", sh(30, 23, 50), ""),  # a health alone
        ("A", sh(31, 0, 10), "验收完毕。下一步：归档"),  # 16:10 UTC on the 30th, but 1 October here
        ("B", sh(20, 9), "Drafted the rules. Next step: publish them"),
        ("B", sh(25, 9), "甲"),
        ("B", sh(25, 9), "乙"),  # same moment, later id: the latest
        ("D", sh(25, 9), "删除前。下一步：无"),
    ]
    for code, at, note in notes:
        await conn.execute(
            insert(ProgressUpdate).values(
                programme_id=pid, measure_id=ids[code], note=note, created_at=at
            )
        )
    for code, at in (("A", sh(30, 23, 59)), ("A", sh(31, 0, 0)), *[("C", sh(1, 8))] * 3):
        await conn.execute(
            insert(EvidenceFile).values(
                programme_id=pid,
                measure_id=ids[code],
                file_id="f",
                file_unique_id="u",
                name="证明.pdf",
                kind="document",
                created_at=at,
            )
        )
    imports = [
        ("B", {"code": "B"}),  # no deadline in it: the next one gives B's first
        ("A", {"deadline": "2024-10-31"}),
        ("B", {"deadline": "2024-12-31"}),  # the same as now: no original deadline
        ("A", {"deadline": "2024-11-15"}),  # a later import: not the first
        ("C", {"deadline": None}),
    ]
    for seq, (code, after) in enumerate(imports, start=1):
        await conn.execute(
            insert(AuditEvent).values(
                programme_id=pid,
                seq=seq,
                actor="cli",
                action="measure.import",
                entity="measure",
                entity_id=ids[code],
                after=json.dumps(after),
                at=NOW,
            )
        )
    return pid


async def test_extras_up_to_a_local_day(db_url: str) -> None:
    db = Database(db_url)
    try:
        async with db.engine.begin() as conn:
            pid = await _seed(conn)
        async with db.session() as s:
            got = await documents.extras(s, programme_id=pid, as_of=AS_OF, tz=TZ)
            day_before = await documents.extras(s, programme_id=pid, as_of=date(2024, 9, 29), tz=TZ)
    finally:
        await db.dispose()
    assert got == {
        "A": Extras(
            note="合同已签",
            noted_on=date(2024, 9, 30),
            next_step="签订合同",
            evidence=1,
            original_deadline=date(2024, 10, 31),
        ),
        "B": Extras(note="乙", noted_on=date(2024, 9, 25), next_step="publish them"),
        "C": Extras(evidence=3),
    }
    assert day_before["A"] == Extras(
        note="已完成招标。",
        noted_on=date(2024, 9, 29),
        next_step="签订合同",
        original_deadline=date(2024, 10, 31),
    )
    assert documents.day_after(AS_OF, TZ) == datetime(2024, 9, 30, 16, tzinfo=UTC)
