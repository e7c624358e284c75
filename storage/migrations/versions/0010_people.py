"""people: roles granted by hand in /people survive re-imports

Revision ID: 0010_people
Revises: 0009_digest_outbox
Create Date: 2026-11-27 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0010_people'
down_revision: str | None = '0009_digest_outbox'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('rolegrant') as batch:
        batch.add_column(
            sa.Column('by_hand', sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table('rolegrant') as batch:
        batch.drop_column('by_hand')
