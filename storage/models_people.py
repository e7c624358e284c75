"""People's invitations and absences, and per Telegram user state (language, PTB's conversations)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, Text
from sqlmodel import Field, SQLModel

from storage import models as _models  # noqa: F401  (the naming convention comes first)


class Invite(SQLModel, table=True):
    """A single-use, expiring deep-link token binding a Telegram user to a person."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    token: str = Field(unique=True, index=True, max_length=64)
    person_id: int = Field(foreign_key="person.id")
    created_at: datetime
    expires_at: datetime
    used_at: datetime | None = None
    revoked_at: datetime | None = None


class Absence(SQLModel, table=True):
    """An owner away from..to, optionally with a delegate."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    start: date
    end: date
    delegate_id: int | None = Field(default=None, foreign_key="person.id")


class UserPref(SQLModel, table=True):
    """Per Telegram user: chosen language and current programme."""

    telegram_user_id: int = Field(sa_column=Column(BigInteger, primary_key=True))
    locale: str | None = None  # chosen with /lang
    tg_locale: str | None = None  # from Telegram's language_code, when we have that language
    programme_id: int | None = Field(default=None, foreign_key="programme.id")


class PtbState(SQLModel, table=True):
    """PTB persistence (conversation states) kept in the database."""

    key: str = Field(primary_key=True, max_length=200)
    value: str = Field(sa_type=Text)
