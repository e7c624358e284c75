"""Run one beat for one programme, once per period: shared by jobs, commands and the CLI."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession
from telegram import Bot

from bot.context import Services
from core.domain.catchup import nudge_after
from core.domain.model import Beat
from core.domain.periods import period_of, slot_for
from core.render.board_buttons import group_link
from jobs import digests, fanout
from jobs.outbox import Delivery, sender_of
from storage import beats, outbox, programmes
from storage.models import Programme, SentBeat
from storage.outbox_plan import left_of, partly_planned
from storage.programmes import rhythm_of
from usecases import dispatch, nudges, spotcheck
from usecases.digest import Digest
from usecases.ports import Outcome

log = logging.getLogger(__name__)
MIN_LIFETIME = timedelta(hours=1)


@dataclass(frozen=True)
class BeatResult:
    """The outcome of a beat for a period."""

    beat: Beat
    period: str
    outcome: Outcome
    reached: int = 0
    delivery: Delivery | None = None
    owners: int = 0  # a dispatch: owners with open measures
    unbound: tuple[str, ...] = ()  # a dispatch: owners (or stand-ins) not bound to Telegram yet

    @property
    def lost(self) -> int:
        """Messages not delivered: given up, unreachable, or still waiting for a retry."""
        d = self.delivery
        return d.failed + d.held + d.pending if d else 0


async def run_beat(
    bot: Bot,
    svc: Services,
    *,
    programme_id: int,
    beat: Beat,
    period: str | None = None,
    manual: bool = False,
    force: bool = False,
    budget: float = 120.0,
    resume: bool = False,
) -> BeatResult:
    """Claim the period and plan its messages in one transaction, then deliver them.

    A crash after the commit loses nothing: the messages wait in the outbox for the next
    sender run; a crash before it leaves the period unclaimed, so the beat runs again.
    `resume`: when the period was claimed already, deliver what is still queued (the CLI run
    again after a crash finishes the beat).
    """
    now = svc.clock.now()
    digest: Digest | None = None
    async with svc.database.session() as s:
        programme = await programmes.by_id(s, programme_id=programme_id)
        if programme is None:
            return BeatResult(beat, period or "", Outcome.NO_PROGRAMME)
        period = period or period_of(beat, now, rhythm_of(programme))
        if beat is Beat.NUDGE and not manual and not await _nudge_due(s, programme, period, now):
            return BeatResult(beat, period, Outcome.NOT_YET)
        reach: dispatch.Planned | None = None
        if beat is Beat.DISPATCH:
            reach = await dispatch.reach(s, programme=programme, now=now)
            if reach.messages == 0:  # nobody to send it to: the period is not used up
                return BeatResult(
                    beat, period, Outcome.NOBODY, 0, None, reach.owners, reach.unbound
                )
        if beat in (Beat.REVIEW, Beat.REPORT):
            if not force and await beats.find(
                s, programme_id=programme_id, beat=beat, period=period
            ):
                return await _already(bot, svc, programme_id, beat, period, resume, budget)
            # computed (reads, rendering) before the claim: the write lock is held only briefly
            digest = await digests.compute(
                s,
                programme=programme,
                beat=beat,
                period=period,
                now=now,
                board=_board_link(svc, bot),
            )
            if digest is None:
                return BeatResult(beat, period, Outcome.NO_CHAT)
        claimed = await beats.claim(
            s,
            programme_id=programme_id,
            beat=beat,
            period=period,
            now=now,
            manual=manual,
            force=force,
        )
        if claimed is None:
            return await _already(bot, svc, programme_id, beat, period, resume, budget)
        if force:
            await outbox.forget(s, programme_id=programme_id, beat=beat.value, period=period)
        expires = _expiry(programme, beat, period, now)
        planned: tuple[int, int, tuple[str, ...]] = (0, 0, ())
        fan: dispatch.Fanout | None = None
        if digest is not None:
            digests.queue(
                s, programme=programme, record=claimed, digest=digest, now=now, expires=expires
            )
        else:
            seen = reach.seen if reach is not None else None
            planned, fan = await _plan(s, programme, beat, claimed, now, expires, seen)
            if planned[0] == 0 and beat is Beat.DISPATCH:
                # nobody to send it to: the period stays unclaimed, to go once someone is bound
                await s.rollback()
                return BeatResult(beat, period, Outcome.NOBODY, 0, None, *planned[1:])
    if fan is not None and fan.left:  # the first owners' messages go while the rest is planned
        delivery = await fanout.fan_out(bot, svc, fan, budget=budget)
    else:
        delivery = await sender_of(svc).deliver(bot, programme_id=programme_id, budget=budget)
    log.info("beat %s %s for programme %s: %s", beat, period, programme_id, delivery)
    if digest is None:
        return BeatResult(beat, period, Outcome.SENT, delivery.sent, delivery, *planned[1:])
    async with svc.database.session() as s:
        rows = await outbox.of_period(
            s, programme_id=programme_id, beats=[beat.value], period=period
        )
    # a digest reaches its one chat when all its parts are out
    done = bool(rows) and all(r.state == outbox.SENT for r in rows)
    return BeatResult(beat, period, Outcome.SENT, int(done), delivery)


def _board_link(svc: Services, bot: Bot) -> str | None:
    """The board's link for a group digest, when the board is on (CADENCE_WEBAPP_URL)."""
    if not svc.settings.cadence_webapp_url:
        return None
    try:
        username = bot.username
    except RuntimeError:  # a Bot never initialized (no getMe): no name to link to
        return None
    return group_link(username, svc.settings.cadence_webapp_name)


