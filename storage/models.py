"""SQLModel tables; every row belongs to a programme (except user preferences)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

# Every constraint and index gets a predictable name, the same on SQLite and PostgreSQL, so a
# migration can drop or alter it by name (tests/test_migrations.py holds models and DB together).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
SQLModel.metadata.naming_convention = NAMING_CONVENTION


def _big(**kw: object) -> object:
    """A BIGINT column: Telegram ids do not fit in 32 bits."""
    return Field(sa_type=BigInteger, **kw)  # type: ignore[call-overload]


class Programme(SQLModel, table=True):
    """One team running one rectification programme."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, index=True, max_length=200)
    timezone: str = "Asia/Shanghai"
    locale: str = "zh_CN"
    calendar: str = "cn"
    leadership_chat_id: int | None = _big(default=None, index=True)  # type: ignore[assignment]
    taskforce_chat_id: int | None = _big(default=None, index=True)  # type: ignore[assignment]
    dispatch_weekday: int = 0
    dispatch_time: str = "09:00"
    review_weekday: int = 2
    review_time: str = "16:00"
    review_anchor: date = date(2024, 1, 3)
    report_time: str = "10:00"
    nudge_workdays: int = 2
    lookback_days: int = 90
    remind_workdays: int = 3  # 临期提醒: working days before a deadline
    spotcheck_day: int = 10  # 随机抽查: the Nth working day of each month
    spotcheck_time: str = "10:00"
    created_at: datetime


