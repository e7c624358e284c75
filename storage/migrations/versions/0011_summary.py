"""summary: covering indexes for silence and latest answers, read without the tables' rows

Revision ID: 0011_summary
Revises: 0010_people
Create Date: 2026-11-27 21:45:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0011_summary"
down_revision: str | None = "0010_people"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ["programme_id", "measure_id", "period"]
# delivered and answered in the index: a measure's last dispatches are read without its rows
NEW = [*OLD, "delivered", "answered"]


# each measure's latest answer before a moment: max(id) per measure from the index alone
LATEST = ["programme_id", "measure_id", "created_at", "id"]


def upgrade() -> None:
    op.create_index("ix_progressupdate_latest", "progressupdate", LATEST)
    op.create_index("ix_dispatchitem_silence", "dispatchitem", NEW)
    # the new index starts with the old one's columns: it serves every query the old one did
    op.drop_index("ix_dispatchitem_programme_measure_period", table_name="dispatchitem")


def downgrade() -> None:
    op.create_index("ix_dispatchitem_programme_measure_period", "dispatchitem", OLD)
    op.drop_index("ix_dispatchitem_silence", table_name="dispatchitem")
    op.drop_index("ix_progressupdate_latest", table_name="progressupdate")
