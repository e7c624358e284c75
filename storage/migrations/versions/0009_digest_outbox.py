"""digest outbox: reviews and monthly reports (with their files) go through the outbox

Revision ID: 0009_digest_outbox
Revises: 0006_delivery
Create Date: 2026-11-27 18:40:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0009_digest_outbox'
down_revision: str | None = '0006_delivery'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.add_column(sa.Column('kind', sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False, server_default='text'))
        batch_op.add_column(sa.Column('filename', sqlmodel.sql.sqltypes.AutoString(), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('payload', sa.LargeBinary(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.drop_column('payload')
        batch_op.drop_column('filename')
        batch_op.drop_column('kind')
