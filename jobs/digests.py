"""半月一研判 and 每月一汇报: the review and the monthly report, planned in the outbox."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from core.clock import today_in
from core.domain.closing import answer_by, tally
from core.domain.model import Beat
from core.domain.public import overdue
from core.domain.report import MonthlyReport, month_end
from core.domain.spotcheck import tally as spot_tally
from core.domain.workcal import CalendarKind
from core.i18n import Tr, tr
from core.render import closing
from core.render import public as public_words
from core.render.anchor import anchor_line
from core.render.board_buttons import open_board
from core.render.digest import report_text, review_text
from core.render.keyboards import letter_keyboard
from core.render.shares import never_reported_lines
from core.render.spotcheck import tally_lines
from jobs.dispatch_shares import silent_co_units
from storage import audit, beats, followups, lookbacks, lookup, public, reports, spotchecks
from storage.models import Programme, SentBeat
from storage.outbox_plan import plan
from usecases import documents


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


async def measure_ids(
    session: AsyncSession, programme_id: int, codes: Sequence[str]
) -> list[tuple[int, str]]:
    """(measure id, code) of the given codes, in their order: what the buttons carry."""
    ids = await lookup.ids_of_codes(session, programme_id=programme_id, codes=codes)
    return [(ids[code], code) for code in codes if code in ids]


def red_buttons(
    t: Tr, red: Sequence[tuple[int, str]], *, letters: bool
) -> InlineKeyboardMarkup | None:
    """督办 buttons under red items (and, for coordinators, work prompt letters)."""
    letter_rows = letter_keyboard(t, red) if letters else None
    rows: list[Sequence[InlineKeyboardButton]] = (
        list(letter_rows.inline_keyboard) if letter_rows else []
    )
    rows += closing.follow_up_buttons(t, red)
    return InlineKeyboardMarkup(rows) if rows else None


def with_board(
    t: Tr, markup: InlineKeyboardMarkup | None, board: str | None
) -> InlineKeyboardMarkup | None:
    """The buttons, and under them the board's link (a group has no web_app buttons)."""
    if board is None:
        return markup
    rows = [
        *(markup.inline_keyboard if markup else ()),
        [InlineKeyboardButton(open_board(t), url=board)],
    ]
    return InlineKeyboardMarkup(rows)


async def review(
    session: AsyncSession,
    *,
    programme: Programme,
    period: str,
    now: datetime,
    board: str | None = None,
) -> Digest | None:
    """The review digest for the task-force chat, or the leadership group if none."""
    chat = programme.taskforce_chat_id or programme.leadership_chat_id
    if chat is None:
        return None
    assert programme.id is not None
    today = today_in(now, programme.timezone)
    content, snap = await reports.review_content(
        session, programme=programme, today=today, period=period
    )
    t = tr(programme.locale)
    # from the review a coordinator issues a work prompt letter, a leader follows up (督办)
    red = await measure_ids(session, programme.id, [o.measure.code for o in content.red])
    last = await beats.latest(session, programme_id=programme.id, beat=Beat.REVIEW, before=period)
    start = last.sent_at if last else None
    asked = await followups.since(
        session, programme_id=programme.id, start=start, today=today, tz=programme.timezone
    )
    # a 督办 still waiting at the last review stays listed until answered, and its answer is news
    earlier = await followups.carried(
        session, programme_id=programme.id, start=start, today=today, tz=programme.timezone
    )
    kind = CalendarKind(programme.calendar)
    late = [
        (code, due)
        for code, due, asked in await lookbacks.unanswered(
            session, programme_id=programme.id, tz=programme.timezone
        )
        if answer_by(max(due, asked), kind) < today
    ]
    text = "\n".join(
        [
            review_text(t, content, programme.name),
            *closing.review_lines(t, asked, late, today, earlier),
            *await _public_late(session, programme, today),
            *never_reported_lines(t, await silent_co_units(session, programme_id=programme.id)),
        ]
    )
    return Digest(chat, [Part(text, with_board(t, red_buttons(t, red, letters=True), board))], snap)


async def _public_late(session: AsyncSession, programme: Programme, today: date) -> list[str]:
    """群众监督: the items unanswered after 5 working days, for the review."""
    assert programme.id is not None
    kind = CalendarKind(programme.calendar)
    received = [
        (number, today_in(at, programme.timezone))
        for number, at in await public.unanswered(session, programme_id=programme.id)
    ]
    late = [(n, day) for n, day in received if overdue(day, today, kind)]
    return public_words.review_lines(tr(programme.locale), late, today)


async def _package(
    session: AsyncSession, *, programme: Programme, period: str, t: Tr
) -> tuple[str, list[documents.Document], MonthlyReport]:
    content = await reports.report_content(session, programme=programme, period=period)
    assert programme.id is not None
    # the chain's head leaves the database in every report: cutting the trail shows against it
    anchor = await audit.anchor(session, programme_id=programme.id)
    zone = ZoneInfo(programme.timezone)
    start = datetime.combine(date(content.year, content.month, 1), time(), zone)
    end = datetime.combine(month_end(content.year, content.month) + timedelta(days=1), time(), zone)
    done = await lookbacks.looked_back(
        session, programme_id=programme.id, start=start, end=end, tz=programme.timezone
    )
    checked = spot_tally(
        await spotchecks.answered_between(session, programme_id=programme.id, start=start, end=end)
    )
    # 群众监督: counted once, for the message and the Word report alike
    comments = await public.tally(session, programme_id=programme.id, start=start, end=end)
    files = await documents.monthly_files(
        session, programme=programme, content=content, t=t, looked_back=done, anchor=anchor,
        comments=comments,
        spot=checked,
    )  # fmt: skip
    verdicts = tally([(d.code, d.verdict) for d in done])
    spot_lines = tally_lines(t, checked)
    lines = [
        report_text(t, content, programme.name),
        *closing.report_lines(t, verdicts),
        *public_words.report_lines(t, comments),
        *(["", *spot_lines] if spot_lines else []),
        anchor_line(t, anchor),
    ]
    return "\n".join(lines), files, content


async def monthly_package(
    session: AsyncSession, *, programme: Programme, period: str, t: Tr
) -> tuple[str, list[documents.Document]]:
    """The monthly report's text and its files, from one computation of the report."""
    text, files, _ = await _package(session, programme=programme, period=period, t=t)
    return text, files


async def monthly(
    session: AsyncSession, *, programme: Programme, period: str, board: str | None = None
) -> Digest | None:
    """The monthly report, its chart and files for the leadership group (`board`: its link)."""
    if programme.leadership_chat_id is None:
        return None
    assert programme.id is not None
    t = tr(programme.locale)
    text, files, content = await _package(session, programme=programme, period=period, t=t)
    # a leader follows up (督办) on an overdue item from the report
    overdue = await measure_ids(session, programme.id, [o.measure.code for o in content.overdue])
    parts = [Part(text, with_board(t, red_buttons(t, overdue, letters=False), board))] + [
        Part(caption, file=(kind, f.filename, f.data))
        for kind, f, caption in documents.sendable(files)
    ]
    return Digest(programme.leadership_chat_id, parts)


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
    return await monthly(session, programme=programme, period=period, board=board)


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
