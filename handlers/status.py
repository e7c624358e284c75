"""/status for admins: version, uptime, database, each programme's beats and unreachable people."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from importlib import metadata
from zoneinfo import ZoneInfo

from telegram import Update

from bot.context import CadenceContext
from core.domain.model import Beat
from core.domain.periods import next_slot
from core.i18n import Tr
from core.render.anchor import anchor_line
from handlers.gate import Where, gate
from handlers.schedule import BEAT_NAMES
from handlers.send import reply_long
from storage import audit, beats, outbox, people, programmes, timeouts
from storage.db import where
from storage.models import Programme
from storage.programmes import rhythm_of

FAILED_DAYS = 7  # undelivered messages counted over this many days


def version() -> str:
    """The installed package's version."""
    try:
        return metadata.version("cadence")
    except metadata.PackageNotFoundError:
        return "?"


def as_utc(value: datetime) -> datetime:
    """A stored moment as aware UTC (SQLite hands back naive UTC)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def uptime(t: Tr, started: datetime, now: datetime) -> str:
    """How long the bot has been running, in hours and minutes."""
    minutes = max(0, int((now - started).total_seconds() // 60))
    return t._("{h} h {m} min", h=minutes // 60, m=minutes % 60)


async def _programme_lines(context: CadenceContext, programme: Programme) -> list[str]:
    """Last and next beat, and who cannot be reached."""
    t, s, now = context.t, context.session, context.svc.clock.now()
    assert programme.id is not None
    zone = ZoneInfo(programme.timezone)
    today = now.astimezone(zone).date()
    sent = [r for b in Beat if (r := await beats.latest(s, programme_id=programme.id, beat=b))]
    last = max(sent, key=lambda r: as_utc(r.sent_at), default=None)
    coming = min((next_slot(b, rhythm_of(programme), now) for b in Beat), key=lambda x: x.planned)
    lines = [t._("Programme {name}:", name=programme.name)]
    if last is None:
        lines.append("• " + t._("last beat: none yet"))
    else:
        lines.append(
            "• "
            + t._(
                "last beat: {beat}, sent {when}",
                beat=t._(BEAT_NAMES[Beat(last.beat)]),
                when=t.datetime(as_utc(last.sent_at).astimezone(zone), today),
            )
        )
    lines.append(
        "• "
        + t._(
            "next beat: {beat}, {when}",
            beat=t._(BEAT_NAMES[coming.beat]),
            when=t.slot(coming.planned.astimezone(zone), today),
        )
    )
    queued, held, failed = await outbox.counts(
        s, programme_id=programme.id, now=now, failed_since=now - timedelta(days=FAILED_DAYS)
    )
    lines.append(
        "• "
        + t._(
            "messages: {queued} queued, {held} held for people who cannot be reached, "
            "{failed} undelivered in the last {days} days",
            queued=t.num(queued),
            held=t.num(held),
            failed=t.num(failed),
            days=FAILED_DAYS,
        )
    )
    since = now - timedelta(days=FAILED_DAYS)
    timed_out = await timeouts.by_process(s, programme_id=programme.id, since=since)
    lines.append("• " + timeout_line(t, timed_out))
    lines.append("• " + anchor_line(t, await audit.anchor(s, programme_id=programme.id)))
    lost = [
        p.name
        for p in await people.people(s, programme_id=programme.id)
        if p.unreachable_since is not None
    ]
    lines.append(
        "• "
        + (
            t.n_(
                "{n} person unreachable: {names}",
                "{n} people unreachable: {names}",
                len(lost),
                names=t.join(lost),
            )
            if lost
            else t._("everyone bound is reachable")
        )
    )
    return lines


def timeout_line(t: Tr, by_process: list[tuple[str, int]]) -> str:
    """Send timeouts this week and which processes waited: each may be a message sent twice."""
    if not by_process:
        return t._("send timeouts in the last {days} days: none", days=FAILED_DAYS)
    return t._(
        "send timeouts in the last {days} days: {n} ({processes}); each message was sent "
        "again, and Telegram may have delivered it already",
        days=FAILED_DAYS,
        n=t.num(sum(n for _, n in by_process)),
        processes=t.join([f"{process} ×{t.num(n)}" for process, n in by_process]),
    )


@gate(where=Where.PRIVATE, needs_programme=False)
async def status(update: Update, context: CadenceContext) -> None:
    """What an operator checks first: is it up, on which database, are the beats going out."""
    assert update.effective_message is not None
    t = context.t
    if not context.is_admin:
        await update.effective_message.reply_text(t._("Sorry, only admins can see the status."))
        return
    svc, now = context.svc, context.svc.clock.now()
    started = svc.started or now
    lines = [
        t._(
            "Cadence {version}, running for {uptime}.",
            version=version(),
            uptime=uptime(t, started, now),
        ),
        t._("Database: {database}", database=where(svc.database.url)),
    ]
    for programme in await programmes.all_programmes(context.session):
        lines.append("")
        lines.extend(await _programme_lines(context, programme))
    await reply_long(update.effective_message, "\n".join(lines))
