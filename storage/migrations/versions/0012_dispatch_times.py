"""dispatch times: when each dispatch item was delivered and answered, its answer window frozen

Revision ID: 0012_dispatch_times
Revises: 0011_summary
Create Date: 2026-12-07 10:45:00

Old rows are backfilled: delivered_at from the dispatch message's outbox row (else the beat's
claim), answered_at from the measure's first answer after the dispatch went out, and the answer
window from the rhythm in force now (the only one known).
"""

from collections.abc import Sequence
from datetime import date, time

import sqlalchemy as sa
import sqlmodel
from alembic import op

from core.domain.dispatches import answer_window
from core.domain.periods import Rhythm
from core.domain.workcal import CalendarKind

revision: str = "0012_dispatch_times"
down_revision: str | None = "0011_summary"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OLD = ["programme_id", "measure_id", "period", "delivered", "answered"]
NEW = [*OLD, "short"]  # short in the covering index: silence is still read without the rows

_at = sqlmodel.sql.sqltypes.UTCDateTime
item = sa.table(
    "dispatchitem",
    sa.column("id", sa.Integer),
    sa.column("programme_id", sa.Integer),
    sa.column("period", sa.String),
    sa.column("measure_id", sa.Integer),
    sa.column("chat_id", sa.BigInteger),
    sa.column("delivered", sa.Boolean),
    sa.column("answered", sa.Boolean),
    sa.column("delivered_at", _at()),
    sa.column("answered_at", _at()),
    sa.column("answer_by", _at()),
    sa.column("short", sa.Boolean),
)
beat = sa.table(
    "sentbeat",
    sa.column("programme_id", sa.Integer),
    sa.column("beat", sa.String),
    sa.column("period", sa.String),
    sa.column("sent_at", _at()),
)
outbox = sa.table(
    "outboxmessage",
    sa.column("programme_id", sa.Integer),
    sa.column("beat", sa.String),
    sa.column("period", sa.String),
    sa.column("chat_id", sa.BigInteger),
    sa.column("state", sa.String),
    sa.column("sent_at", _at()),
)
update_ = sa.table(
    "progressupdate",
    sa.column("measure_id", sa.Integer),
    sa.column("created_at", _at()),
)
programme = sa.table(
    "programme",
    *(sa.column(c, sa.String) for c in ("timezone", "calendar", "dispatch_time")),
    *(sa.column(c, sa.Integer) for c in ("id", "dispatch_weekday", "nudge_workdays")),
)


def _sent() -> sa.ScalarSelect[object]:
    """The claim time of the item's dispatch beat."""
    return (
        sa.select(beat.c.sent_at)
        .where(
            beat.c.programme_id == item.c.programme_id,
            beat.c.beat == "dispatch",
            beat.c.period == item.c.period,
        )
        .correlate(item)  # to the updated item, however deep it is nested
        .scalar_subquery()
    )


def _backfill_times() -> None:
    message = (
        sa.select(sa.func.min(outbox.c.sent_at))
        .where(
            outbox.c.programme_id == item.c.programme_id,
            outbox.c.beat == "dispatch",
            outbox.c.period == item.c.period,
            outbox.c.chat_id == item.c.chat_id,
            outbox.c.state == "sent",
        )
        .scalar_subquery()
    )
    op.execute(
        item.update()
        .where(item.c.delivered)
        .values(delivered_at=sa.func.coalesce(message, _sent()))
    )
    first_answer = (
        sa.select(sa.func.min(update_.c.created_at))
        .where(update_.c.measure_id == item.c.measure_id, update_.c.created_at >= _sent())
        .scalar_subquery()
    )
    op.execute(item.update().where(item.c.answered).values(answered_at=first_answer))


def _backfill_windows() -> None:
    bind = op.get_bind()
    rhythms = {
        pid: Rhythm(
            tz=tz,
            calendar=CalendarKind(cal),
            dispatch_weekday=weekday,
            dispatch_time=time(*(int(x) for x in hm.split(":"))),
            review_anchor=date(2024, 1, 3),
            nudge_workdays=nudge,
        )
        for pid, tz, cal, weekday, hm, nudge in bind.execute(
            sa.select(
                programme.c.id,
                programme.c.timezone,
                programme.c.calendar,
                programme.c.dispatch_weekday,
                programme.c.dispatch_time,
                programme.c.nudge_workdays,
            )
        )
    }
    sent = bind.execute(
        sa.select(beat.c.programme_id, beat.c.period, beat.c.sent_at).where(
            beat.c.beat == "dispatch"
        )
    ).all()
    for pid, period, at in sent:
        if pid not in rhythms:
            continue
        answer_by, short = answer_window(rhythms[pid], period, at)
        bind.execute(
            item.update()
            .where(item.c.programme_id == pid, item.c.period == period)
            .values(answer_by=answer_by, short=short)
        )


def upgrade() -> None:
    with op.batch_alter_table("dispatchitem", schema=None) as batch_op:
        batch_op.add_column(sa.Column("delivered_at", _at(), nullable=True))
        batch_op.add_column(sa.Column("answered_at", _at(), nullable=True))
        batch_op.add_column(sa.Column("answer_by", _at(), nullable=True))
        batch_op.add_column(
            sa.Column("short", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    _backfill_times()
    _backfill_windows()
    op.drop_index("ix_dispatchitem_silence", table_name="dispatchitem")
    op.create_index("ix_dispatchitem_silence", "dispatchitem", NEW)


def downgrade() -> None:
    op.drop_index("ix_dispatchitem_silence", table_name="dispatchitem")
    op.create_index("ix_dispatchitem_silence", "dispatchitem", OLD)
    with op.batch_alter_table("dispatchitem", schema=None) as batch_op:
        batch_op.drop_column("short")
        batch_op.drop_column("answer_by")
        batch_op.drop_column("answered_at")
        batch_op.drop_column("delivered_at")
