"""Run one beat for one programme, once per period: shared by jobs, commands and the CLI."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum

from telegram import Bot

from bot.context import Services
from bot.domain.model import Beat
from bot.domain.periods import period_of
from jobs import digests, dispatch
from storage import beats, programmes
from storage.programmes import rhythm_of

log = logging.getLogger(__name__)


class Outcome(StrEnum):
    """What running a beat did."""

    SENT = "sent"
    ALREADY = "already"
    NO_CHAT = "no_chat"
    NO_PROGRAMME = "no_programme"


@dataclass(frozen=True)
class BeatResult:
    """The outcome of a beat for a period."""

    beat: Beat
    period: str
    outcome: Outcome
    reached: int = 0


async def run_beat(
    bot: Bot,
    svc: Services,
    *,
    programme_id: int,
    beat: Beat,
    period: str | None = None,
    manual: bool = False,
    force: bool = False,
) -> BeatResult:
    """Claim the period in the sent log, then send; a claimed period is never sent again unless forced."""
    now = svc.clock.now()
    async with svc.database.session() as s:
        programme = await programmes.by_id(s, programme_id=programme_id)
        if programme is None:
            return BeatResult(beat, period or "", Outcome.NO_PROGRAMME)
        period = period or period_of(beat, now, rhythm_of(programme))
        needs_chat = {
            Beat.REVIEW: programme.taskforce_chat_id or programme.leadership_chat_id,
            Beat.REPORT: programme.leadership_chat_id,
        }
        if beat in needs_chat and needs_chat[beat] is None:
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
            return BeatResult(beat, period, Outcome.ALREADY)
    # the claim is committed before anything is sent: a crash from here on loses a beat, never doubles it
    async with svc.database.session() as s:
        programme = await programmes.by_id(s, programme_id=programme_id)
        record = await beats.find(s, programme_id=programme_id, beat=beat, period=period)
        assert programme is not None and record is not None
        if beat is Beat.DISPATCH:
            reached = await dispatch.dispatch(bot, s, programme=programme, period=period, now=now)
        elif beat is Beat.NUDGE:
            reached = await dispatch.nudge(bot, s, programme=programme, period=period, now=now)
        elif beat is Beat.REVIEW:
            reached = await digests.review(bot, s, programme=programme, record=record, now=now)
        else:
            reached = await digests.monthly(bot, s, programme=programme, period=period, now=now)
    log.info("beat %s %s for programme %s reached %s", beat, period, programme_id, reached)
    return BeatResult(beat, period, Outcome.SENT, reached)
