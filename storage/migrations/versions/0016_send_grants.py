"""send_grants: the pacing budget every process on the database shares (slots held until when)

Revision ID: 0016_send_grants
Revises: 0015_progress_report
Create Date: 2026-12-08 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0016_send_grants"
down_revision: str | None = "0015_progress_report"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "sendgrant",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("process", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
        sa.Column("slots", sa.Integer(), nullable=False),
        sa.Column("until_ms", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sendgrant")),
    )
    op.create_index(op.f("ix_sendgrant_until_ms"), "sendgrant", ["until_ms"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_sendgrant_until_ms"), table_name="sendgrant")
    op.drop_table("sendgrant")
