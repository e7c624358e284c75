"""Office ledgers stored and served: numbering, people, progress, limits, the migration, chat, CLI."""

from __future__ import annotations

import asyncio
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from conftest import ADMIN, PG_URL, Bot, _reset_postgres
from fakebot import User
from rhythm_support import bind
from sqlalchemy import text
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession
from test_ledger_layouts import OFFICE_MERGES, book, office_ledger
from test_ledger_parse import EN_HEADER, Table, csv_bytes, row

from bot.cli import main
from core.domain.ledger import LedgerRow, parse_ledger
from storage import ledger_store, programmes
from storage.db import Database
from storage.migrate import upgrade
from storage.models import Area, AuditEvent, CoOwner, Measure, Person, Problem, ProgressUpdate, Unit

TODAY = date(2024, 9, 30)
SUN = User(303, "孙磊", language_code="zh-hans")
ZHAO = User(304, "赵敏", language_code="zh-hans")


def office_rows(table: list[list[Any]] | None = None) -> tuple[LedgerRow, ...]:
    data = book({"台账": table or office_ledger()}, {"台账": OFFICE_MERGES})
    parsed = parse_ledger(data, "l.xlsx")
    assert parsed.ok, parsed.issues
    return parsed.rows


async def store(db: Database, rows: tuple[LedgerRow, ...], today: date = TODAY) -> Any:
    async with db.session() as s:
        p, _ = await programmes.get_or_create(
            s, name="P", actor="t", now=_now(today), timezone="Asia/Shanghai", locale="zh_CN"
        )
        assert p.id is not None
        return await ledger_store.apply(
            s, programme_id=p.id, rows=rows, actor="cli", now=_now(today), today=today
        )


def _now(day: date) -> Any:
    from datetime import datetime
    from zoneinfo import ZoneInfo

    return datetime(day.year, day.month, day.day, 10, tzinfo=ZoneInfo("Asia/Shanghai"))


async def numbers(s: AsyncSession) -> tuple[dict[str, int], dict[str, int]]:
    areas = {a.name: a.number for a in (await s.exec(select(Area))).all()}
    problems = {p.name: p.number for p in (await s.exec(select(Problem))).all()}
    return areas, problems


async def test_office_ledger_is_stored_as_kept(db_url: str) -> None:
    db = Database(db_url)
    try:
        plan = await store(db, office_rows())
        assert len(plan.new) == 6
        async with db.session() as s:
            areas, problems = await numbers(s)
            assert areas == {"党的建设方面": 1, "作风建设方面": 2, "财务管理方面": 3}
            assert problems == {"制度执行不严": 1, "台账不全": 2, "会风不实": 3, "报销不规范": 4}
            m = {x.code: x for x in (await s.exec(select(Measure))).all()}
            assert (m["A-01"].immediate, m["A-01"].deadline) == (True, TODAY)
            person = {p.name: p for p in (await s.exec(select(Person))).all()}
            assert person["周强"].contact == "13800001111"
            assert person["钱七"].contact == "13900002222"
            assert m["A-02"].owner_id == person["赵敏"].id
            co = (await s.exec(select(CoOwner))).all()
            assert [(c.measure_id, c.person_id) for c in co] == [(m["A-02"].id, person["孙磊"].id)]
            notes = (await s.exec(select(ProgressUpdate).order_by(col(ProgressUpdate.id)))).all()
            assert [(n.measure_id, n.note, n.person_id) for n in notes] == [
                (m["A-01"].id, "已起草", None),
                (m["A-10"].id, "补齐60%", None),
            ]
        # a week later the same file changes nothing: 立行立改 keeps its first day
        plan = await store(db, office_rows(), date(2024, 10, 7))
        assert (plan.new, plan.changed, plan.unchanged) == ([], [], 6)
        # a new area listed first gets the next number; existing ones keep theirs
        table = office_ledger()
        table.insert(3, [0, "Z-1", "新增方面", "新问题", "新措施", "", "区委办", "", "李华",
                         "2024-12-31", "", "刚启动"])  # fmt: skip
        merges = ["C5:C8", "D5:D6"]
        parsed = parse_ledger(book({"台账": table}, {"台账": merges}), "l.xlsx")
        plan = await store(db, parsed.rows, date(2024, 10, 8))
        assert (plan.new, plan.changed) == (["Z-1"], [])
        async with db.session() as s:
            areas, problems = await numbers(s)
            assert areas["新增方面"] == 4 and areas["党的建设方面"] == 1
            assert problems["新问题"] == 5
            a01 = (await s.exec(select(Measure).where(Measure.code == "A-01"))).one()
            assert a01.deadline == TODAY
    finally:
        await db.dispose()


