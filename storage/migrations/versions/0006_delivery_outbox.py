"""delivery: the outbox of planned beat messages

Revision ID: 0006_delivery
Revises: 0005_ledgers
Create Date: 2026-11-27 15:20:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0006_delivery'
down_revision: str | None = '0005_ledgers'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('outboxmessage',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('beat', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('key', sqlmodel.sql.sqltypes.AutoString(length=100), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=True),
    sa.Column('chat_id', sa.BigInteger(), nullable=False),
    sa.Column('measure_ids', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('locale', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('markup', sa.Text(), nullable=False),
    sa.Column('state', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('leased_until', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('expires_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('message_id', sa.BigInteger(), nullable=True),
    sa.Column('sent_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('error', sa.Text(), nullable=False),
    sa.Column('reported', sa.Boolean(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['person_id'], ['person.id'], name='fk_outboxmessage_person_id_person'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name='fk_outboxmessage_programme_id_programme'),
    sa.PrimaryKeyConstraint('id', name='pk_outboxmessage'),
    sa.UniqueConstraint('programme_id', 'beat', 'period', 'key', name='uq_outboxmessage_programme_id_beat_period_key')
    )
    with op.batch_alter_table('outboxmessage', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_outboxmessage_person_id'), ['person_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outboxmessage_programme_id'), ['programme_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_outboxmessage_state'), ['state'], unique=False)
        batch_op.create_index('ix_outboxmessage_chat_message', ['chat_id', 'message_id'], unique=False)


def downgrade() -> None:
    op.drop_table('outboxmessage')
