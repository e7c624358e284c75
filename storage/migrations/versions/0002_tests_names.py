"""name every constraint and index by the models' naming convention

Revision ID: 0002_tests_names
Revises: 0001
Create Date: 2026-11-27 15:30:00
"""

from collections.abc import Iterator, Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_tests_names"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# a copy of storage.models.NAMING_CONVENTION as it was when this ran first: a migration keeps
# meaning what it meant, whatever the models say later
CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def _tables(bind: sa.engine.Connection) -> list[str]:
    names = sa.inspect(bind).get_table_names()
    return [t for t in names if t != "alembic_version" and not t.startswith("sqlite_")]


def _names(bind: sa.engine.Connection, table: str) -> Iterator[tuple[str | None, str, str]]:
    """(current name, conventional name, PostgreSQL's default name) of each constraint."""
    insp = sa.inspect(bind)
    yield insp.get_pk_constraint(table).get("name"), f"pk_{table}", f"{table}_pkey"
    for uq in insp.get_unique_constraints(table):
        cols = "_".join(uq["column_names"])
        yield uq["name"], f"uq_{table}_{cols}", f"{table}_{cols}_key"
    for fk in insp.get_foreign_keys(table):
        cols = fk["constrained_columns"]
        conventional = f"fk_{table}_{cols[0]}_{fk['referred_table']}"
        yield fk["name"], conventional, f"{table}_{'_'.join(cols)}_fkey"


def _rename(to_convention: bool) -> None:
    bind = op.get_bind()
    for table in _tables(bind):
        for current, conventional, default in list(_names(bind, table)):
            target = conventional if to_convention else default
            if current is not None and current != target:
                op.execute(f'ALTER TABLE "{table}" RENAME CONSTRAINT "{current}" TO "{target}"')


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "sqlite":
        _rename(to_convention=True)
        return
    # SQLite cannot rename a constraint: batch mode rebuilds the table, and the convention
    # names the constraints it reflects unnamed (env.py turns foreign keys off meanwhile)
    for table in _tables(bind):
        if any(current != conventional for current, conventional, _ in _names(bind, table)):
            with op.batch_alter_table(table, recreate="always", naming_convention=CONVENTION):
                pass


def downgrade() -> None:
    # SQLite keeps the names: revision 0001 never refers to a constraint by name
    if op.get_bind().dialect.name != "sqlite":
        _rename(to_convention=False)
