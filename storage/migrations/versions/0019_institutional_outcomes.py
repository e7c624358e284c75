"""institutional outcomes: the rules recorded for measures (建章立制), one number per programme

Revision ID: 0019_institutional_outcomes
Revises: 0020_public_channel
Create Date: 2026-12-10 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0019_institutional_outcomes"
down_revision: str | None = "0020_public_channel"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "institutionaloutcome",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("number", sqlmodel.sql.sqltypes.AutoString(length=60), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("evidence_id", sa.Integer(), nullable=True),
        sa.Column("person_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["evidence_id"],
            ["evidencefile.id"],
            name=op.f("fk_institutionaloutcome_evidence_id_evidencefile"),
        ),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name=op.f("fk_institutionaloutcome_measure_id_measure")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_institutionaloutcome_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_institutionaloutcome_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_institutionaloutcome")),
        sa.UniqueConstraint(
            "programme_id", "number", name=op.f("uq_institutionaloutcome_programme_id_number")
        ),
    )
    op.create_index(
        op.f("ix_institutionaloutcome_measure_id"),
        "institutionaloutcome",
        ["measure_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_institutionaloutcome_programme_id"),
        "institutionaloutcome",
        ["programme_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_institutionaloutcome_programme_id"), table_name="institutionaloutcome")
    op.drop_index(op.f("ix_institutionaloutcome_measure_id"), table_name="institutionaloutcome")
    op.drop_table("institutionaloutcome")
