"""半月一研判 and 每月一汇报: the review and the monthly report, planned in the outbox."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import InlineKeyboardMarkup

from bot.clock import today_in
from bot.domain.model import Beat
from bot.i18n import Tr, tr
from bot.render.digest import report_text, review_text
from bot.render.keyboards import letter_keyboard
from jobs import documents
from jobs.outbox import plan
from storage import measures, reports
from storage.models import Programme, SentBeat


@dataclass(frozen=True)
class Part:
    """One message of a digest: text (with buttons), or a file with its caption."""

    text: str
    markup: InlineKeyboardMarkup | None = None
    file: tuple[str, str, bytes] | None = None  # (photo | document, filename, bytes)


@dataclass
class Digest:
    """What a review or report beat sends to its chat, computed before the period is claimed."""

    chat_id: int
    parts: list[Part]
    snapshot: dict[str, Any] | None = field(default=None)  # what the next review compares with


async def review(
    session: AsyncSession, *, programme: Programme, period: str, now: datetime
) -> Digest | None:
    """The review digest for the task-force chat, or the leadership group if none."""
    chat = programme.taskforce_chat_id or programme.leadership_chat_id
    if chat is None:
        return None
    today = today_in(now, programme.timezone)
    content, snap = await reports.review_content(
        session, programme=programme, today=today, period=period
    )
    t = tr(programme.locale)
    # a coordinator can issue a work prompt letter for a red item straight from the review
    assert programme.id is not None
    rows = await measures.facts(session, programme_id=programme.id)
    ids = {f.code: m.id for m, f in rows if m.id is not None}
    red = [(ids[o.measure.code], o.measure.code) for o in content.red if o.measure.code in ids]
    text = review_text(t, content, programme.name)
    return Digest(chat, [Part(text, letter_keyboard(t, red))], snap)


async def monthly_package(
    session: AsyncSession, *, programme: Programme, period: str, t: Tr
) -> tuple[str, list[documents.Document]]:
    """The monthly report's text and its files, from one computation of the report."""
    content = await reports.report_content(session, programme=programme, period=period)
    files = await documents.monthly_files(session, programme=programme, content=content, t=t)
    return report_text(t, content, programme.name), files


async def monthly(session: AsyncSession, *, programme: Programme, period: str) -> Digest | None:
    """The monthly report, its chart and files for the leadership group."""
    if programme.leadership_chat_id is None:
        return None
    text, files = await monthly_package(
        session, programme=programme, period=period, t=tr(programme.locale)
    )
    parts = [Part(text)] + [
        Part(caption, file=(kind, f.filename, f.data))
        for kind, f, caption in documents.sendable(files)
    ]
    return Digest(programme.leadership_chat_id, parts)


async def compute(
    session: AsyncSession, *, programme: Programme, beat: Beat, period: str, now: datetime
) -> Digest | None:
    """The review or the monthly report of a period (None when its chat is not set up)."""
    if beat is Beat.REVIEW:
        return await review(session, programme=programme, period=period, now=now)
    return await monthly(session, programme=programme, period=period)


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
