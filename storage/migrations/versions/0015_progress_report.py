"""progress report: the programme's inspection facts and the task force's narratives per period

Revision ID: 0015_progress_report
Revises: 0014_send_timeouts
Create Date: 2026-12-07 14:10:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op


revision: str = '0015_progress_report'
down_revision: str | None = '0014_send_timeouts'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('narrative',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('period', sqlmodel.sql.sqltypes.AutoString(), nullable=False),
    sa.Column('section', sa.Integer(), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_narrative_programme_id_programme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_narrative')),
    sa.UniqueConstraint('programme_id', 'period', 'section', name=op.f('uq_narrative_programme_id_period_section'))
    )
    with op.batch_alter_table('narrative', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_narrative_programme_id'), ['programme_id'], unique=False)

    op.create_table('programmefacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('programme_id', sa.Integer(), nullable=False),
    sa.Column('inspector', sa.Text(), nullable=False),
    sa.Column('organisation', sa.Text(), nullable=False),
    sa.Column('window_start', sa.Date(), nullable=True),
    sa.Column('window_end', sa.Date(), nullable=True),
    sa.Column('feedback_on', sa.Date(), nullable=True),
    sa.Column('contact', sa.Text(), nullable=False),
    sa.Column('updated_at', sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
    sa.ForeignKeyConstraint(['programme_id'], ['programme.id'], name=op.f('fk_programmefacts_programme_id_programme')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_programmefacts')),
    sa.UniqueConstraint('programme_id', name=op.f('uq_programmefacts_programme_id'))
    )


def downgrade() -> None:
    op.drop_table('programmefacts')
    with op.batch_alter_table('narrative', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_narrative_programme_id'))

    op.drop_table('narrative')
