"""replay_checkpoints: a closed month's replayed measures, kept for the reports that follow

Revision ID: 0024_replay_checkpoints
Revises: 0017_spot_checks
Create Date: 2026-12-07 23:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0024_replay_checkpoints"
down_revision: str | None = "0017_spot_checks"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "replaycheckpoint",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("timezone", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("sources", sa.Text(), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("written_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_replaycheckpoint_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_replaycheckpoint")),
    )
    op.create_index(
        op.f("ix_replaycheckpoint_programme_id"), "replaycheckpoint", ["programme_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_replaycheckpoint_programme_id"), table_name="replaycheckpoint")
    op.drop_table("replaycheckpoint")
