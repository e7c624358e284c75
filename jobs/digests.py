"""半月一研判 and 每月一汇报: the review and the monthly report, to the programme's chats."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot

from bot.clock import today_in
from bot.i18n import Tr, tr
from bot.render.digest import report_text, review_text
from bot.render.keyboards import letter_keyboard
from jobs import documents
from jobs.send import send
from storage import measures, reports
from storage.models import Programme, SentBeat


async def review(
    bot: Bot, session: AsyncSession, *, programme: Programme, record: SentBeat, now: datetime
) -> int:
    """Send the review digest to the task-force chat, or the leadership group if none."""
    chat = programme.taskforce_chat_id or programme.leadership_chat_id
    if chat is None:
        return 0
    today = today_in(now, programme.timezone)
    content, snap = await reports.review_content(
        session, programme=programme, today=today, period=record.period
    )
    record.snapshot = json.dumps(snap, ensure_ascii=False)
    session.add(record)
    t = tr(programme.locale)
    # a coordinator can issue a work prompt letter for a red item straight from the review
    assert programme.id is not None
    rows = await measures.facts(session, programme_id=programme.id)
    ids = {f.code: m.id for m, f in rows if m.id is not None}
    red = [(ids[o.measure.code], o.measure.code) for o in content.red if o.measure.code in ids]
    await send(bot, chat, review_text(t, content, programme.name), letter_keyboard(t, red))
    return 1


async def monthly_package(
    session: AsyncSession, *, programme: Programme, period: str, t: Tr
) -> tuple[str, list[documents.Document]]:
    """The monthly report's text and its files, from one computation of the report."""
    content = await reports.report_content(session, programme=programme, period=period)
    files = await documents.monthly_files(session, programme=programme, content=content, t=t)
    return report_text(t, content, programme.name), files


async def monthly(
    bot: Bot, session: AsyncSession, *, programme: Programme, period: str, now: datetime
) -> int:
    """Send the monthly report, its chart and files to the leadership group."""
    if programme.leadership_chat_id is None:
        return 0
    text, files = await monthly_package(
        session, programme=programme, period=period, t=tr(programme.locale)
    )
    await send(bot, programme.leadership_chat_id, text)
    await documents.post(bot, programme.leadership_chat_id, files)
    return 1
