"""Audit events: every change is recorded, never rewritten."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEvent


def _dump(value: Any) -> str:
    if value is None or value == "":
        return ""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, default=str)


def record(
    session: AsyncSession,
    *,
    programme_id: int,
    actor: str,
    action: str,
    entity: str,
    now: datetime,
    entity_id: int | None = None,
    before: Any = None,
    after: Any = None,
) -> AuditEvent:
    """Add one audit event to the session (committed with the change it describes)."""
    event = AuditEvent(
        programme_id=programme_id,
        actor=actor,
        action=action,
        entity=entity,
        entity_id=entity_id,
        before=_dump(before),
        after=_dump(after),
        at=now,
    )
    session.add(event)
    return event
