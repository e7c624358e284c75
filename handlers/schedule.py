"""/schedule: the beats with their next dates, and changing day, time, zone and calendar."""

from __future__ import annotations

import re
from datetime import datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from telegram import Update

from bot.context import CadenceContext
from core.clock import today_in
from core.domain.closing import MAX_LOOKBACK_DAYS, MIN_LOOKBACK_DAYS
from core.domain.model import Beat, Role
from core.domain.numbers import ascii_int
from core.domain.periods import MAX_SPOTCHECK_DAY
from core.domain.reminders import MAX_WORKDAYS, MIN_WORKDAYS
from core.domain.workcal import CalendarKind
from core.i18n import N_, Tr
from handlers.gate import Where, gate
from storage import programmes
from storage.models import Programme

WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
ZH_WEEKDAYS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
BEAT_NAMES = {
    Beat.DISPATCH: N_("weekly dispatch"),
    Beat.NUDGE: N_("nudge"),
    Beat.REVIEW: N_("fortnightly review"),
    Beat.REPORT: N_("monthly report"),
    Beat.SPOTCHECK: N_("random spot check"),
}
# the Chinese words for /schedule's arguments: /schedule 调度 周一 9:00, /schedule 时区 北京时间
WORDS = {
    "调度": "dispatch", "每周调度": "dispatch", "研判": "review", "半月研判": "review",
    "汇报": "report", "每月汇报": "report", "月度汇报": "report", "回头看": "lookback", "时区": "timezone",
    "临期提醒": "remind", "提醒": "remind",
    "抽查": "spotcheck", "随机抽查": "spotcheck",
    "日历": "calendar", "工作日": "cn", "法定工作日": "cn", "周一至周五": "plain",
    "北京时间": "Asia/Shanghai", "beijing": "Asia/Shanghai",
}  # fmt: skip
TIME = re.compile(r"^([01]?[0-9]|2[0-3]):([0-5][0-9])$")  # ASCII digits only


def weekday(value: str) -> int | None:
    """mon / 周一 / 1 → 0."""
    low = value.lower()[:3]
    if low in WEEKDAYS:
        return WEEKDAYS.index(low)
    if value in ZH_WEEKDAYS:
        return ZH_WEEKDAYS.index(value)
    number = ascii_int(value, 1, 7)
    return None if number is None else number - 1


def schedule_text(
    t: Tr, programme: Programme, now_utc: datetime, upcoming: dict[Beat, datetime]
) -> str:
    """Each beat with when it goes next (storage.programmes.upcoming: as its job will run)."""
    lines = [
        t._(
            "Schedule of {name} (time zone {tz}, calendar {cal}):",
            name=programme.name,
            tz=zone_name(t, programme.timezone),
            cal=_calendar(t, programme.calendar),
        )
    ]
    today = today_in(now_utc, programme.timezone)
    for beat in Beat:
        at = upcoming[beat].astimezone(ZoneInfo(programme.timezone))
        # the next date only: a period key (2024-W41) means nothing to people
        when = t._("now") if at <= now_utc else t.slot(at, today)
        if beat is Beat.SPOTCHECK:
            lines.append(
                t._(
                    "• random spot check: working day {n} of each month at {time}, next {when}",
                    n=programme.spotcheck_day,
                    time=_clock(programme.spotcheck_time),
                    when=when,
                )
            )
            continue
        lines.append(t._("• {beat}: {when}", beat=t._(BEAT_NAMES[beat]), when=when))
    lines.append(
        t.n_(
            "• look-back: {n} day after sign-off (on the next working day if it is not one), at the dispatch time",
            "• look-back: {n} days after sign-off (on the next working day if it is not one), at the dispatch time",
            programme.lookback_days,
        )
    )
    lines.append(
        t.n_(
            "• deadline reminder: {n} working day before a deadline, at the dispatch time",
            "• deadline reminder: {n} working days before a deadline, at the dispatch time",
            programme.remind_workdays,
        )
    )
    lines.append("")
    lines.append(
        t._(
            "Change with: /schedule dispatch mon 09:00 · /schedule review wed 16:00 · /schedule report 10:00 · /schedule lookback 90 · /schedule remind 3 · /schedule spotcheck 10 10:00 · /schedule timezone Asia/Shanghai · /schedule calendar cn|plain"
        )
    )
    return "\n".join(lines)


def _clock(hm: str) -> str:
    """09:00 → 9:00, as people write a time."""
    hours, _, minutes = hm.partition(":")
    return f"{int(hours)}:{minutes}"


