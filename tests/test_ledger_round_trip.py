"""The bot's own ledger workbook reads back exactly: exported, then imported into a new programme."""

from __future__ import annotations

import asyncio
import csv
import io
import os
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update
from sqlmodel import col, select

from bot.cli import main
from storage.db import Database
from storage.ledger_current import stored_ledger
from storage.models import Measure, Person, Programme, RoleGrant

LEDGER = [
    ["编号", "方面", "问题", "整改措施", "责任领导", "牵头单位", "责任单位", "责任人", "完成时限",
     "状态", "进展情况"],
    ["一、1", "政治建设方面", "学习不深入", "建立第一议题制度", "李明、王强（分管党建）", "党工委办公室",
     "组织部、宣传部", "周强（13800001111）、孙磊（13900002222）", "2024-10-31", "推进中",
     "已起草制度初稿"],
    ["一、2", "政治建设方面", "学习不深入", "开展专题培训", "李明", "组织部", "", "赵敏",
     "2024-09-30", "已完成", ""],
    ["二、1", "作风建设方面", "会风不实", "精简会议文件", "管委会副主任（分管城建、规划）", "党政办",
     "", "吴芳 钱进", "长期坚持", "", "每月通报"],
    ["二、2", "作风建设方面", "会风不实", "清理评比表彰", "李明", "党政办", "", "钱进",
     "2024-12-31", "待销号", ""],
]  # fmt: skip
# what an import compares; ids and bookkeeping aside
KEYS = ("text", "area", "problem", "leader", "co_leaders", "lead_unit", "co_units", "owner",
        "co_owners", "deadline", "original_deadline", "status", "progress", "removed")  # fmt: skip


def _csv() -> bytes:
    buf = io.StringIO()
    csv.writer(buf).writerows(LEDGER)
    return buf.getvalue().encode("utf-8-sig")


async def _state(url: str, programme: str) -> tuple[dict[str, dict[str, Any]], dict[str, str]]:
    """Each measure's compared values; each person's contact and roles."""
    db = Database(url)
    try:
        async with db.session() as s:
            p = (await s.exec(select(Programme).where(Programme.name == programme))).one()
            assert p.id is not None
            stored = await stored_ledger(s, p.id)
            people = (await s.exec(select(Person).where(Person.programme_id == p.id))).all()
            measures = {c: {k: v[k] for k in KEYS} for c, v in stored.items()}
            grants = (await s.exec(select(RoleGrant).where(RoleGrant.programme_id == p.id))).all()
            roles: dict[int, list[str]] = {}
            for g in grants:
                roles.setdefault(g.person_id, []).append(g.role)
            return measures, {
                x.name: f"{x.contact or ''} {sorted(roles.get(x.id or 0, []))}" for x in people
            }
    finally:
        await db.dispose()


async def _extend(url: str, code: str, to: date) -> None:
    """An approved extension, as storage.decisions records it: the first deadline is kept."""
    db = Database(url)
    try:
        async with db.session() as s:
            m = (await s.exec(select(Measure).where(Measure.code == code))).one()
            await s.exec(
                update(Measure)
                .where(col(Measure.id) == m.id)
                .values(original_deadline=m.deadline, deadline=to)
            )
            await s.commit()
    finally:
        await db.dispose()


@pytest.mark.parametrize("locale", ["zh_CN", "en"])
def test_export_then_import_gives_the_same_ledger_field_by_field(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, locale: str
) -> None:
    monkeypatch.chdir(tmp_path)
    for key in list(os.environ):
        if key.startswith(("TELEGRAM_", "CADENCE_", "DATABASE_")):
            monkeypatch.delenv(key)
    url = f"sqlite:///{tmp_path / 'c.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    (tmp_path / "ledger.csv").write_bytes(_csv())
    assert main(["migrate"]) == 0
    assert main(["import", "ledger.csv", "--programme", "P"]) == 0
    asyncio.run(_extend(url, "一、1", date(2024, 11, 30)))
    out = ["export", "--what", "ledger", "--locale", locale, "--output", "p.xlsx"]
    assert main([*out, "--programme", "P"]) == 0
    assert main(["import", "p.xlsx", "--programme", "Q"]) == 0
    before, phones_before = asyncio.run(_state(url, "P"))
    after, phones_after = asyncio.run(_state(url, "Q"))
    first = before["一、1"]
    assert (first["co_owners"], first["co_leaders"]) == ("孙磊", "王强（分管党建）")
    assert (first["deadline"], first["original_deadline"]) == ("2024-11-30", "2024-10-31")
    assert before["二、1"]["co_owners"] == "钱进" and before["二、1"]["progress"] == "每月通报"
    for code, fields in before.items():
        for name, value in fields.items():
            assert after[code][name] == value, (code, name)
    assert phones_after == phones_before
    assert phones_before["周强"] == "13800001111 ['owner']"
    assert phones_before["孙磊"] == "13900002222 ['owner']"
    assert phones_before["王强（分管党建）"] == " ['leader']"
