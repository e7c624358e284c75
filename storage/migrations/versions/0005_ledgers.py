"""ledgers as offices keep them: problem order, contacts, co-owners, immediate deadlines

Revision ID: 0005_ledgers
Revises: 0004_perf
Create Date: 2026-11-27 15:30:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0005_ledgers"
down_revision: str | None = "0004_perf"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# storage.models.NAMING_CONVENTION as it was when this was written
CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def upgrade() -> None:
    with op.batch_alter_table("problem") as batch:
        batch.add_column(sa.Column("number", sa.Integer(), nullable=False, server_default="0"))
    # existing problems keep the order they were first imported in (their ids)
    op.execute(
        "UPDATE problem SET number = (SELECT COUNT(*) FROM problem AS p2"
        " WHERE p2.programme_id = problem.programme_id AND p2.id <= problem.id)"
    )
    with op.batch_alter_table("person") as batch:
        batch.add_column(
            sa.Column("contact", sqlmodel.sql.sqltypes.AutoString(length=100), nullable=True)
        )
    with op.batch_alter_table("measure") as batch:
        batch.add_column(
            sa.Column("immediate", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    with op.batch_alter_table("progressupdate", naming_convention=CONVENTION) as batch:
        batch.alter_column("person_id", existing_type=sa.Integer(), nullable=True)
        batch.alter_column(
            "health", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=True
        )
    op.create_table(
        "coowner",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name="fk_coowner_measure_id_measure"
        ),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"], name="fk_coowner_person_id_person"),
        sa.ForeignKeyConstraint(
            ["programme_id"], ["programme.id"], name="fk_coowner_programme_id_programme"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_coowner"),
        sa.UniqueConstraint("measure_id", "person_id", name="uq_coowner_measure_id_person_id"),
    )
    for column in ("measure_id", "person_id", "programme_id"):
        op.create_index(f"ix_coowner_{column}", "coowner", [column], unique=False)


def downgrade() -> None:
    for column in ("measure_id", "person_id", "programme_id"):
        op.drop_index(f"ix_coowner_{column}", table_name="coowner")
    op.drop_table("coowner")
    with op.batch_alter_table("progressupdate", naming_convention=CONVENTION) as batch:
        batch.alter_column("health", existing_type=sqlmodel.sql.sqltypes.AutoString(), nullable=False)
        batch.alter_column("person_id", existing_type=sa.Integer(), nullable=False)
    with op.batch_alter_table("measure") as batch:
        batch.drop_column("immediate")
    with op.batch_alter_table("person") as batch:
        batch.drop_column("contact")
    with op.batch_alter_table("problem") as batch:
        batch.drop_column("number")
