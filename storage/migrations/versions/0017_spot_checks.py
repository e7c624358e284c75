"""spot_checks: random spot checks (随机抽查) drawn monthly, and when they are drawn

Revision ID: 0017_spot_checks
Revises: 0022_reminders_forecast
Create Date: 2026-12-10 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0017_spot_checks"
down_revision: str | None = "0022_reminders_forecast"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("programme") as batch:
        batch.add_column(
            sa.Column("spotcheck_day", sa.Integer(), nullable=False, server_default="10")
        )
        batch.add_column(
            sa.Column(
                "spotcheck_time",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="10:00",
            )
        )
    op.create_table(
        "spotcheck",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("period", sqlmodel.sql.sqltypes.AutoString(length=20), nullable=False),
        sa.Column("drawn_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("checker_id", sa.Integer(), nullable=True),
        sa.Column("verdict", sqlmodel.sql.sqltypes.AutoString(), nullable=True),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.ForeignKeyConstraint(
            ["answered_by"], ["person.id"], name=op.f("fk_spotcheck_answered_by_person")
        ),
        sa.ForeignKeyConstraint(
            ["checker_id"], ["person.id"], name=op.f("fk_spotcheck_checker_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name=op.f("fk_spotcheck_measure_id_measure")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_spotcheck_programme_id_programme")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_spotcheck")),
        sa.UniqueConstraint(
            "programme_id",
            "period",
            "measure_id",
            name=op.f("uq_spotcheck_programme_id_period_measure_id"),
        ),
    )
    op.create_index(op.f("ix_spotcheck_measure_id"), "spotcheck", ["measure_id"], unique=False)
    op.create_index(op.f("ix_spotcheck_programme_id"), "spotcheck", ["programme_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_spotcheck_programme_id"), table_name="spotcheck")
    op.drop_index(op.f("ix_spotcheck_measure_id"), table_name="spotcheck")
    op.drop_table("spotcheck")
    with op.batch_alter_table("programme") as batch:
        batch.drop_column("spotcheck_time")
        batch.drop_column("spotcheck_day")
