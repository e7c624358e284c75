"""Table of 建章立制: the rules and documents recorded as a measure's institutional outcomes."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage import models as _models  # noqa: F401  (the naming convention comes first)


class InstitutionalOutcome(SQLModel, table=True):
    """A rule (《…办法》) made for a measure: its number is unique in the programme."""

    __table_args__ = (UniqueConstraint("programme_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    measure_id: int = Field(foreign_key="measure.id", index=True)
    title: str = Field(sa_type=Text)
    number: str = Field(max_length=60)
    issued_on: date
    evidence_id: int | None = Field(default=None, foreign_key="evidencefile.id")
    person_id: int | None = Field(default=None, foreign_key="person.id")
    recorded_at: datetime
