"""The audit trail: /history in order, hash chain verified, tampering found, append-only."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from conftest import ADMIN, SH, Bot
from rhythm_support import OWNER_A, measure_id
from signoff_support import COORD_B, ask_signoff, audit_count, step
from sqlalchemy import text
from sqlmodel import col, select
from test_e2e_signoff import REPORT, _start

from bot.cli import main
from core.domain.chain import GENESIS, Sealed, first_break, seal_of
from storage import audit, programmes
from storage.audit import AppendOnlyError, sealed
from storage.db import Database
from storage.migrate import upgrade
from storage.models import AuditEvent

ROOT = Path(__file__).resolve().parents[1]
HISTORY_ZH = """整改措施1.3.2的历史记录：建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题
1. 2024年9月30日10:00 · test · 录入整改台账
2. 2024年9月30日10:05 · 城市管理局联络员 · 反馈进展：正常推进 · “水厂已投用。” · 1份佐证资料
3. 2024年9月30日10:05 · 城市管理局联络员 · 申请销号：“水厂已投用。”（1份佐证资料）
4. 2024年9月30日11:00 · Admin · 退回：缺少入户验收记录。
5. 2024年9月30日14:00 · 城市管理局联络员 · 反馈进展：正常推进 · “虎峰山乡镇水厂已建成投用，自来水入户全部完成。” · 1份佐证资料
6. 2024年9月30日14:00 · 城市管理局联络员 · 申请销号：“虎峰山乡镇水厂已建成投用，自来水入户全部完成。”（1份佐证资料）
7. 2024年9月30日16:00 · 专班成员乙 · 同意销号（已销号）"""
HISTORY_EN = """History of 1.3.2 建成虎峰山乡镇水厂并投用，解决未实现自来水入户问题
1. 30 September 2024, 10:00 · test · Entered in the ledger
2. 30 September 2024, 10:05 · 城市管理局联络员 · Progress update: on track · “水厂已投用。” · 1 file
3. 30 September 2024, 10:05 · 城市管理局联络员 · Sign-off requested: “水厂已投用。” (1 file)
4. 30 September 2024, 11:00 · Admin · Sent back: 缺少入户验收记录。
5. 30 September 2024, 14:00 · 城市管理局联络员 · Progress update: on track · “虎峰山乡镇水厂已建成投用，自来水入户全部完成。” · 1 file
6. 30 September 2024, 14:00 · 城市管理局联络员 · Sign-off requested: “虎峰山乡镇水厂已建成投用，自来水入户全部完成。” (1 file)
7. 30 September 2024, 16:00 · 专班成员乙 · Signed off (closed)"""


async def _cli(monkeypatch: pytest.MonkeyPatch, url: str, *argv: str) -> int:
    monkeypatch.setenv("DATABASE_URL", url)
    return await asyncio.to_thread(main, list(argv))


async def test_history_in_order_and_tampering_found(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    await _start(bot)
    [dispatch] = bot.api.messages_to(OWNER_A.id)
    bot.clock.set(datetime(2024, 9, 30, 10, 5, tzinfo=SH))
    await ask_signoff(bot, OWNER_A, dispatch, "1.3.2", "水厂已投用。", ["a.pdf"])
    bot.clock.set(datetime(2024, 9, 30, 11, 0, tzinfo=SH))
    await bot.press(ADMIN, bot.api.last_to(ADMIN.id), "dec:1:back")
    await bot.say(ADMIN, "缺少入户验收记录。")
    bot.clock.set(datetime(2024, 9, 30, 14, 0, tzinfo=SH))
    await ask_signoff(bot, OWNER_A, bot.api.last_to(OWNER_A.id), "1.3.2", REPORT, ["b.pdf"])
    bot.clock.set(datetime(2024, 9, 30, 16, 0, tzinfo=SH))
    await step(bot, COORD_B, "dec:2:", ":ok")

    assert (await bot.say(OWNER_A, "/history 1.3.2")).plain == HISTORY_ZH
    assert (await bot.say(COORD_B, "/history 1.3.2")).plain == HISTORY_EN
    # an owner sees only their own measures' history
    refused = await bot.say(OWNER_A, "/history 3.1.2")
    assert refused.plain == "在您可查看的整改措施中没有编号为3.1.2的措施。"

    url = bot.settings.database_url
    capsys.readouterr()
    assert (
        await _cli(monkeypatch, url, "history", "--programme", "P", "1.3.2", "--locale", "en") == 0
    )
    assert capsys.readouterr().out == HISTORY_EN + "\n"
    assert await _cli(monkeypatch, url, "verify-audit", "--programme", "P") == 0
    # September's spot check was drawn (from nothing signed off yet) when its beat came due
    assert capsys.readouterr().out == (
        f"audit trail intact: {await audit_count(bot)} events, 1 spot-check draw recomputed\n"
    )

    # someone with database access rewrites a decision behind the bot's back
    m132 = await measure_id(bot, "1.3.2")
    async with bot.db.session() as s:
        target = (
            await s.exec(select(AuditEvent).where(AuditEvent.action == "measure.signoff_send_back"))
        ).one()
        postgres = s.bind is not None and s.bind.dialect.name == "postgresql"
        guard = (
            "ALTER TABLE auditevent DISABLE TRIGGER auditevent_no_change"
            if postgres
            else "DROP TRIGGER auditevent_no_update"
        )
        await s.exec(text(guard))  # type: ignore[call-overload]
        await s.exec(
            text("UPDATE auditevent SET after = :a WHERE id = :i"),  # type: ignore[call-overload]
            params={"a": '{"reason": "无"}', "i": target.id},
        )
    assert target.entity_id == m132
    if postgres:  # the database outlives this test: put the guard back
        async with bot.db.session() as s:
            await s.exec(text("ALTER TABLE auditevent ENABLE TRIGGER auditevent_no_change"))  # type: ignore[call-overload]
    assert await _cli(monkeypatch, url, "verify-audit", "--programme", "P") == 1
    err = capsys.readouterr().err
    assert err.startswith(f"audit trail broken at event id {target.id} (seq {target.seq}, ")
    assert "measure.signoff_send_back" in err and "hash does not match" in err


async def test_no_code_path_changes_or_removes_an_event(db_url: str) -> None:
    database = Database(db_url)
    now = datetime(2024, 9, 30, 2, 0, tzinfo=UTC)
    try:
        async with database.session() as s:
            p = await programmes.create(
                s, name="P", actor="t", now=now, timezone="Asia/Shanghai", locale="zh_CN"
            )
            audit.record(s, programme_id=p.id or 0, actor="t", action="x", entity="e", now=now)
        async with database.session() as s:
            event = (await s.exec(select(AuditEvent).order_by(col(AuditEvent.seq)))).first()
            assert event is not None and event.seq == 1 and event.prev_hash == GENESIS
            event.actor = "someone else"
            s.add(event)
            with pytest.raises(AppendOnlyError):
                await s.flush()
            await s.rollback()
        async with database.session() as s:
            event = (await s.exec(select(AuditEvent))).first()
            await s.delete(event)
            with pytest.raises(AppendOnlyError):
                await s.flush()
            await s.rollback()
        for statement in ("UPDATE auditevent SET actor = 'x'", "DELETE FROM auditevent"):
            with pytest.raises(Exception, match="append-only"):
                async with database.session() as s:
                    await s.exec(text(statement))  # type: ignore[call-overload]
        async with database.session() as s:
            rows = (await s.exec(select(AuditEvent).order_by(col(AuditEvent.seq)))).all()
            assert [(e.seq, e.actor) for e in rows] == [(1, "t"), (2, "t")]
            assert rows[1].prev_hash == rows[0].hash
            assert await audit.verify(s, programme_id=p.id or 0) == (2, None)
    finally:
        await database.dispose()


def test_no_source_writes_to_events_but_inserts() -> None:
    forbidden = ("update(auditevent", "delete(auditevent", "update auditevent", "from auditevent")
    found = []
    for path in [*ROOT.glob("bot/**/*.py"), *ROOT.glob("handlers/*.py"), *ROOT.glob("jobs/*.py")]:
        lowered = path.read_text(encoding="utf-8").lower()
        found += [(path.name, f) for f in forbidden if f in lowered]
    for path in ROOT.glob("storage/*.py"):
        lowered = path.read_text(encoding="utf-8").lower()
        found += [(path.name, f) for f in forbidden if f in lowered]
    assert found == []


def _chain(n: int) -> list[Sealed]:
    out: list[Sealed] = []
    prev = GENESIS
    for i in range(1, n + 1):
        draft = Sealed(
            id=i,
            programme_id=1,
            seq=i,
            actor="a",
            action="x",
            entity="e",
            entity_id=None,
            before="",
            after=f'{{"n": {i}}}',
            at=datetime(2024, 9, 30, tzinfo=UTC),
            prev_hash=prev,
        )
        sealed = Sealed(**{**draft.__dict__, "hash": seal_of(draft)})
        out.append(sealed)
        prev = sealed.hash
    return out


def test_chain_names_the_first_broken_event() -> None:
    events = _chain(4)
    assert first_break(events) is None
    edited = [*events[:2], Sealed(**{**events[2].__dict__, "after": "{}"}), events[3]]
    broken = first_break(edited)
    assert broken is not None and (broken.event.seq, broken.reason) == (3, "hash")
    dropped = [events[0], events[2], events[3]]
    broken = first_break(dropped)
    assert broken is not None and (broken.event.seq, broken.reason) == (3, "sequence")
    resealed = Sealed(**{**events[1].__dict__, "prev_hash": "0" * 64})
    resealed = Sealed(**{**resealed.__dict__, "hash": seal_of(resealed)})
    broken = first_break([events[0], resealed, *events[2:]])
    assert broken is not None and (broken.event.seq, broken.reason) == (2, "link")


async def test_events_from_before_the_chain_are_sealed_by_the_migration(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    await asyncio.to_thread(upgrade, url, "0001")
    database = Database(url)
    try:
        async with database.session() as s:
            for statement in (
                "INSERT INTO programme (name, timezone, locale, calendar, dispatch_weekday,"
                " dispatch_time, review_weekday, review_time, review_anchor, report_time,"
                " nudge_workdays, lookback_days, created_at) VALUES ('P', 'Asia/Shanghai',"
                " 'zh_CN', 'cn', 0, '09:00', 2, '16:00', '2024-01-03', '10:00', 2, 90,"
                " '2024-09-30 02:00:00.000000')",
                *(
                    "INSERT INTO auditevent (programme_id, actor, action, entity, before, after, at)"
                    f" VALUES (1, 't', 'a{i}', 'e', '', '', '2024-09-30 02:0{i}:00.000000')"
                    for i in range(3)
                ),
            ):
                await s.exec(text(statement))  # type: ignore[call-overload]
    finally:
        await database.dispose()
    await asyncio.to_thread(upgrade, url)
    database = Database(url)
    try:
        async with database.session() as s:
            assert await audit.verify(s, programme_id=1) == (3, None)
            audit.record(
                s, programme_id=1, actor="t", action="new", entity="e", now=datetime.now(UTC)
            )
        async with database.session() as s:
            assert await audit.verify(s, programme_id=1) == (4, None)
    finally:
        await database.dispose()


async def _tamper(bot: Bot, *statements: tuple[str, dict[str, Any]]) -> None:
    """Run statements with the append-only triggers off, as someone with database access can."""
    async with bot.db.session() as s:
        postgres = s.bind is not None and s.bind.dialect.name == "postgresql"
        if postgres:
            await s.exec(text("ALTER TABLE auditevent DISABLE TRIGGER auditevent_no_change"))  # type: ignore[call-overload]
        else:
            await s.exec(text("DROP TRIGGER IF EXISTS auditevent_no_update"))  # type: ignore[call-overload]
            await s.exec(text("DROP TRIGGER IF EXISTS auditevent_no_delete"))  # type: ignore[call-overload]
        for sql, params in statements:
            await s.exec(text(sql), params=params)  # type: ignore[call-overload]
        if postgres:  # the database outlives this test: put the guard back
            await s.exec(text("ALTER TABLE auditevent ENABLE TRIGGER auditevent_no_change"))  # type: ignore[call-overload]


@pytest.mark.bypasses_trail("cuts the newest events to show verify-audit finds it")
async def test_the_monthly_report_and_status_carry_the_anchor_that_verify_audit_checks(
    bot: Bot, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    import io
    import zipfile

    from conftest import GROUP
    from rhythm_support import seed, tick

    pid = await seed(bot)
    mark = bot.api.mark()
    bot.api.send_group(GROUP, ADMIN, "/setup P")
    await bot.answers(GROUP.id, mark)
    await tick(bot, pid, datetime(2024, 10, 8, 10, 0, tzinfo=SH))  # September's report
    async with bot.db.session() as s:
        anchor = await audit.anchor(s, programme_id=pid)
    assert anchor.count == await audit_count(bot) and len(anchor.head) == 64
    [report] = [m for m in bot.api.messages_to(GROUP.id) if "截至9月底" in m.plain]
    assert (
        report.plain.splitlines()[-1] == f"审计链：共{anchor.count}条记录，链首{anchor.head[:12]}。"
    )
    [docx] = [m for m in bot.api.messages_to(GROUP.id) if (m.filename or "").endswith(".docx")]
    assert docx.document is not None
    stored = docx.document
    footer = b"".join(
        zipfile.ZipFile(io.BytesIO(stored)).read(n)
        for n in zipfile.ZipFile(io.BytesIO(stored)).namelist()
        if n.startswith("word/footer")
    ).decode()
    assert f"审计链：共{anchor.count}条记录，链首{anchor.head}。" in footer
    status = (await bot.say(ADMIN, "/status")).plain
    assert f"• 审计链：共{anchor.count}条记录，链首{anchor.head[:12]}。" in status.splitlines()

    url, head = bot.settings.database_url, anchor.head
    capsys.readouterr()
    ok = ("verify-audit", "--programme", "P", "--head", head, "--count", str(anchor.count))
    assert await _cli(monkeypatch, url, *ok) == 0
    assert capsys.readouterr().out == (
        f"audit trail intact: {anchor.count} events, the anchor {head[:12]} among them\n"
    )
    assert (
        await _cli(monkeypatch, url, "verify-audit", "--programme", "P", "--head", head[:12]) == 0
    )
    capsys.readouterr()

    # the newest events are deleted: the chain that is left is whole, the anchor is missing
    n = anchor.count
    await _tamper(
        bot,
        ("DELETE FROM auditevent WHERE programme_id = :p AND seq >= :n", {"p": pid, "n": n - 1}),
    )
    assert await _cli(monkeypatch, url, "verify-audit", "--programme", "P") == 0
    assert await _cli(monkeypatch, url, *ok) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"audit trail does not hold the anchor: the chain has {n - 2} events but the anchor "
        f"counted {n}: the newest events were deleted"
    )
    assert await _cli(monkeypatch, url, "verify-audit", "--programme", "P", "--head", head) == 1
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"audit trail does not hold the anchor: no event is sealed {head[:12]} (the chain has "
        f"{n - 2} events): the newest events were deleted, or the chain was rewritten and "
        "sealed again"
    )

    # an older event is edited, then it and every later one sealed again with our own function
    async with bot.db.session() as s:
        rows = (
            await s.exec(
                select(AuditEvent)
                .where(AuditEvent.programme_id == pid)
                .order_by(col(AuditEvent.seq))
            )
        ).all()
    prev, fixes = GENESIS, []
    for e in rows:
        view = sealed(e)
        if e.seq >= 3:
            after = '{"forged": true}' if e.seq == 3 else e.after
            view = Sealed(**{**vars(view), "after": after, "prev_hash": prev, "hash": ""})
            fixes.append(
                (
                    "UPDATE auditevent SET after = :a, prev_hash = :p, hash = :h WHERE id = :i",
                    {"a": view.after, "p": prev, "h": seal_of(view), "i": e.id},
                )
            )
            prev = seal_of(view)
        else:
            prev = e.hash
    await _tamper(bot, *fixes)
    fresh = await _cli(monkeypatch, url, "verify-audit", "--programme", "P")
    out = capsys.readouterr()
    assert fresh == 0, out.err  # re-sealed: the chain alone cannot tell
    last = rows[-1].seq
    assert (
        await _cli(
            monkeypatch,
            url,
            "verify-audit",
            "--programme",
            "P",
            "--head",
            prev,
            "--count",
            str(last),
        )
        == 0
    )
    capsys.readouterr()
    assert (
        await _cli(
            monkeypatch,
            url,
            "verify-audit",
            "--programme",
            "P",
            "--head",
            rows[-1].hash,
            "--count",
            str(last),
        )
        == 1
    )
    assert capsys.readouterr().err.splitlines()[-1] == (
        f"audit trail does not hold the anchor: event {last} is sealed {prev[:12]}, the anchor "
        f"says {rows[-1].hash[:12]}: the chain was rewritten and sealed again"
    )
