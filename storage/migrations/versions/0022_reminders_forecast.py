"""reminders_forecast: 临期提醒 (working days before, what was reminded) and the forecast day

Revision ID: 0022_reminders_forecast
Revises: 0023_shares_evidence
Create Date: 2026-12-07 19:30:00

No forecast is filled in for the answers already given: a measure gets its projection (from all
its answers) at its next answer with a percentage, which the audit trail records, so the live
ledger and its replay from the trail agree from the first day.
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0022_reminders_forecast"
down_revision: str | None = "0023_shares_evidence"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programme") as batch:
        batch.add_column(
            sa.Column("remind_workdays", sa.Integer(), nullable=False, server_default="3")
        )
    with op.batch_alter_table("measure") as batch:
        batch.add_column(sa.Column("forecast", sa.Date(), nullable=True))
    op.create_table(
        "deadlinereminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name=op.f("fk_deadlinereminder_measure_id_measure")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_deadlinereminder_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadlinereminder")),
        sa.UniqueConstraint(
            "measure_id", "deadline", name=op.f("uq_deadlinereminder_measure_id_deadline")
        ),
    )
    op.create_index(
        op.f("ix_deadlinereminder_measure_id"), "deadlinereminder", ["measure_id"], unique=False
    )
    op.create_index(
        op.f("ix_deadlinereminder_programme_id"),
        "deadlinereminder",
        ["programme_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_deadlinereminder_programme_id"), table_name="deadlinereminder")
    op.drop_index(op.f("ix_deadlinereminder_measure_id"), table_name="deadlinereminder")
    op.drop_table("deadlinereminder")
    with op.batch_alter_table("measure") as batch:
        batch.drop_column("forecast")
    with op.batch_alter_table("programme") as batch:
        batch.drop_column("remind_workdays")
