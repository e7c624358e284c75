"""Tables of closing the loop: leaders' follow-ups (督办) and look-backs (回头看)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage import models as _models  # noqa: F401  (the naming convention comes first)


class FollowUp(SQLModel, table=True):
    """督办: a leader (or coordinator) asks the owner about a red measure, with a reply-by date."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    by_id: int = Field(foreign_key="person.id")  # who pressed 督办
    owner_id: int = Field(foreign_key="person.id")
    created_at: datetime
    reply_by: date  # the next working day
    answered_at: datetime | None = None  # the owner's first answer after it
    update_id: int | None = Field(default=None, foreign_key="progressupdate.id")


class LookBack(SQLModel, table=True):
    """回头看: one closure of a measure checked again, asked once, answered holds or rebound."""

    __table_args__ = (UniqueConstraint("measure_id", "closed_on"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    closed_on: date  # the closure it checks
    due: date  # closing date + look-back days, on a working day
    asked_at: datetime
    verdict: str | None = None  # holds | rebound
    note: str = Field(default="", sa_type=Text)
    answered_by: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime | None = None


class DeadlineReminder(SQLModel, table=True):
    """临期提醒: one deadline of a measure reminded, claimed before it is planned (never twice)."""

    __table_args__ = (UniqueConstraint("measure_id", "deadline"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    deadline: date  # the last day in time it reminded of: an extension moves it, and reminds again
    sent_at: datetime


class SpotCheck(SQLModel, table=True):
    """随机抽查: one drawn measure checked again by a coordinator of another unit."""

    __table_args__ = (UniqueConstraint("programme_id", "period", "measure_id"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    period: str = Field(max_length=20)  # the draw's month, as its beat counts it
    drawn_at: datetime
    checker_id: int | None = Field(default=None, foreign_key="person.id")  # None: nobody apart
    verdict: str | None = None  # true (属实) | untrue (不属实)
    note: str = Field(default="", sa_type=Text)
    answered_by: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime | None = None
