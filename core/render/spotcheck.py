"""Texts and buttons of random spot checks (随机抽查)."""

from __future__ import annotations

from datetime import date

from core.domain.spotcheck import UNTRUE, SpotTally
from core.i18n import Tr
from core.render import callbacks
from core.render.limits import MESSAGE_TEXT, fit
from core.render.measures import short
from core.render.plain_keys import Key, Keyboard

TEXT_LIMIT = 600  # the measure's text: enough to recognise it, the report carries the rest


def check_text(
    t: Tr,
    *,
    code: str,
    text: str,
    owner: str,
    unit: str,
    closed_on: date | None,
    report: str,
    files: int,
) -> str:
    """What the checker reads: the measure, the owner's closing report and the evidence."""
    lines = [
        t._("🔎 Random spot check: {code}", code=code),
        short(text, TEXT_LIMIT),
        t._("Owner: {owner} ({unit})", owner=owner, unit=unit),
        t._("Signed off on: {date}", date=t.date(closed_on)),
        t._("Completion report: {report}", report=report or t._("none on record")),
        t.n_("Evidence: {n} file", "Evidence: {n} files", files),
        "",
        t._(
            "Please check the report and the evidence again, on the spot if need be, and answer True or Not true."
        ),
    ]
    return fit("\n".join(lines), MESSAGE_TEXT[1])


def check_keyboard(t: Tr, check_id: int) -> Keyboard:
    """属实 · 不属实."""
    return Keyboard(
        [
            [
                Key(t._("True"), callback_data=callbacks.SpotCheckAnswer(check_id, "true").pack()),
                Key(
                    t._("Not true"),
                    callback_data=callbacks.SpotCheckAnswer(check_id, UNTRUE).pack(),
                ),
            ]
        ]
    )


def tally_lines(t: Tr, tally: SpotTally | None) -> list[str]:
    """The reports' line: how many were checked, how many found 不属实 (and which); none if no
    check was answered in the period."""
    if tally is None or not tally.checked:
        return []
    head = t.n_(
        "Random spot checks: {n} measure checked, {untrue} found not true.",
        "Random spot checks: {n} measures checked, {untrue} found not true.",
        tally.checked,
        untrue=t.num(len(tally.untrue)),
    )
    if not tally.untrue:
        return [head]
    return [head + t._(" Reopened: {codes}.", codes=t.join(tally.untrue))]