async def _already(
    bot: Bot, svc: Services, pid: int, beat: Beat, period: str, resume: bool, budget: float
) -> BeatResult:
    """The period was claimed before: nothing new is planned (but a dispatch's planning cut short
    is finished); with `resume`, the queue goes out."""
    if beat is Beat.DISPATCH:
        await resume_planning(bot, svc, budget=budget)
    if not resume:
        return BeatResult(beat, period, Outcome.ALREADY)
    delivery = await sender_of(svc).deliver(bot, programme_id=pid, budget=budget)
    return BeatResult(beat, period, Outcome.ALREADY, delivery.sent, delivery)


async def _nudge_due(s: AsyncSession, programme: Programme, period: str, now: datetime) -> bool:
    """A nudge follows its dispatch by the working days the rhythm says, never sooner."""
    assert programme.id is not None
    sent = await beats.find(s, programme_id=programme.id, beat=Beat.DISPATCH, period=period)
    return sent is not None and now >= nudge_after(rhythm_of(programme), sent.sent_at)


def _expiry(programme: Programme, beat: Beat, period: str, now: datetime) -> datetime:
    """When the beat's messages are given up: the end of its period, or an hour from now."""
    expires = slot_for(beat, period, rhythm_of(programme)).ends
    return max(expires, now + MIN_LIFETIME)  # a manual beat late in its period still gets tries


async def _plan(
    s: AsyncSession,
    programme: Programme,
    beat: Beat,
    record: SentBeat,
    now: datetime,
    expires: datetime,
    seen: dispatch.Seen | None = None,
) -> tuple[tuple[int, int, tuple[str, ...]], dispatch.Fanout | None]:
    """Write the dispatch's or the nudge's messages to the outbox: (messages, owners, unbound),
    and a dispatch's fan-out with the owners left to plan (jobs.fanout)."""
    p, period = programme, record.period
    if beat is Beat.DISPATCH:
        d = await dispatch.dispatch(
            s, programme=p, period=period, now=now, expires=expires, seen=seen,
            first=fanout.FIRST,
        )  # fmt: skip
        await fanout.plan_first(s, record=record, planned=d)
        return (d.messages, d.owners, d.unbound), d.fanout
    if beat is Beat.SPOTCHECK:
        drawn = await spotcheck.draw(s, programme=p, period=period, now=now)
        return (len(drawn.codes), 0, ()), None
    n = await nudges.nudge(s, programme=p, period=period, now=now, expires=expires)
    return (n, 0, ()), None


async def resume_planning(bot: Bot, svc: Services, *, budget: float = 120.0) -> None:
    """Plan (and send) the rest of every dispatch whose planning a stop or a crash cut short."""
    async with svc.database.session() as s:
        records = await partly_planned(s, beat=Beat.DISPATCH.value)
    for record in records:
        if fanout.planning(svc, record.programme_id, record.period):
            continue  # a beat of this process is planning it now
        async with svc.database.session() as s:
            programme = await programmes.by_id(s, programme_id=record.programme_id)
            if programme is None:
                continue
            # planned as at the claim: the texts are those the first batch had
            now = _utc(record.sent_at)
            fan = await dispatch.fanout_of(
                s, programme=programme, period=record.period, now=now,
                expires=_expiry(programme, Beat.DISPATCH, record.period, now),
                owner_ids=left_of(record),
            )  # fmt: skip
        log.info("dispatch %s of programme %s: planning the rest", record.period, programme.id)
        await fanout.fan_out(bot, svc, fan, budget=budget)


def _utc(moment: datetime) -> datetime:
    """SQLite hands stored moments back without their zone (they are UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