async def test_progress_and_co_owner_changes_are_updates(db_url: str) -> None:
    db = Database(db_url)
    try:
        await store(db, office_rows())
        table = office_ledger()
        table[3][11] = "已印发"  # A-01's progress moves on
        table[4][8] = "赵敏"  # A-02 loses its co-owner
        plan = await store(db, office_rows(table), date(2024, 10, 8))
        assert plan.changed == ["A-01", "A-02"]
        async with db.session() as s:
            assert (await s.exec(select(CoOwner))).all() == []
            notes = (
                await s.exec(select(ProgressUpdate.note).order_by(col(ProgressUpdate.id)))
            ).all()
            assert list(notes) == ["已起草", "补齐60%", "已印发"]
            events = (
                await s.exec(
                    select(AuditEvent)
                    .where(AuditEvent.action == "measure.import")
                    .order_by(col(AuditEvent.id))
                )
            ).all()
            assert '"progress": "已印发"' in events[-2].after
    finally:
        await db.dispose()


async def test_limits_agree_with_both_databases(db_url: str) -> None:
    longest: Table = [
        EN_HEADER,
        row(
            "C" * 50,
            owner="O" * 300,
            lead_unit="U" * 300,
            responsible_leader="L" * 300,
            measure="M" * 2000,
            **{"co-units": "短、" + "K" * 300},  # each co-unit is a unit: 300 characters
        ),
        row("99999999999.1", area="Area\x00 two", owner="张三\u200b"),
        row("1.1", owner="张三", co_units="办\u200b、办"),
    ]
    parsed = parse_ledger(csv_bytes(longest), "l.csv")
    assert parsed.ok, parsed.issues
    db = Database(db_url)
    try:
        plan = await store(db, parsed.rows)
        assert len(plan.new) == 3
        async with db.session() as s:
            names = sorted(p.name for p in (await s.exec(select(Person))).all())
            assert names == sorted(["O" * 300, "L" * 300, "张三", "Director"])
            assert {a.name for a in (await s.exec(select(Area))).all()} == {"Area one", "Area two"}
            assert "K" * 300 in {u.name for u in (await s.exec(select(Unit))).all()}
        for too_long in ("code", "owner", "lead_unit", "co-units"):
            value = {"code": "x" * 51, "co-units": "短、" + "x" * 301}.get(too_long, "x" * 301)
            refused = parse_ledger(
                csv_bytes([EN_HEADER, row(**{too_long: value})]),
                "l.csv",
            )
            assert not refused.ok and refused.rows == ()
    finally:
        await db.dispose()


async def test_migration_keeps_programmes_and_area_numbers(tmp_path: Path) -> None:
    urls = [f"sqlite:///{tmp_path / 'old.db'}"] + ([PG_URL] if PG_URL else [])
    for url in urls:
        if url == PG_URL:
            await _reset_postgres(url)
        await asyncio.to_thread(upgrade, url, "0001")
        db = Database(url)
        try:
            async with db.session() as s:
                for sql in OLD_ROWS:
                    await s.exec(text(sql))  # type: ignore[call-overload]
            await db.dispose()
            await asyncio.to_thread(upgrade, url)
            db = Database(url)
            async with db.session() as s:
                areas, problems = await numbers(s)
                assert areas == {"方面三": 3, "方面一": 1}
                assert problems == {"问题甲": 1, "问题乙": 2}
                m = (await s.exec(select(Measure))).one()
                assert (m.code, m.immediate, m.text) == ("3.1.1", False, "措施")
                assert (await s.exec(select(Person))).one().contact is None
        finally:
            await db.dispose()


OLD_ROWS = [
    "INSERT INTO programme (id, name, timezone, locale, calendar, dispatch_weekday, dispatch_time,"
    " review_weekday, review_time, review_anchor, report_time, nudge_workdays, lookback_days,"
    " created_at) VALUES (1, 'P', 'Asia/Shanghai', 'zh_CN', 'cn', 0, '09:00', 2, '16:00',"
    " '2024-01-03', '10:00', 2, 90, '2024-09-01 00:00:00')",
    "INSERT INTO area (id, programme_id, number, name) VALUES (1, 1, 3, '方面三'), (2, 1, 1, '方面一')",
    "INSERT INTO problem (id, programme_id, area_id, name) VALUES (1, 1, 1, '问题甲'), (2, 1, 2, '问题乙')",
    "INSERT INTO unit (id, programme_id, name) VALUES (1, 1, '办')",
    "INSERT INTO person (id, programme_id, name) VALUES (1, 1, '张三')",
    "INSERT INTO measure (id, programme_id, code, text, area_id, problem_id, lead_unit_id, co_units,"
    " owner_id, status, updated_at) VALUES (1, 1, '3.1.1', '措施', 1, 1, 1, '', 1, 'not_started',"
    " '2024-09-01 00:00:00')",
]


