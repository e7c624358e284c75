"""closing the loop: leaders' follow-ups (督办) and look-backs (回头看)

Revision ID: 0007_closing
Revises: 0006_delivery
Create Date: 2026-11-27 18:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0007_closing'
down_revision: str | None = '0006_delivery'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('followup',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('by_id', sa.Integer(), nullable=False),
    sa.Column('owner_id', sa.Integer(), nullable=False),
    sa.Column('created_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('reply_by', sa.Date(), nullable=False),
    sa.Column('answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.Column('update_id', sa.Integer(), nullable=True),
    sa.ForeignKeyConstraint(['by_id'], ['person.id'], name='fk_followup_by_id_person'),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name='fk_followup_measure_id_measure'),
    sa.ForeignKeyConstraint(['owner_id'], ['person.id'], name='fk_followup_owner_id_person'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name='fk_followup_programme_id_programme'),
    sa.ForeignKeyConstraint(['update_id'], ['progressupdate.id'], name='fk_followup_update_id_progressupdate'),
    sa.PrimaryKeyConstraint('id', name='pk_followup')
    )
    with op.batch_alter_table('followup', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_followup_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_followup_programme_id'), ['programme_id'], unique=False)

    op.create_table('lookback',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('measure_id', sa.Integer(), nullable=False),
    sa.Column('closed_on', sa.Date(), nullable=False),
    sa.Column('due', sa.Date(), nullable=False),
    sa.Column('asked_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.Column('verdict', sqlmodel.sql.sqltypes.AutoString(), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('answered_by', sa.Integer(), nullable=True),
    sa.Column('answered_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
    sa.ForeignKeyConstraint(['answered_by'], ['person.id'], name='fk_lookback_answered_by_person'),
    sa.ForeignKeyConstraint(['measure_id'], ['measure.id'], name='fk_lookback_measure_id_measure'),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name='fk_lookback_programme_id_programme'),
    sa.PrimaryKeyConstraint('id', name='pk_lookback'),
    sa.UniqueConstraint('measure_id', 'closed_on', name='uq_lookback_measure_id_closed_on')
    )
    with op.batch_alter_table('lookback', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_lookback_measure_id'), ['measure_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_lookback_programme_id'), ['programme_id'], unique=False)


def downgrade() -> None:
    op.drop_table('lookback')
    op.drop_table('followup')
