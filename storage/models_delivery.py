"""Tables the senders of every process share: timeouts seen, and the pacing budget."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Column
from sqlmodel import Field, SQLModel

from storage import models as _models  # noqa: F401  (the naming convention comes first)


class SendTimeout(SQLModel, table=True):
    """A send that timed out after it may have reached Telegram: it is sent again, maybe twice."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    outbox_id: int | None = None  # no foreign key: a forced beat deletes its period's messages
    process: str = Field(max_length=100)  # host:pid of the sender that waited
    at: datetime = Field(index=True)


class SendGrant(SQLModel, table=True):
    """Slots of Telegram's 30 a second that one process holds until `until_ms` (epoch ms).

    Every process on the database claims its slots here in small batches, so together they stay
    within the limit; a row whose time has passed holds nothing and is deleted by the next claim.
    """

    id: int | None = Field(default=None, primary_key=True)
    process: str = Field(max_length=100)  # host:pid of the holder, for an operator
    slots: int
    until_ms: int = Field(sa_column=Column(BigInteger, nullable=False, index=True))
