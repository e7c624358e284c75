"""checkpoint_rows: the audit trail indexed by action, for a past month's report

Revision ID: 0026_checkpoint_rows
Revises: 0025_measure_state
Create Date: 2026-12-08 01:50:00

A report read from a month's checkpoint still reads every sign-off, the outcomes recorded and
the first import: each one action's events in seq order, a scan of the whole trail without it.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0026_checkpoint_rows"
down_revision: str | None = "0025_measure_state"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_auditevent_action", "auditevent", ["programme_id", "action", "seq"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_auditevent_action", table_name="auditevent")
