"""Models and migrations agree on SQLite and PostgreSQL; the naming migration keeps every row."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import pytest
import pytest_asyncio
from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import PG_URL, _db_params, _reset_postgres
from sqlalchemy import Connection, inspect, text
from sqlalchemy.sql.schema import DEFAULT_NAMING_CONVENTION
from sqlmodel import SQLModel

from storage.db import make_engine
from storage.migrate import alembic_config, upgrade
from storage.models import NAMING_CONVENTION

T = TypeVar("T")
Names = set[tuple[str, str, str]]
BEFORE_NAMES = "0001"  # the last revision whose tables carried the databases' default names


async def _on(url: str, work: Callable[[Connection], T]) -> T:
    """Run `work` on a synchronous connection to the database; commit what it wrote."""
    engine = make_engine(url)
    try:
        async with engine.begin() as conn:
            return await conn.run_sync(work)
    finally:
        await engine.dispose()


def _drift(conn: Connection) -> list[Any]:
    context = MigrationContext.configure(conn, opts={"compare_type": True})
    return list(compare_metadata(context, SQLModel.metadata))


def _db_names(conn: Connection) -> Names:
    insp = inspect(conn)
    names: Names = set()
    for table in insp.get_table_names():
        if table == "alembic_version":
            continue
        names.add((table, "pk", str(insp.get_pk_constraint(table)["name"])))
        names |= {(table, "uq", str(u["name"])) for u in insp.get_unique_constraints(table)}
        names |= {(table, "fk", str(f["name"])) for f in insp.get_foreign_keys(table)}
        # PostgreSQL lists the index behind each unique constraint as well
        names |= {
            (table, "ix", str(i["name"]))
            for i in insp.get_indexes(table)
            if "duplicates_constraint" not in i
        }
    return names


def _model_names() -> Names:
    names: Names = set()
    for table in SQLModel.metadata.sorted_tables:
        assert table.primary_key.name is not None
        names.add((table.name, "pk", str(table.primary_key.name)))
        for c in table.constraints:
            kind = {"UniqueConstraint": "uq", "ForeignKeyConstraint": "fk"}.get(type(c).__name__)
            if kind:
                names.add((table.name, kind, str(c.name)))
        names |= {(table.name, "ix", str(i.name)) for i in table.indexes}
    return names


async def test_migrations_build_exactly_the_models(db_url: str) -> None:
    assert await _on(db_url, _drift) == []


async def test_every_constraint_and_index_has_its_conventional_name(db_url: str) -> None:
    names = await _on(db_url, _db_names)
    assert names == _model_names()
    assert ("measure", "uq", "uq_measure_programme_id_code") in names
    assert ("measure", "fk", "fk_measure_owner_id_person") in names
    assert ("dispatchitem", "uq", "uq_dispatchitem_programme_id_period_measure_id") in names
    assert ("programme", "ix", "ix_programme_name") in names
    assert {kind for _, kind, _ in names} == {"pk", "uq", "fk", "ix"}
    assert SQLModel.metadata.naming_convention == NAMING_CONVENTION


@pytest_asyncio.fixture(params=_db_params())
async def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A database with no tables at all."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    assert PG_URL is not None
    await _reset_postgres(PG_URL)  # the next db_url sees no alembic_version and migrates again
    return PG_URL


ROWS = [
    "INSERT INTO programme (id, name, timezone, locale, calendar, dispatch_weekday,"
    " dispatch_time, review_weekday, review_time, review_anchor, report_time, nudge_workdays,"
    " lookback_days, created_at) VALUES (1, 'P', 'Asia/Shanghai', 'zh_CN', 'cn', 0, '09:00',"
    " 2, '16:00', '2024-01-03', '10:00', 2, 90, '2024-09-30 02:00:00')",
    "INSERT INTO unit (id, programme_id, name) VALUES (1, 1, '城市管理局')",
    "INSERT INTO person (id, programme_id, name, unit_id) VALUES (1, 1, '城市管理局联络员', 1)",
    "INSERT INTO area (id, programme_id, number, name) VALUES (1, 1, 1, '方面一')",
    "INSERT INTO problem (id, programme_id, area_id, name) VALUES (1, 1, 1, '问题一')",
    "INSERT INTO measure (id, programme_id, code, text, area_id, problem_id, lead_unit_id,"
    " co_units, owner_id, deadline, status, updated_at) VALUES (1, 1, '1.3.2', '措施', 1, 1,"
    " 1, '', 1, '2024-12-31', 'in_progress', '2024-09-30 02:00:00')",
]
JOINED = (
    "SELECT m.code, a.name, p.name, u.name, o.name FROM measure m JOIN area a ON a.id = m.area_id"
    " JOIN problem p ON p.id = m.problem_id JOIN unit u ON u.id = m.lead_unit_id"
    " JOIN person o ON o.id = m.owner_id"
)


def _insert(conn: Connection) -> None:
    for sql in ROWS:
        conn.execute(text(sql))


def _joined(conn: Connection) -> list[tuple[Any, ...]]:
    return [tuple(r) for r in conn.execute(text(JOINED))]


def _names_of(conn: Connection, table: str) -> set[str]:
    return {name for t, _, name in _db_names(conn) if t == table}


async def test_naming_migration_renames_old_databases_and_keeps_their_rows(
    empty_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # a database made by revision 0001 before the models had a naming convention
    monkeypatch.setattr(SQLModel.metadata, "naming_convention", DEFAULT_NAMING_CONVENTION)
    await asyncio.to_thread(upgrade, empty_url, BEFORE_NAMES)
    monkeypatch.undo()
    await _on(empty_url, _insert)
    old = await _on(empty_url, lambda c: _names_of(c, "area"))
    if empty_url.startswith("sqlite"):  # SQLite keeps no names for unnamed constraints
        assert old == {"None", "ix_area_programme_id"}
    else:
        assert old == {
            "area_pkey",
            "area_programme_id_name_key",
            "area_programme_id_fkey",
            "ix_area_programme_id",
        }
    await asyncio.to_thread(upgrade, empty_url, "head")
    row = ("1.3.2", "方面一", "问题一", "城市管理局", "城市管理局联络员")
    assert await _on(empty_url, _joined) == [row]
    assert await _on(empty_url, lambda c: _names_of(c, "area")) == {
        "pk_area",
        "uq_area_programme_id_name",
        "fk_area_programme_id_programme",
        "ix_area_programme_id",
    }
    assert await _on(empty_url, _db_names) == _model_names()
    assert await _on(empty_url, _drift) == []
    # and back: PostgreSQL gets its default names again, the rows stay
    await asyncio.to_thread(command.downgrade, alembic_config(empty_url), BEFORE_NAMES)
    if not empty_url.startswith("sqlite"):
        assert await _on(empty_url, lambda c: _names_of(c, "area")) == old
    assert await _on(empty_url, _joined) == [row]
    await asyncio.to_thread(upgrade, empty_url, "head")
    assert await _on(empty_url, _db_names) == _model_names()


def _dispatch_history(conn: Connection) -> None:
    """W39 delivered (its outbox row a minute after the claim) and answered; W40 delivered,
    silent, and sent a working day before National Day; W41 planned but not delivered."""
    z = "+00" if conn.dialect.name == "postgresql" else ""

    def at(moment: str) -> str:
        return f"'{moment}.000000{z}'"

    _insert(conn)
    for period, sent in (("2024-W39", "2024-09-23 01:30:00"), ("2024-W40", "2024-09-30 01:30:00")):
        conn.execute(
            text(
                "INSERT INTO sentbeat (programme_id, beat, period, sent_at, manual, snapshot)"
                f" VALUES (1, 'dispatch', '{period}', {at(sent)}, false, '')"
            )
        )
    conn.execute(
        text(
            "INSERT INTO outboxmessage (programme_id, beat, period, key, chat_id, measure_ids,"
            " locale, text, markup, kind, filename, state, attempts, expires_at, sent_at, error,"
            " reported, created_at) VALUES (1, 'dispatch', '2024-W39', '1', 42, '1', 'zh_CN', 'x',"
            f" '', 'text', '', 'sent', 1, {at('2024-09-30 01:00:00')},"
            f" {at('2024-09-23 01:31:00')}, '', false, {at('2024-09-23 01:30:00')})"
        )
    )
    conn.execute(
        text(
            "INSERT INTO progressupdate (programme_id, measure_id, note, blockers, created_at)"
            f" VALUES (1, 1, 'ok', '', {at('2024-09-23 02:00:00')})"
        )
    )
    for period, delivered, answered in (
        ("2024-W39", True, True),
        ("2024-W40", True, False),
        ("2024-W41", False, False),
    ):
        conn.execute(
            text(
                "INSERT INTO dispatchitem (programme_id, period, measure_id, owner_id, chat_id,"
                " delivered, answered, nudged, escalated)"
                f" VALUES (1, '{period}', 1, 1, 42, {delivered}, {answered}, false, false)"
            )
        )


def _dispatch_times(conn: Connection) -> list[tuple[Any, ...]]:
    rows = conn.execute(
        text(
            "SELECT period, delivered_at, answered_at, answer_by, short FROM dispatchitem"
            " ORDER BY period"
        )
    )
    return [
        (p, *(str(v)[:16] if v is not None else None for v in (d, a, by)), bool(s))
        for p, d, a, by, s in rows
    ]


async def test_dispatch_times_migration_backfills_old_items(empty_url: str) -> None:
    await asyncio.to_thread(upgrade, empty_url, "0011_summary")
    await _on(empty_url, _dispatch_history)
    await asyncio.to_thread(upgrade, empty_url, "head")
    assert await _on(empty_url, _dispatch_times) == [
        # delivered when its message went out; answered by the first answer after the dispatch;
        # the window by the rhythm in force (W40: the next dispatch is on 8 October, short)
        ("2024-W39", "2024-09-23 01:31", "2024-09-23 02:00", "2024-09-30 01:00", False),
        ("2024-W40", "2024-09-30 01:30", None, "2024-10-08 01:00", True),
        ("2024-W41", None, None, None, False),  # no beat record: nothing known
    ]
