"""Big ledgers: 50,000 rows accepted, one more refused with the cap said, 10,000 written in bulk."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import ADMIN, Bot
from sqlalchemy import event, func
from sqlmodel import col, select

from bot.cli import main
from core.domain.ledger import MAX_BYTES, LedgerIssue, Problem, parse_ledger
from core.domain.model import Role
from core.i18n import tr
from handlers.ledger import refusal_text
from storage import audit, ledger_store, programmes
from storage.db import Database
from storage.models import Area, AuditEvent, CoOwner, Measure, Person, ProgressUpdate, RoleGrant

NOW = datetime(2024, 9, 30, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
HEADER = "编号,方面,问题,整改措施,责任领导,牵头单位,责任单位,责任人,完成时限,状态,进展"
OWNERS = 200


def big_csv(n: int, *, edited: bool = False) -> bytes:
    """n measures over 4 areas and 200 owners; `edited`: every tenth reworded, every twentieth
    handed to the next owner (so owners 0, 20, …, 180 are left with nothing)."""
    lines = [HEADER]
    for i in range(1, n + 1):
        o = i % OWNERS + (edited and i % 20 == 0)
        text = f"措施{i}" + ("（修订）" if edited and i % 10 == 0 else "")
        owner = f"联络员{o}（1380000{o:04d}）、协办人{i % 3}"
        note = "已完成调研" if i % 1000 == 0 else ""
        lines.append(
            f"M-{i},第{i % 4 + 1}方面,问题{i // 50},{text},领导{i % 7},单位{o % 40},"
            f"协办单位{i % 5},{owner},2024-12-31,推进中,{note}"
        )
    return "\n".join(lines).encode()


def test_fifty_thousand_rows_are_accepted_and_one_more_is_refused() -> None:
    parsed = parse_ledger(big_csv(50_000), "big.csv")
    assert parsed.ok
    assert len(parsed.rows) == 50_000
    last = parsed.rows[-1]
    assert (last.row, last.code, last.owner, last.co_owners) == (
        50_001,
        "M-50000",
        "联络员0",
        ("协办人2",),
    )
    over = parse_ledger(big_csv(50_001), "big.csv")
    assert over.issues == (LedgerIssue(None, None, Problem.TOO_MANY_ROWS, "50000"),)
    assert refusal_text(tr("zh_CN"), over, "big.csv") == (
        "big.csv未导入：超过50,000行，一次导入最多50,000行。请把台账拆成几个文件，逐个导入。"
    )
    assert refusal_text(tr("en"), over, "big.csv") == (
        "Nothing was imported from big.csv: it has more than 50,000 rows, the most one import"
        " takes. Split the ledger into several files and import them one after another."
    )


def test_a_file_over_the_size_cap_is_told_the_cap() -> None:
    over = parse_ledger(b"x" * (MAX_BYTES + 1), "big.xlsx")
    assert over.issues == (LedgerIssue(None, None, Problem.TOO_LARGE, "20000000"),)
    assert refusal_text(tr("zh_CN"), over, "big.xlsx") == (
        "big.xlsx未导入：文件超过20 MB，一次导入最多20 MB。"
        "请另存为XLSX（比CSV小），或把台账拆成几个文件。"
    )
    assert refusal_text(tr("en"), over, "big.xlsx") == (
        "Nothing was imported from big.xlsx: it is larger than 20 MB, the most one import takes."
        " Save it as XLSX (smaller than CSV) or split the ledger into several files."
    )


async def test_over_the_row_cap_in_chat_says_the_cap_and_writes_nothing(bot: Bot) -> None:
    await bot.say(ADMIN, "/newprogramme 大台账")
    mark = bot.api.mark()
    bot.api.upload_document(ADMIN, "台账.csv", big_csv(50_001))
    [reply] = await bot.api.wait_for(ADMIN.id, since=mark)
    assert reply.plain == (
        "台账.csv未导入：超过50,000行，一次导入最多50,000行。请把台账拆成几个文件，逐个导入。"
    )
    async with bot.db.session() as s:
        assert (await s.exec(select(Measure))).all() == []


def test_over_the_row_cap_by_cli(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'c.db'}")
    (tmp_path / "big.csv").write_bytes(big_csv(50_001))
    assert main(["migrate"]) == 0
    assert main(["import", "big.csv", "--programme", "P", "--locale", "en"]) == 1
    assert capsys.readouterr().err == (
        "Nothing was imported from big.csv: it has more than 50,000 rows, the most one import"
        " takes. Split the ledger into several files and import them one after another.\n"
    )


async def _programme(db: Database) -> int:
    async with db.session() as s:
        programme = await programmes.create(s, name="大台账", actor="t", now=NOW)
        assert programme.id is not None
        return programme.id


async def _count(db: Database, model: type, pid: int, **where: str) -> int:
    async with db.session() as s:
        query = select(func.count()).select_from(model).where(model.programme_id == pid)  # type: ignore[attr-defined]
        for name, value in where.items():
            query = query.where(getattr(model, name) == value)
        return int((await s.exec(query)).one())


async def test_ten_thousand_rows_are_written_in_bulk(db_url: str) -> None:
    db = Database(db_url)
    try:
        pid = await _programme(db)
        rows = parse_ledger(big_csv(10_000), "big.csv").rows
        steps: list[tuple[int, int]] = []

        async def progress(done: int, total: int) -> None:
            steps.append((done, total))

        inserts: Counter[str] = Counter()

        def count(_c: object, _cur: object, statement: str, *_args: object) -> None:
            if found := re.match(r"INSERT INTO (\w+)", statement):
                inserts[found[1]] += 1

        event.listen(db.engine.sync_engine, "before_cursor_execute", count)
        async with db.session() as s:
            plan = await ledger_store.apply(
                s, programme_id=pid, rows=rows, actor="cli", now=NOW, today=NOW.date(),
                progress=progress,
            )  # fmt: skip
        assert len(plan.new) == 10_000 and plan.changed == [] and plan.roles_lost == []
        # the names in bulk like the measures: one statement per kind (801 problems, 210 people)
        names = ("area", "unit", "problem", "person", "rolegrant")
        assert {t: inserts[t] for t in names} == dict.fromkeys(names, 1)
        assert (inserts["measure"], inserts["auditevent"]) == (20, 21)  # batches of 500, 1,000
        assert steps == [(n, 10_000) for n in range(500, 10_000, 500)]
        assert await _count(db, Measure, pid) == 10_000
        assert await _count(db, CoOwner, pid) == 10_000
        assert await _count(db, ProgressUpdate, pid) == 10
        # 200 owners, 3 co-owners, 7 leaders; 40 lead units
        assert await _count(db, Person, pid) == 210
        assert await _count(db, RoleGrant, pid, role=Role.OWNER.value) == 203
        assert await _count(db, RoleGrant, pid, role=Role.LEADER.value) == 7
        assert await _count(db, AuditEvent, pid, action="measure.import") == 10_000
        assert await _count(db, AuditEvent, pid, action="person.contact") == 200
        async with db.session() as s:
            assert await audit.verify(s, programme_id=pid) == (10_201, None)
            areas = (await s.exec(select(Area.name, Area.number).order_by(col(Area.number)))).all()
            assert [tuple(a) for a in areas] == [
                ("第2方面", 1), ("第3方面", 2), ("第4方面", 3), ("第1方面", 4),
            ]  # fmt: skip
            m = (await s.exec(select(Measure).where(Measure.code == "M-9999"))).one()
            owner = await s.get(Person, m.owner_id)
            assert owner is not None
            assert (m.text, m.co_units, m.deadline, m.status) == (
                "措施9999", "协办单位4", date(2024, 12, 31), "in_progress",
            )  # fmt: skip
            assert (owner.name, owner.contact) == ("联络员199", "13800000199")
    finally:
        await db.dispose()


async def test_a_big_re_import_changes_only_what_changed(db_url: str) -> None:
    db = Database(db_url)
    try:
        pid = await _programme(db)
        async with db.session() as s:
            rows = parse_ledger(big_csv(10_000), "big.csv").rows
            await ledger_store.apply(
                s, programme_id=pid, rows=rows, actor="cli", now=NOW, today=NOW.date()
            )
        edited = parse_ledger(big_csv(10_000, edited=True), "big.csv").rows
        async with db.session() as s:
            # set in chat since the import: kept by a re-import
            m30 = (await s.exec(select(Measure).where(Measure.code == "M-30"))).one()
            m30.status = "pending_signoff"
            s.add(m30)
        async with db.session() as s:
            m10 = (await s.exec(select(Measure).where(Measure.code == "M-10"))).one()
            plan = await ledger_store.apply(
                s, programme_id=pid, rows=edited, actor="cli", now=NOW, today=NOW.date()
            )
            # a measure loaded before the import reads what the import wrote
            assert m10.text == "措施10（修订）"
            people = {p.name: p.id for p in (await s.exec(select(Person))).all()}
        assert (len(plan.new), len(plan.changed), plan.unchanged) == (0, 1000, 9000)
        assert plan.fields["M-10"] == {"text": ("措施10", "措施10（修订）")}
        assert plan.fields["M-20"] == {
            "text": ("措施20", "措施20（修订）"),
            "lead_unit": ("单位20", "单位21"),
            "owner": ("联络员20", "联络员21"),
        }
        assert plan.kept == {"M-30": ("pending_signoff", "in_progress")}
        assert plan.owners["M-20"] == people["联络员21"]
        assert len(plan.owners) == 1000
        assert sorted(loss.name for loss in plan.roles_lost) == sorted(
            f"联络员{o}" for o in range(0, 200, 20)
        )
        async with db.session() as s:
            m = {x.code: x for x in (await s.exec(select(Measure))).all()}
            assert (m["M-20"].owner_id, m["M-20"].text) == (people["联络员21"], "措施20（修订）")
            assert (m["M-30"].status, m["M-31"].status) == ("pending_signoff", "in_progress")
            assert len(m) == 10_000
            # imports 10,000 + 1,000, contacts 200 and the 10 withdrawn roles
            assert await audit.verify(s, programme_id=pid) == (11_211, None)
        assert await _count(db, CoOwner, pid) == 10_000
        async with db.session() as s:
            again = await ledger_store.plan(s, programme_id=pid, rows=edited)
        assert (again.writes, again.unchanged) == (False, 10_000)
    finally:
        await db.dispose()
