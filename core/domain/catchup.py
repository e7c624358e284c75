"""When each beat is planned: never early, and caught up only for periods people could expect.

A missed beat is sent when the bot comes back only if its period began after the programme
started, after its last schedule change and (for digests) after its chat was set up; a nudge
never comes sooner than its working days after the dispatch it follows.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, time

from core.domain.model import Beat
from core.domain.periods import MergedPeriod, Rhythm, Slot, current_slot, next_slot, slot_for
from core.domain.workcal import add_workdays


@dataclass(frozen=True)
class Since:
    """The earliest planned moment each beat may be caught up for; None: nowhere to send it."""

    beats: datetime  # the programme's start or its last schedule change, whichever is later
    review: datetime | None = None  # the chat the review goes to was set up
    report: datetime | None = None  # the leadership group was set up

    def of(self, beat: Beat) -> datetime | None:
        """The floor of one beat."""
        if beat is Beat.REVIEW:
            return None if self.review is None else max(self.beats, self.review)
        if beat is Beat.REPORT:
            return None if self.report is None else max(self.beats, self.report)
        return self.beats


def change_floor(rhythm: Rhythm, changed: datetime) -> datetime:
    """Since when a schedule change lets a beat be caught up: the start of the day it was made.

    A change sends nothing by itself (a period planned on an earlier day stays unsent), but a
    beat moved to a time already past today is still today's beat, and goes at once.
    """
    day = changed.astimezone(rhythm.zone).date()
    return datetime.combine(day, time(0, 0), tzinfo=rhythm.zone)


def nudge_after(rhythm: Rhythm, dispatched: datetime) -> datetime:
    """The earliest moment of a nudge: its working days after the day the dispatch went out."""
    local = dispatched.astimezone(rhythm.zone)
    day = add_workdays(local.date(), rhythm.nudge_workdays, rhythm.calendar)
    return datetime.combine(day, rhythm.dispatch_time, tzinfo=rhythm.zone)


@dataclass(frozen=True)
class Planned:
    """A beat's job: which period, and when to run it."""

    slot: Slot
    when: datetime


def nudge_when(
    rhythm: Rhythm, slot: Slot, sent: Mapping[tuple[Beat, str], datetime]
) -> datetime | None:
    """When a period's nudge may go: after its dispatch went out and the delay passed."""
    dispatched = sent.get((Beat.DISPATCH, slot.period))
    if dispatched is None or (Beat.NUDGE, slot.period) in sent:
        return None
    when = max(slot.planned, nudge_after(rhythm, dispatched))
    return when if when < slot.ends else None


def _overtaken(beat: Beat, rhythm: Rhythm, slot: Slot, now: datetime) -> bool:
    """A dispatch caught up on the day the next one goes: the owner would get two within hours,
    with no time to answer the first; only the next one is sent."""
    if beat is not Beat.DISPATCH or now >= slot.ends:
        return False
    zone = rhythm.zone
    return now.astimezone(zone).date() == slot.ends.astimezone(zone).date()


def plan_beat(
    beat: Beat,
    rhythm: Rhythm,
    now: datetime,
    sent: Mapping[tuple[Beat, str], datetime],
    since: Since,
    *,
    catch_up: bool = True,
) -> Planned:
    """The period a beat's job is for and when it runs: a due one now, else the next slot."""
    current = current_slot(beat, rhythm, now)
    following = next_slot(beat, rhythm, now)
    if beat is Beat.NUDGE:
        for slot in (current, following):
            when = nudge_when(rhythm, slot, sent)
            if when is not None and (when > now or (catch_up and now < slot.ends)):
                return Planned(slot, max(when, now))
        if (Beat.DISPATCH, following.period) in sent:  # its dispatch went out too late for it
            following = next_slot(beat, rhythm, following.planned)
        # a nudge whose dispatch has not gone yet is planned on time, and checked when due
        return Planned(following, following.planned)
    floor = since.of(beat)
    due = (
        catch_up
        and floor is not None
        and floor <= current.planned <= now < current.ends
        and (beat, current.period) not in sent
        and not _overtaken(beat, rhythm, current, now)
    )
    return Planned(current, now) if due else Planned(following, following.planned)


def upcoming(
    rhythm: Rhythm, now: datetime, sent: Mapping[tuple[Beat, str], datetime], since: Since
) -> dict[Beat, datetime]:
    """When each beat goes next, as its job will run: now for a due one; a nudge follows the
    dispatch that will actually go (one whose dispatch was never sent has nothing to follow)."""
    plans = {beat: plan_beat(beat, rhythm, now, sent, since) for beat in Beat}
    out = {beat: p.when for beat, p in plans.items()}
    dispatch, nudge = plans[Beat.DISPATCH], plans[Beat.NUDGE]
    if nudge.slot.period != dispatch.slot.period and (Beat.DISPATCH, nudge.slot.period) not in sent:
        try:
            slot = slot_for(Beat.NUDGE, dispatch.slot.period, rhythm)
        except MergedPeriod:
            slot = next_slot(Beat.NUDGE, rhythm, dispatch.when)
        when = max(slot.planned, nudge_after(rhythm, dispatch.when))
        out[Beat.NUDGE] = when if when < slot.ends else next_slot(Beat.NUDGE, rhythm, when).planned
    return out
