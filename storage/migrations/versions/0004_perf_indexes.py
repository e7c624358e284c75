"""perf: indexes for silence counts, replies to a dispatch message and a measure's updates

Revision ID: 0004_perf
Revises: 0003_signoff
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0004_perf"
down_revision: str | None = "0003_signoff"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEXES = [
    ("ix_dispatchitem_chat_message", "dispatchitem", ["chat_id", "message_id"]),
    (
        "ix_dispatchitem_programme_measure_period",
        "dispatchitem",
        ["programme_id", "measure_id", "period"],
    ),
    ("ix_progressupdate_measure_created", "progressupdate", ["measure_id", "created_at"]),
]


def upgrade() -> None:
    for name, table, columns in INDEXES:
        op.create_index(name, table, columns)


def downgrade() -> None:
    for name, table, _ in reversed(INDEXES):
        op.drop_index(name, table_name=table)
