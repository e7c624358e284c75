"""Tables the senders of every process share: timeouts seen, and (later) the pacing budget."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from storage import models as _models  # noqa: F401  (the naming convention comes first)


class SendTimeout(SQLModel, table=True):
    """A send that timed out after it may have reached Telegram: it is sent again, maybe twice."""

    id: int | None = Field(default=None, primary_key=True)
    programme_id: int = Field(foreign_key="programme.id", index=True)
    outbox_id: int | None = None  # no foreign key: a forced beat deletes its period's messages
    process: str = Field(max_length=100)  # host:pid of the sender that waited
    at: datetime = Field(index=True)