def office_book(two: bool = False) -> bytes:
    cover = [["填表说明"], ["请按要求填写。"]]
    sheets = {"封面": cover, "整改台账": office_ledger()}
    if two:
        sheets["上月台账"] = office_ledger()
    return book(sheets, {"整改台账": OFFICE_MERGES, "上月台账": OFFICE_MERGES})


async def test_office_ledger_in_chat_with_a_sheet_to_choose(bot: Bot) -> None:
    await bot.say(ADMIN, "/newprogramme 巡察整改")
    mark = bot.api.mark()
    bot.api.upload_document(ADMIN, "台账.xlsx", office_book(two=True))
    [ask] = await bot.api.wait_for(ADMIN.id, since=mark)
    assert "多个工作表" in ask.plain
    assert [label for label, _ in ask.buttons] == ["整改台账", "上月台账"]
    mark = bot.api.mark()
    await bot.press(ADMIN, ask, ask.buttons[0][1] or "")
    preview = (await bot.api.wait_for(ADMIN.id, since=mark))[-1]
    assert "6项" in preview.plain or "6 " in preview.plain, preview.plain
    keep = next(d for _, d in preview.buttons if d and d.startswith("imp:keep"))
    await bot.press(ADMIN, preview, keep)
    async with bot.db.session() as s:
        assert len((await s.exec(select(Measure))).all()) == 6
        pid = (await s.exec(select(Measure.programme_id))).first()
    assert pid is not None
    summary = await bot.say(ADMIN, "/summary")
    text_ = summary.plain
    order = [text_.index(a) for a in ("党的建设方面", "作风建设方面", "财务管理方面")]
    assert order == sorted(order), text_
    # 孙磊 co-owns A-02: he sees it in /my and may answer it; the owner sees it too
    await bind(bot, pid, "孙磊", SUN)
    await bind(bot, pid, "赵敏", ZHAO)
    mine = await bot.say(SUN, "/my")
    assert "A-02" in mine.plain and "A-10" in mine.plain
    a02 = next(d for label, d in mine.buttons if "A-02" in label)
    mark = bot.api.mark()
    await bot.press(SUN, mine, a02 or "")
    asked = bot.api.messages_to(SUN.id)[-1].plain
    assert "A-02" in asked and "无需由您反馈" not in asked, asked
    assert "A-02" in (await bot.say(ZHAO, "/my")).plain
    people = await bot.say(ADMIN, "/people")
    assert "周强" in people.plain and "13800001111" in people.plain


async def test_refused_office_ledger_in_chat_writes_nothing(bot: Bot) -> None:
    await bot.say(ADMIN, "/newprogramme 巡察整改")
    table = office_ledger()
    table[6][9] = "下个月"
    mark = bot.api.mark()
    bot.api.upload_document(ADMIN, "台账.xlsx", book({"台账": table}, {"台账": OFFICE_MERGES}))
    [reply] = await bot.api.wait_for(ADMIN.id, since=mark)
    assert (
        "第7行" in reply.plain and "下个月" in reply.plain and "可识别的完成时限写法" in reply.plain
    )
    async with bot.db.session() as s:
        assert (await s.exec(select(Measure))).all() == []


@pytest.fixture
def cli_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'c.db'}")
    return tmp_path


def test_office_ledger_by_cli(cli_env: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (cli_env / "two.xlsx").write_bytes(office_book(two=True))
    assert main(["migrate"]) == 0
    assert main(["import", "two.xlsx", "--programme", "P", "--locale", "en"]) == 1
    err = capsys.readouterr().err
    assert (
        "several sheets hold a ledger" in err and "--sheet" in err and "整改台账、上月台账" in err
    )
    assert (
        main(["import", "two.xlsx", "--programme", "P", "--sheet", "整改台账", "--locale", "en"])
        == 0
    )
    assert "6 new" in capsys.readouterr().out
    assert main(["summary", "--programme", "P", "--as-of", "2024-09-30", "--locale", "en"]) == 0
    out = capsys.readouterr().out
    order = [out.index(a) for a in ("党的建设方面", "作风建设方面", "财务管理方面")]
    assert order == sorted(order), out
