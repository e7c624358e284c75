"""Tables of co-units' shares (多级交办): a co-unit's liaison bound to its part, and their answers."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage import models as _models  # noqa: F401  (the naming convention comes first)


class ShareLiaison(SQLModel, table=True):
    """A co-unit's liaison for its share of one measure (or, measure_id None, of every measure
    that names the unit among its co-units)."""

    __table_args__ = (UniqueConstraint("programme_id", "person_id", "unit_id", "measure_id"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    unit_id: int = Field(foreign_key="unit.id")
    measure_id: int | None = Field(default=None, foreign_key="measure.id")
    created_at: datetime


class ShareAnswer(SQLModel, table=True):
    """A co-unit's words on its share of a measure: not the measure's answer, no status change."""

    __table_args__ = (Index("ix_shareanswer_measure_created", "measure_id", "created_at"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    measure_id: int = Field(foreign_key="measure.id")
    unit_id: int = Field(foreign_key="unit.id")
    person_id: int = Field(foreign_key="person.id")
    note: str = Field(default="", sa_type=Text)
    percent: int | None = None
    created_at: datetime
