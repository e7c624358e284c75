"""Send timeouts, counted per process in the database so /status of any process sees them all."""

from __future__ import annotations

import os
import socket
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage
from storage.models_delivery import SendTimeout


def this_process() -> str:
    """host:pid, as an operator finds the process (replicas share a database, not a host)."""
    return f"{socket.gethostname()}:{os.getpid()}"[:100]


def note(session: AsyncSession, *, row: OutboxMessage, at: datetime) -> None:
    """Count one timeout of this process on a message."""
    session.add(
        SendTimeout(programme_id=row.programme_id, outbox_id=row.id, process=this_process(), at=at)
    )


async def by_process(
    session: AsyncSession, *, programme_id: int, since: datetime
) -> list[tuple[str, int]]:
    """(process, timeouts) since then, most first."""
    n = func.count(col(SendTimeout.id))
    rows = await session.exec(
        select(SendTimeout.process, n)
        .where(SendTimeout.programme_id == programme_id, col(SendTimeout.at) >= since)
        .group_by(col(SendTimeout.process))
        .order_by(n.desc(), col(SendTimeout.process))
    )
    return [(process, int(count)) for process, count in rows.all()]
