"""Closing the loop in words: follow-ups (督办) and look-backs (回头看)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.domain.closing import Answered, FollowUpLine, LookBackTally
from core.i18n import Tr
from core.render import callbacks
from core.render.limits import fit
from core.render.measures import short
from core.render.plain_keys import Key, Keyboard

FOLLOW_UP_BUTTONS = 12  # the first red items get one; three a row
LABEL = 32


def follow_up_buttons(t: Tr, items: Sequence[tuple[int, str]]) -> list[list[Key]]:
    """A 督办 button per red item (measure id, code), three a row."""
    buttons = [
        Key(
            fit(t._("Follow up {code}", code=code), LABEL),
            callback_data=callbacks.FollowUp(measure_id).pack(),
        )
        for measure_id, code in items[:FOLLOW_UP_BUTTONS]
    ]
    return [buttons[i : i + 3] for i in range(0, len(buttons), 3)]


def follow_up_keyboard(t: Tr, items: Sequence[tuple[int, str]]) -> Keyboard | None:
    """Only the 督办 buttons, or None when there is no red item."""
    rows = follow_up_buttons(t, items)
    return Keyboard(rows) if rows else None


def followed_up(
    t: Tr, markup: Keyboard | None, pressed: callbacks.FollowUp, code: str, when: str
) -> Keyboard | None:
    """The pressed 督办 button now reads 已督办（10月9日10:05）; None if it is not there."""
    if markup is None:
        return None
    data = pressed.pack()
    rows = [list(row) for row in markup.inline_keyboard]
    if not any(b.callback_data == data for row in rows for b in row):
        return None
    # a review lists several measures' buttons: each keeps its code
    prefix = callbacks.FollowUp.PREFIX + ":"
    many = sum(str(b.callback_data or "").startswith(prefix) for row in rows for b in row) > 1
    label = (
        t._("Followed up {code} ({when})", code=code, when=when)
        if many
        else t._("Followed up ({when})", when=when)
    )
    new = Key(fit(label, LABEL), callback_data=data)
    return Keyboard([[new if b.callback_data == data else b for b in row] for row in rows])


def follow_up_message(
    t: Tr, *, by: str, leader: bool, code: str, text: str, reply_by: date, today: date
) -> str:
    """What the owner reads: 【督办】责任领导…督办：…，请于…前反馈。"""
    if leader:
        head = t._(
            "[Follow-up] Responsible leader {name} follows up on {code} {text}",
            name=by,
            code=code,
            text=short(text),
        )
    else:
        head = t._(
            "[Follow-up] The task force ({name}) follows up on {code} {text}",
            name=by,
            code=code,
            text=short(text),
        )
    ask = t._(
        "Please report its progress by {date} with the buttons below.",
        date=t.when(reply_by, today),
    )
    return head + "\n" + ask


def _state(t: Tr, f: FollowUpLine, today: date) -> str:
    if f.state is Answered.IN_TIME:
        return t._("answered in time, on {date}", date=t.when(f.answered or today, today))
    if f.state is Answered.LATE:
        return t._("answered late, on {date}", date=t.when(f.answered or today, today))
    if f.state is Answered.WAITING:
        return t._("answer due by {date}", date=t.when(f.reply_by, today))
    return t._("not answered (due by {date})", date=t.when(f.reply_by, today))


def _follow_up_line(t: Tr, f: FollowUpLine, today: date) -> str:
    return t._(
        "{code}: {name}, {date}; {state}",
        code=f.code,
        name=f.by,
        date=t.when(f.asked, today),
        state=_state(t, f, today),
    )


def review_lines(
    t: Tr,
    follow_ups: Sequence[FollowUpLine],
    lookbacks: Sequence[tuple[str, date]],
    today: date,
    earlier: Sequence[FollowUpLine] = (),
) -> list[str]:
    """The review's follow-ups since the last one, earlier ones still open at it or answered
    since, and look-backs left unanswered."""
    lines: list[str] = []
    if follow_ups:
        lines += ["", t._("Follow-ups since the last review:")]
        lines += [_follow_up_line(t, f, today) for f in follow_ups]
    if earlier:
        lines += ["", t._("Earlier follow-ups unanswered at the last review:")]
        lines += [_follow_up_line(t, f, today) for f in earlier]
    if lookbacks:
        lines += ["", t._("Look-backs unanswered after 5 working days:")]
        lines += [
            t._("{code} (look-back date {date})", code=code, date=t.when(due, today))
            for code, due in lookbacks
        ]
    return lines


def report_lines(t: Tr, tally: LookBackTally) -> list[str]:
    """The monthly report's look-backs: done, holding, rebounded."""
    if not tally.done:
        return []
    lines = [
        "",
        t.n_(
            "Look-backs this month: {n} done, {holding} holding, {rebounded} rebounded.",
            "Look-backs this month: {n} done, {holding} holding, {rebounded} rebounded.",
            tally.done,
            holding=t.num(tally.holding),
            rebounded=t.num(len(tally.rebounded)),
        ),
    ]
    if tally.held:
        lines.append(t._("The result holds: {codes}.", codes=t.join(tally.held)))
    if tally.rebounded:
        lines.append(t._("Rebounded and reopened: {codes}.", codes=t.join(tally.rebounded)))
    return lines


def lookback_question(
    t: Tr, *, code: str, text: str, closed_on: date, by: date, today: date
) -> str:
    """The owner is asked whether the closed measure's result holds."""
    return t._(
        "🔁 Look-back of {code} {text}\nIt was signed off on {closed}. Does the result hold? Please answer by {date}.",
        code=code,
        text=short(text),
        closed=t.when(closed_on, today),
        date=t.when(by, today),
    )


def lookback_keyboard(t: Tr, lookback_id: int) -> Keyboard:
    """Holds · Rebound."""
    return Keyboard(
        [
            [
                Key(
                    t._("✅ Holds"),
                    callback_data=callbacks.LookBackAnswer(lookback_id, "holds").pack(),
                ),
                Key(
                    t._("↩️ Rebound"),
                    callback_data=callbacks.LookBackAnswer(lookback_id, "rebound").pack(),
                ),
            ]
        ]
    )
