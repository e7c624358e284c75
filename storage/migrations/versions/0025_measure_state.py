"""measure_state: each measure's silent run, kept with every write to its dispatch items

Revision ID: 0025_measure_state
Revises: 0017_spot_checks
Create Date: 2026-12-07 23:00:00

Backfilled here, from every measure's dispatch items by the domain's rule (silent_run), so that
the live picture reads the kept rows from the first start after the upgrade.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from core.domain.dispatches import DispatchFact, silent_run

revision: str = "0025_measure_state"
down_revision: str | None = "0024_replay_checkpoints"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

item = sa.table(
    "dispatchitem",
    sa.column("programme_id", sa.Integer),
    sa.column("measure_id", sa.Integer),
    sa.column("period", sa.String),
    sa.column("delivered", sa.Boolean),
    sa.column("answered", sa.Boolean),
    sa.column("short", sa.Boolean),
)
state = sa.table(
    "measurestate",
    sa.column("measure_id", sa.Integer),
    sa.column("programme_id", sa.Integer),
    sa.column("silent_run", sa.Integer),
)


def upgrade() -> None:
    op.create_table(
        "measurestate",
        sa.Column("measure_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("silent_run", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name=op.f("fk_measurestate_measure_id_measure")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_measurestate_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("measure_id", name=op.f("pk_measurestate")),
    )
    op.create_index(
        op.f("ix_measurestate_programme_id"), "measurestate", ["programme_id"], unique=False
    )
    _backfill()


def _backfill() -> None:
    """Every measure with dispatch items gets its row (none reads as a run of 0)."""
    bind = op.get_bind()
    rows = bind.execute(
        sa.select(
            item.c.programme_id,
            item.c.measure_id,
            item.c.period,
            item.c.delivered,
            item.c.answered,
            item.c.short,
        )
    )
    facts: dict[tuple[int, int], list[DispatchFact]] = {}
    for pid, mid, period, delivered, answered, short in rows:
        facts.setdefault((pid, mid), []).append(
            DispatchFact(period, bool(delivered), bool(answered), bool(short))
        )
    values = [
        {"programme_id": pid, "measure_id": mid, "silent_run": silent_run(f)}
        for (pid, mid), f in facts.items()
    ]
    for start in range(0, len(values), 1000):
        op.bulk_insert(state, values[start : start + 1000])


def downgrade() -> None:
    op.drop_index(op.f("ix_measurestate_programme_id"), table_name="measurestate")
    op.drop_table("measurestate")
