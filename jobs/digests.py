"""半月一研判 and 每月一汇报 on the timer: the beat's digest (usecases.review, usecases.report),
planned in the outbox."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from core.domain.model import Beat
from storage.models import Programme, SentBeat
from storage.outbox_plan import plan
from usecases.digest import Digest
from usecases.report import monthly
from usecases.review import review


async def compute(
    session: AsyncSession,
    *,
    programme: Programme,
    beat: Beat,
    period: str,
    now: datetime,
    board: str | None = None,
) -> Digest | None:
    """The review or the monthly report of a period (None when its chat is not set up); `board`:
    the leaders' board's link for a group, put under the digest's text."""
    if beat is Beat.REVIEW:
        return await review(session, programme=programme, period=period, now=now, board=board)
    return await monthly(session, programme=programme, period=period, now=now, board=board)


def queue(
    session: AsyncSession,
    *,
    programme: Programme,
    record: SentBeat,
    digest: Digest,
    now: datetime,
    expires: datetime,
) -> None:
    """Write the digest's messages to the outbox with the period's claim, in sending order."""
    assert programme.id is not None
    if digest.snapshot is not None:
        record.snapshot = json.dumps(digest.snapshot, ensure_ascii=False)
        session.add(record)
    for n, part in enumerate(digest.parts, start=1):
        plan(
            session,
            programme_id=programme.id,
            beat=record.beat,
            period=record.period,
            key=f"part{n}",
            chat_id=digest.chat_id,
            text=part.text,
            markup=part.markup,
            file=part.file,
            now=now,
            expires=expires,
            locale=programme.locale,
        )
