"""Tables of the public's channel (群众监督): each programme's link, and the items people send."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage import models as _models  # noqa: F401  (the naming convention comes first)


class PublicLink(SQLModel, table=True):
    """The key of a programme's public deep link (t.me/<bot>?start=jiandu_<key>)."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", unique=True)
    key: str = Field(unique=True, max_length=16)
    created_at: datetime


class PublicItem(SQLModel, table=True):
    """监督意见: one item a member of the public sent, numbered per programme, and its handling."""

    __table_args__ = (UniqueConstraint("programme_id", "number"),)
    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    number: int
    # the chat the answer goes to; never shown to the task force
    sender_user_id: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
    sender_name: str | None = Field(default=None, max_length=300)  # only when they agreed
    locale: str = Field(default="", max_length=10)  # the sender's language, for the answer
    text: str = Field(sa_type=Text)
    photos: str = Field(default="", sa_type=Text)  # Telegram file ids, one a line
    measure_id: int | None = Field(default=None, foreign_key="measure.id")
    area_id: int | None = Field(default=None, foreign_key="area.id")
    received_at: datetime = Field(index=True)
    accepted_at: datetime | None = None
    accepted_by: int | None = Field(default=None, foreign_key="person.id")
    forwarded_at: datetime | None = None
    forwarded_to: int | None = Field(default=None, foreign_key="person.id")
    answered_at: datetime | None = None
    answered_by: int | None = Field(default=None, foreign_key="person.id")
    answer: str | None = Field(default=None, sa_type=Text)
