"""send_timeouts: each send that timed out after it may have reached Telegram, per process

Revision ID: 0014_send_timeouts
Revises: 0013_co_leaders
Create Date: 2026-12-07 15:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0014_send_timeouts"
down_revision: str | None = "0013_co_leaders"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sendtimeout",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("outbox_id", sa.Integer(), nullable=True),
        sa.Column("process", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_sendtimeout_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sendtimeout")),
    )
    op.create_index(op.f("ix_sendtimeout_programme_id"), "sendtimeout", ["programme_id"], unique=False)
    op.create_index(op.f("ix_sendtimeout_at"), "sendtimeout", ["at"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sendtimeout_at"), table_name="sendtimeout")
    op.drop_index(op.f("ix_sendtimeout_programme_id"), table_name="sendtimeout")
    op.drop_table("sendtimeout")
