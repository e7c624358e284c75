"""reminders_forecast: 临期提醒 (working days before, what was reminded) and the forecast day

Revision ID: 0022_reminders_forecast
Revises: 0016_send_grants
Create Date: 2026-12-07 19:30:00
"""

from collections.abc import Sequence
from datetime import date
from zoneinfo import ZoneInfo

import sqlalchemy as sa
import sqlmodel
from alembic import op

from core.domain.forecast import project
from core.domain.workcal import CalendarKind

revision: str = "0022_reminders_forecast"
down_revision: str | None = "0016_send_grants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


_programme = sa.table(
    "programme", sa.column("id", sa.Integer), sa.column("timezone", sa.String),
    sa.column("calendar", sa.String),
)  # fmt: skip
_update = sa.table(
    "progressupdate", sa.column("id", sa.Integer), sa.column("programme_id", sa.Integer),
    sa.column("measure_id", sa.Integer), sa.column("percent", sa.Integer),
    sa.column("created_at", sqlmodel.sql.sqltypes.UTCDateTime()),
)  # fmt: skip
_measure = sa.table("measure", sa.column("id", sa.Integer), sa.column("forecast", sa.Date))


def _backfill_forecasts() -> None:
    """Each measure's projection from the answers it already has, as each new answer keeps it."""
    bind = op.get_bind()
    where = {pid: (ZoneInfo(tz), CalendarKind(cal)) for pid, tz, cal in bind.execute(
        sa.select(_programme.c.id, _programme.c.timezone, _programme.c.calendar)
    )}  # fmt: skip
    points: dict[int, list[tuple[date, int]]] = {}
    kinds: dict[int, CalendarKind] = {}
    rows = bind.execute(
        sa.select(_update.c.programme_id, _update.c.measure_id, _update.c.created_at,
                  _update.c.percent)
        .where(_update.c.percent.is_not(None))
        .order_by(_update.c.id)
    )  # fmt: skip
    for pid, mid, at, percent in rows:
        zone, kinds[mid] = where[pid]
        points.setdefault(mid, []).append((at.astimezone(zone).date(), percent))
    for mid, mine in points.items():
        finish = project(mine, kinds[mid])
        if finish is not None:
            bind.execute(_measure.update().where(_measure.c.id == mid).values(forecast=finish))


def upgrade() -> None:
    with op.batch_alter_table("programme") as batch:
        batch.add_column(
            sa.Column("remind_workdays", sa.Integer(), nullable=False, server_default="3")
        )
    with op.batch_alter_table("measure") as batch:
        batch.add_column(sa.Column("forecast", sa.Date(), nullable=True))
    _backfill_forecasts()
    op.create_table(
        "deadlinereminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("programme_id", sa.Integer(), nullable=False),
        sa.Column("measure_id", sa.Integer(), nullable=False),
        sa.Column("deadline", sa.Date(), nullable=False),
        sa.Column("sent_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["measure_id"], ["measure.id"], name=op.f("fk_deadlinereminder_measure_id_measure")
        ),
        sa.ForeignKeyConstraint(
            ["programme_id"],
            ["programme.id"],
            name=op.f("fk_deadlinereminder_programme_id_programme"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadlinereminder")),
        sa.UniqueConstraint(
            "measure_id", "deadline", name=op.f("uq_deadlinereminder_measure_id_deadline")
        ),
    )
    op.create_index(
        op.f("ix_deadlinereminder_measure_id"), "deadlinereminder", ["measure_id"], unique=False
    )
    op.create_index(
        op.f("ix_deadlinereminder_programme_id"),
        "deadlinereminder",
        ["programme_id"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_deadlinereminder_programme_id"), table_name="deadlinereminder")
    op.drop_index(op.f("ix_deadlinereminder_measure_id"), table_name="deadlinereminder")
    op.drop_table("deadlinereminder")
    with op.batch_alter_table("measure") as batch:
        batch.drop_column("forecast")
    with op.batch_alter_table("programme") as batch:
        batch.drop_column("remind_workdays")
