"""Tables of the reports: the progress report's facts and words, and the monthly checkpoints."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage import models as _models  # noqa: F401  (the naming convention comes first)


class ProgrammeFacts(SQLModel, table=True):
    """Who inspected whom and when, and where the public writes to: the report's preamble."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", unique=True)
    inspector: str = Field(default="", sa_type=Text)  # 派出机关: 市委第一巡视组
    organisation: str = Field(default="", sa_type=Text)  # 被巡视党组织: …党工委
    window_start: date | None = None  # the inspection on site, first and last day
    window_end: date | None = None
    feedback_on: date | None = None  # the day the inspection's findings were handed over
    contact: str = Field(default="", sa_type=Text)  # the public-supervision contact block
    updated_at: datetime


class Narrative(SQLModel, table=True):
    """The task force's own text for one section of one period's progress report."""

    __table_args__ = (UniqueConstraint("programme_id", "period", "section"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    period: str  # YYYY-MM
    section: int  # 1: 一、 the principal responsibility; 4: 四、 next steps
    text: str = Field(sa_type=Text)
    updated_at: datetime


class ReplayCheckpoint(SQLModel, table=True):
    """The measures as a closed month's end left them (storage.checkpoints), kept with a print
    of what they were rebuilt from: a later report reads them while that print still holds."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    at: datetime  # the month's end, the moment the facts are as of
    timezone: str  # the programme's zone they were dated in
    sources: str = Field(sa_type=Text)  # JSON: the trail's last seq and the other tables' prints
    facts: str = Field(sa_type=Text)  # JSON: one list per measure, in the replay's order
    written_at: datetime