def zone_name(t: Tr, zone: str) -> str:
    """A time zone in people's words: 北京时间 / Beijing time; any other by its name."""
    return t._("Beijing time") if zone in ("Asia/Shanghai", "Asia/Chongqing", "PRC") else zone


def _calendar(t: Tr, kind: str) -> str:
    return t._("Chinese working days") if kind == CalendarKind.CN.value else t._("Monday to Friday")


def _changes(args: list[str]) -> dict[str, int | str] | None:
    """The rhythm settings /schedule arguments ask for; None if they make no sense."""
    args = [WORDS.get(a.lower(), a) for a in args]
    what = args[0].lower() if args else ""
    if what in ("dispatch", "review") and len(args) == 3:
        day, at = weekday(args[1]), args[2]
        if day is None or not TIME.match(at):
            return None
        return {f"{what}_weekday": day, f"{what}_time": at.zfill(5)}
    if what == "report" and len(args) == 2 and TIME.match(args[1]):
        return {"report_time": args[1].zfill(5)}
    if what == "timezone" and len(args) == 2:
        try:
            ZoneInfo(args[1])
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a name too long for a file
            return None
        return {"timezone": args[1]}
    if what == "lookback" and len(args) == 2:
        days = ascii_int(args[1], MIN_LOOKBACK_DAYS, MAX_LOOKBACK_DAYS)
        return None if days is None else {"lookback_days": days}
    if what == "remind" and len(args) == 2:
        days = ascii_int(args[1], MIN_WORKDAYS, MAX_WORKDAYS)
        return None if days is None else {"remind_workdays": days}
    if what == "spotcheck" and len(args) == 3 and TIME.match(args[2]):
        day = ascii_int(args[1], 1, MAX_SPOTCHECK_DAY)
        return None if day is None else {"spotcheck_day": day, "spotcheck_time": args[2].zfill(5)}
    if what == "calendar" and len(args) == 2 and args[1].lower() in ("cn", "plain"):
        return {"calendar": args[1].lower()}
    return None


@gate(Role.COORDINATOR, Role.LEADER, where=Where.PRIVATE)
async def schedule(update: Update, context: CadenceContext) -> None:
    """Show the beats, or change them (coordinators)."""
    message = update.effective_message
    assert message is not None and context.programme is not None
    t, programme = context.t, context.programme
    args = list(context.args or [])
    if args:
        is_coordinator = context.is_admin or (
            context.member is not None and Role.COORDINATOR in context.member.roles
        )
        if not is_coordinator:
            await message.reply_text(
                t._("Sorry, this is for {roles} only.", roles=t._("coordinators"))
            )
            return
        changes = _changes(args)
        if changes is None and args[0].lower() == "lookback":
            await message.reply_text(
                t._(
                    "The look-back comes a number of days after sign-off, from {low} to {high}: for example /schedule lookback 90.",
                    low=MIN_LOOKBACK_DAYS,
                    high=MAX_LOOKBACK_DAYS,
                )
            )
            return
        if changes is None and WORDS.get(args[0].lower(), args[0].lower()) == "remind":
            await message.reply_text(
                t._(
                    "The deadline reminder comes a number of working days before a deadline, from {low} to {high}: for example /schedule remind 3.",
                    low=MIN_WORKDAYS,
                    high=MAX_WORKDAYS,
                )
            )
            return
        if changes is None and args[0].lower() in ("spotcheck", "抽查", "随机抽查"):
            await message.reply_text(
                t._(
                    "The random spot check is drawn on working day N of each month (N from {low} to {high}) at a time: for example /schedule spotcheck 10 10:00.",
                    low=1,
                    high=MAX_SPOTCHECK_DAY,
                )
            )
            return
        if changes is None:
            await message.reply_text(
                t._(
                    "I did not understand that change. Examples: /schedule dispatch mon 09:00 · /schedule calendar plain"
                )
            )
            return
        await programmes.update_rhythm(
            context.session,
            programme=programme,
            changes=changes,
            actor=context.actor,
            now=context.svc.clock.now(),
        )
        context.replan_after_commit(context.programme_id)
        changed = t._("Schedule changed.")
        context.reply(lambda: message.reply_text(changed))  # "changed" once it is
    now = context.svc.clock.now()
    upcoming = await programmes.upcoming(context.session, programme=programme, now=now)
    listed = schedule_text(t, programme, now, upcoming)
    context.reply(lambda: message.reply_text(listed))  # after "changed", as it was