class Area(SQLModel, table=True):
    """方面: the top level of the ledger."""

    __table_args__ = (UniqueConstraint("programme_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    number: int
    name: str = Field(sa_type=Text)


class Problem(SQLModel, table=True):
    """问题: a problem within an area."""

    __table_args__ = (UniqueConstraint("programme_id", "area_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    area_id: int = Field(foreign_key="area.id")
    name: str = Field(sa_type=Text)
    number: int = 0  # order of first appearance in the programme's ledger


class Unit(SQLModel, table=True):
    """A unit (牵头单位 / 责任单位)."""

    __table_args__ = (UniqueConstraint("programme_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    name: str = Field(max_length=300)


class Person(SQLModel, table=True):
    """A ledger identity, bound to a Telegram user once they accept an invite."""

    __table_args__ = (UniqueConstraint("programme_id", "name"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    name: str = Field(max_length=300)
    unit_id: int | None = Field(default=None, foreign_key="unit.id")
    telegram_user_id: int | None = _big(default=None, index=True)  # type: ignore[assignment]
    telegram_name: str | None = None
    unreachable_since: datetime | None = None
    contact: str | None = Field(default=None, max_length=100)  # phone, from the ledger


class RoleGrant(SQLModel, table=True):
    """A person's role in the programme (coordinator, leader, owner)."""

    __table_args__ = (UniqueConstraint("programme_id", "person_id", "role"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str
    by_hand: bool = False  # granted in /people: re-imports of the ledger leave it alone


class Measure(SQLModel, table=True):
    """整改措施: one line of the ledger."""

    __table_args__ = (UniqueConstraint("programme_id", "code"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    code: str = Field(max_length=50)
    text: str = Field(sa_type=Text)
    area_id: int = Field(foreign_key="area.id")
    problem_id: int = Field(foreign_key="problem.id")
    leader_id: int | None = Field(default=None, foreign_key="person.id")
    lead_unit_id: int = Field(foreign_key="unit.id")
    co_units: str = ""  # joined with "、"; display only, lead unit carries the scoring
    owner_id: int = Field(foreign_key="person.id", index=True)
    # further responsible leaders, joined with "、": they hold the leader role and read the
    # digests; escalations go to leader_id, the first one named
    co_leaders: str = ""
    deadline: date | None = None
    original_deadline: date | None = None  # set by the first approved extension (申请延期)
    status: str = "not_started"
    immediate: bool = False  # 立行立改: deadline is the day it was first imported
    health: str | None = None
    closed_on: date | None = None
    # when the owner's percentages reach 100% at their pace (core.domain.forecast), kept with
    # each answer so that a picture of 10,000 measures reads a column, not their histories
    forecast: date | None = None
    removed_at: datetime | None = None  # dropped by a re-import; kept for history
    updated_at: datetime


class CoOwner(SQLModel, table=True):
    """A further owner named in a measure's owner cell: sees it in /my and may answer it."""

    __table_args__ = (UniqueConstraint("measure_id", "person_id"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)


class ProgressUpdate(SQLModel, table=True):
    """An owner's answer about one measure, or a progress note imported with the ledger."""

    # a measure's latest answer and its history by time, without scanning the programme's
    __table_args__ = (
        Index("ix_progressupdate_measure_created", "measure_id", "created_at"),
        # covering: each measure's latest answer before a moment, without reading the rows
        Index("ix_progressupdate_latest", "programme_id", "measure_id", "created_at", "id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    person_id: int | None = Field(default=None, foreign_key="person.id")  # None: the CLI
    period: str | None = Field(default=None, index=True)  # dispatch period answered, if any
    health: str | None = None  # None: imported, nobody reported a health
    note: str = Field(default="", sa_type=Text)
    percent: int | None = None
    blockers: str = Field(default="", sa_type=Text)
    created_at: datetime


class EvidenceFile(SQLModel, table=True):
    """A file an owner attached (Telegram keeps the bytes; we keep the reference)."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    update_id: int | None = Field(default=None, foreign_key="progressupdate.id")
    signoff_id: int | None = Field(default=None, foreign_key="signoffrequest.id")
    file_id: str
    file_unique_id: str = Field(index=True)
    name: str
    kind: str  # document | photo
    mime_type: str | None = None
    size: int | None = None
    # SHA-256 of the bytes, once fetched (at upload up to 20 MB, or by the binder): a file used
    # again for another measure is found by it or by file_unique_id
    sha256: str | None = Field(default=None, max_length=64, index=True)
    created_at: datetime


class SignoffRequest(SQLModel, table=True):
    """销号 or 延期 request: owner asks, the first coordinator to decide decides."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    kind: str = "signoff"  # signoff | extension
    requested_by: int = Field(foreign_key="person.id")
    report: str = Field(default="", sa_type=Text)
    new_deadline: date | None = None  # extension: the deadline asked for
    state: str = "pending"  # pending | approved | rejected
    reason: str = Field(default="", sa_type=Text)
    decided_by: int | None = Field(default=None, foreign_key="person.id")
    created_at: datetime
    decided_at: datetime | None = None


class DecisionCopy(SQLModel, table=True):
    """One coordinator's copy of a request, edited when anyone decides."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    request_id: int = Field(foreign_key="signoffrequest.id", index=True)
    person_id: int = Field(foreign_key="person.id")
    chat_id: int = _big()  # type: ignore[assignment]
    message_id: int = _big()  # type: ignore[assignment]
    locale: str = "zh_CN"


class SentBeat(SQLModel, table=True):
    """A beat sent for a period: the guarantee of once per period."""

    __table_args__ = (UniqueConstraint("programme_id", "beat", "period"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    beat: str
    period: str
    sent_at: datetime
    manual: bool = False
    snapshot: str = Field(default="", sa_type=Text)  # JSON: lights/statuses at send time


class DispatchItem(SQLModel, table=True):
    """One measure listed to one recipient in one dispatch."""

    # a private reply finds its dispatch message; silence counts walk a measure's periods
    __table_args__ = (
        UniqueConstraint("programme_id", "period", "measure_id"),
        Index("ix_dispatchitem_chat_message", "chat_id", "message_id"),
        # covering: the last dispatches of a measure, answered or not, without reading its rows
        Index(
            "ix_dispatchitem_silence",
            "programme_id",
            "measure_id",
            "period",
            "delivered",
            "answered",
            "short",
        ),
    )
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    period: str = Field(index=True)
    measure_id: int = Field(foreign_key="measure.id")
    owner_id: int = Field(foreign_key="person.id")
    recipient_id: int | None = Field(default=None, foreign_key="person.id")
    chat_id: int | None = _big(default=None)  # type: ignore[assignment]
    message_id: int | None = _big(default=None)  # type: ignore[assignment]
    delivered: bool = False
    answered: bool = False
    nudged: bool = False
    escalated: bool = False
    # frozen when sent and answered, so later schedules and answers never rejudge the past
    delivered_at: datetime | None = None  # when Telegram accepted the dispatch message
    answered_at: datetime | None = None  # when the answer credited to it was recorded
    answer_by: datetime | None = None  # the end of its period by the rhythm when it was sent
    short: bool = False  # sent with too little time to answer (not silence unless answered)


class OutboxMessage(SQLModel, table=True):
    """One planned message of a beat: written with the claim, then sent and recorded."""

    __table_args__ = (
        UniqueConstraint("programme_id", "beat", "period", "key"),
        Index("ix_outboxmessage_chat_message", "chat_id", "message_id"),  # replies to it
    )
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    beat: str  # dispatch | nudge | escalation | review | report
    period: str
    key: str = Field(max_length=100)  # the recipient (and measure for escalations) within the beat
    person_id: int | None = Field(default=None, foreign_key="person.id", index=True)
    chat_id: int = _big()  # type: ignore[assignment]
    measure_ids: str = ""  # comma-separated: what a reply to this message is about
    locale: str = "zh_CN"
    text: str = Field(sa_type=Text)  # the message, or a file's caption
    markup: str = Field(default="", sa_type=Text)  # InlineKeyboardMarkup as JSON
    # digests carry files: the chart as a photo, the report and ledger as documents
    kind: str = Field(default="text", max_length=10)  # text | photo | document
    filename: str = ""
    payload: bytes | None = Field(default=None, sa_type=LargeBinary)  # dropped once sent
    state: str = Field(default="queued", index=True)  # queued | held | sent | failed
    attempts: int = 0
    leased_until: datetime | None = None  # wall-clock end of a sender's current attempt
    expires_at: datetime  # the end of the period: a message not sent by then is given up
    message_id: int | None = _big(default=None)  # type: ignore[assignment]
    sent_at: datetime | None = None
    error: str = Field(default="", sa_type=Text)
    reported: bool = False  # coordinators were told it was given up
    created_at: datetime


class AuditEvent(SQLModel, table=True):
    """Who changed what, when, from what to what. Never updated or deleted (triggers refuse it)."""

    __table_args__ = (
        UniqueConstraint("programme_id", "seq"),
        # a past month's report reads the events of one action (sign-offs, outcomes, the first
        # import) in seq order: without it, a scan of the whole trail each
        Index("ix_auditevent_action", "programme_id", "action", "seq"),
    )
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    seq: int = 0  # 1, 2, … within the programme: the chain's order
    prev_hash: str = Field(default="", max_length=64)
    hash: str = Field(default="", max_length=64)
    actor: str
    action: str
    entity: str
    entity_id: int | None = None
    before: str = Field(default="", sa_type=Text)
    after: str = Field(default="", sa_type=Text)
    at: datetime


import storage.models_closing  # noqa: E402  (registers the closing-the-loop tables)
import storage.models_delivery  # noqa: E402  (registers the senders' shared tables)
import storage.models_outcomes  # noqa: E402  (registers the institutional outcomes' table)
import storage.models_people  # noqa: E402  (registers invites, absences and per-user state)
import storage.models_public  # noqa: E402  (registers the public channel's tables)
import storage.models_report  # noqa: E402  (registers the progress report tables)
import storage.models_shares  # noqa: E402  (registers the co-units' share tables)
import storage.models_state  # noqa: E402, F401  (registers the measures' kept state)
