"""public channel (群众监督): each programme's public link key, and the items the public sends

Revision ID: 0020_public_channel
Revises: 0016_send_grants
Create Date: 2026-12-10 10:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

revision: str = "0020_public_channel"
down_revision: str | None = "0016_send_grants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "publiclink",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("key", sqlmodel.sql.sqltypes.AutoString(length=16), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_publiclink_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publiclink")),
        sa.UniqueConstraint("key", name=op.f("uq_publiclink_key")),
        sa.UniqueConstraint("programme_id", name=op.f("uq_publiclink_programme_id")),
    )
    op.create_table(
        "publicitem",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("sender_user_id", sa.BigInteger(), nullable=False),
        sa.Column("sender_name", sqlmodel.sql.sqltypes.AutoString(length=300), nullable=True),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(length=10), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("photos", sa.Text(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=True),
        sa.Column("area_id", sa.Integer(), nullable=True),
        sa.Column("received_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.Column("accepted_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("accepted_by", sa.Integer(), nullable=True),
        sa.Column("forwarded_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("forwarded_to", sa.Integer(), nullable=True),
        sa.Column("answered_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True),
        sa.Column("answered_by", sa.Integer(), nullable=True),
        sa.Column("answer", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(["accepted_by"], ["person.id"], name=op.f("fk_publicitem_accepted_by_person")),
        sa.ForeignKeyConstraint(["answered_by"], ["person.id"], name=op.f("fk_publicitem_answered_by_person")),
        sa.ForeignKeyConstraint(["area_id"], ["area.id"], name=op.f("fk_publicitem_area_id_area")),
        sa.ForeignKeyConstraint(["forwarded_to"], ["person.id"], name=op.f("fk_publicitem_forwarded_to_person")),
        sa.ForeignKeyConstraint(["measure_id"], ["measure.id"], name=op.f("fk_publicitem_measure_id_measure")),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"], name=op.f("fk_publicitem_programme_id_programme")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_publicitem")),
        sa.UniqueConstraint("programme_id", "number", name=op.f("uq_publicitem_programme_id_number")),
    )
    op.create_index(op.f("ix_publicitem_programme_id"), "publicitem", ["programme_id"], unique=False)
    op.create_index(op.f("ix_publicitem_received_at"), "publicitem", ["received_at"], unique=False)
    op.create_index(op.f("ix_publicitem_sender_user_id"), "publicitem", ["sender_user_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_publicitem_sender_user_id"), table_name="publicitem")
    op.drop_index(op.f("ix_publicitem_received_at"), table_name="publicitem")
    op.drop_index(op.f("ix_publicitem_programme_id"), table_name="publicitem")
    op.drop_table("publicitem")
    op.drop_table("publiclink")
