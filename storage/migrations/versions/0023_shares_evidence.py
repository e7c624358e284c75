"""shares_evidence: co-units' shares (liaisons and their answers) and evidence hashes

Revision ID: 0023_shares_evidence
Revises: 0019_institutional_outcomes
Create Date: 2026-12-20 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0023_shares_evidence"
down_revision: str | None = "0019_institutional_outcomes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("evidencefile") as batch:
        batch.add_column(
            sa.Column("sha256", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=True)
        )
    op.create_index(op.f("ix_evidencefile_sha256"), "evidencefile", ["sha256"], unique=False)
    op.create_index(
        op.f("ix_evidencefile_file_unique_id"), "evidencefile", ["file_unique_id"], unique=False
    )
    op.create_table(
        "shareliaison",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name=op.f("fk_shareliaison_measure_id_measure")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_shareliaison_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_shareliaison_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_shareliaison_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shareliaison")),
        sa.UniqueConstraint(
            "programme_id",
            "person_id",
            "unit_id",
            "measure_id",
            name=op.f("uq_shareliaison_programme_id_person_id_unit_id_measure_id"),
        ),
    )
    op.create_index(op.f("ix_shareliaison_person_id"), "shareliaison", ["person_id"], unique=False)
    op.create_index(
        op.f("ix_shareliaison_programme_id"), "shareliaison", ["programme_id"], unique=False
    )
    op.create_table(
        "shareanswer",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("percent", sa.Integer(), nullable=True),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name=op.f("fk_shareanswer_measure_id_measure")
        ),
        sa.ForeignKeyConstraint(
            ["person_id"], ["person.id"], name=op.f("fk_shareanswer_person_id_person")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name=op.f("fk_shareanswer_programme_id_programme")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["unit.id"], name=op.f("fk_shareanswer_unit_id_unit")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_shareanswer")),
    )
    op.create_index(
        "ix_shareanswer_measure_created", "shareanswer", ["measure_id", "created_at"], unique=False
    )
    op.create_index(
        op.f("ix_shareanswer_programme_id"), "shareanswer", ["programme_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_shareanswer_programme_id"), table_name="shareanswer")
    op.drop_index("ix_shareanswer_measure_created", table_name="shareanswer")
    op.drop_table("shareanswer")
    op.drop_index(op.f("ix_shareliaison_programme_id"), table_name="shareliaison")
    op.drop_index(op.f("ix_shareliaison_person_id"), table_name="shareliaison")
    op.drop_table("shareliaison")
    op.drop_index(op.f("ix_evidencefile_file_unique_id"), table_name="evidencefile")
    op.drop_index(op.f("ix_evidencefile_sha256"), table_name="evidencefile")
    with op.batch_alter_table("evidencefile") as batch:
        batch.drop_column("sha256")
