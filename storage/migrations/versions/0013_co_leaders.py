"""co_leaders: every responsible leader a ledger names is kept, not only the first

Revision ID: 0013_co_leaders
Revises: 0011_summary
Create Date: 2026-12-07 11:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0013_co_leaders"
down_revision: str | None = "0012_dispatch_times"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("measure") as batch:
        batch.add_column(sa.Column("co_leaders", sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("measure") as batch:
        batch.drop_column("co_leaders")
