"""signoff: decisions, coordinators' copies, extensions, and the audit hash chain

Revision ID: 0002_signoff
Revises: 0002_tests_names
"""

from collections.abc import Sequence

import sqlalchemy as sa
import sqlmodel
from alembic import op

from core.domain.chain import GENESIS, seal

revision: str = "0003_signoff"
down_revision: str | None = "0002_tests_names"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# the database itself refuses to change or remove an audit event, whatever code asks
SQLITE_GUARDS = [
    """CREATE TRIGGER auditevent_no_update BEFORE UPDATE ON auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
    """CREATE TRIGGER auditevent_no_delete BEFORE DELETE ON auditevent
    BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END""",
]
PG_GUARDS = [
    """CREATE OR REPLACE FUNCTION auditevent_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit events are append-only'; END; $$ LANGUAGE plpgsql""",
    """CREATE TRIGGER auditevent_no_change BEFORE UPDATE OR DELETE ON auditevent
    FOR EACH ROW EXECUTE FUNCTION auditevent_append_only()""",
]


def _seal_existing() -> None:
    """Number and seal events written before the chain existed, per programme in id order."""
    conn = op.get_bind()
    events = sa.table(
        "auditevent",
        *(sa.column(c) for c in ("id", "programme_id", "actor", "action", "entity")),
        *(sa.column(c) for c in ("entity_id", "before", "after")),
        sa.column("at", sqlmodel.sql.sqltypes.UTCDateTime()),
    )
    rows = conn.execute(sa.select(events).order_by(events.c.programme_id, events.c.id)).all()
    last: dict[int, tuple[int, str]] = {}
    for row in rows:
        seq, prev = last.get(row.programme_id, (0, GENESIS))
        digest = seal(
            programme_id=row.programme_id,
            seq=seq + 1,
            actor=row.actor,
            action=row.action,
            entity=row.entity,
            entity_id=row.entity_id,
            before=row.before,
            after=row.after,
            at=row.at,
            prev_hash=prev,
        )
        conn.execute(
            sa.text("UPDATE auditevent SET seq=:s, prev_hash=:p, hash=:h WHERE id=:i"),
            {"s": seq + 1, "p": prev, "h": digest, "i": row.id},
        )
        last[row.programme_id] = (seq + 1, digest)


def upgrade() -> None:
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=False, server_default="0"))
        batch_op.add_column(
            sa.Column(
                "prev_hash",
                sqlmodel.sql.sqltypes.AutoString(length=64),
                nullable=False,
                server_default="",
            )
        )
        batch_op.add_column(
            sa.Column(
                "hash", sqlmodel.sql.sqltypes.AutoString(length=64), nullable=False, server_default=""
            )
        )
    _seal_existing()
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.create_unique_constraint("uq_auditevent_programme_id_seq", ["programme_id", "seq"])
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.add_column(sa.Column("original_deadline", sa.Date(), nullable=True))
    with op.batch_alter_table("signoffrequest", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column(
                "kind",
                sqlmodel.sql.sqltypes.AutoString(),
                nullable=False,
                server_default="signoff",
            )
        )
        batch_op.add_column(sa.Column("new_deadline", sa.Date(), nullable=True))
    op.create_table(
        "decisioncopy",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("person_id", sa.Integer(), nullable=False),
        sa.Column("chat_id", sa.BigInteger(), nullable=False),
        sa.Column("message_id", sa.BigInteger(), nullable=False),
        sa.Column("locale", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.ForeignKeyConstraint(["person_id"], ["person.id"]),
        sa.ForeignKeyConstraint(["programme_id"], ["programme.id"]),
        sa.ForeignKeyConstraint(["request_id"], ["signoffrequest.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    with op.batch_alter_table("decisioncopy", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_decisioncopy_programme_id"), ["programme_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_decisioncopy_request_id"), ["request_id"], unique=False
        )
    guards = SQLITE_GUARDS if op.get_bind().dialect.name == "sqlite" else PG_GUARDS
    for statement in guards:
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute("DROP TRIGGER IF EXISTS auditevent_no_update")
        op.execute("DROP TRIGGER IF EXISTS auditevent_no_delete")
    else:
        op.execute("DROP TRIGGER IF EXISTS auditevent_no_change ON auditevent")
        op.execute("DROP FUNCTION IF EXISTS auditevent_append_only()")
    op.drop_table("decisioncopy")
    with op.batch_alter_table("signoffrequest", schema=None) as batch_op:
        batch_op.drop_column("new_deadline")
        batch_op.drop_column("kind")
    with op.batch_alter_table("measure", schema=None) as batch_op:
        batch_op.drop_column("original_deadline")
    with op.batch_alter_table("auditevent", schema=None) as batch_op:
        batch_op.drop_constraint("uq_auditevent_programme_id_seq", type_="unique")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
