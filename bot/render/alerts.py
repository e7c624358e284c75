"""Messages that cannot wait for the next beat: a measure reported blocked."""

from __future__ import annotations

from datetime import date

from bot.domain.model import Answer
from bot.i18n import Tr


def blocked_text(
    t: Tr, *, code: str, text: str, owner: str, unit: str, due: date | None, said: Answer
) -> str:
    """⛔ 推进受阻：code text / 责任人 / 受阻原因 / 请研究协调解决。"""
    reason = said.blockers or said.note or t._("no reason given")
    return "\n".join(
        [
            t._("⛔ Blocked: {code} {text}", code=code, text=text),
            t._("Owner: {owner} ({unit}) · due {date}", owner=owner, unit=unit, date=t.date(due)),
            t._("Blocker: “{reason}” ({date})", reason=reason, date=t.day_month(said.at.date())),
            t._("Please decide how to unblock it."),
        ]
    )


def absence_text(t: Tr, *, name: str, start: str, end: str, delegate: str | None) -> str:
    """What the task force hears when someone will be away."""
    if delegate:
        return t._(
            "{name} is away {start} – {end}; {delegate} answers their dispatches meanwhile.",
            name=name,
            start=start,
            end=end,
            delegate=delegate,
        )
    return t._(
        "{name} is away {start} – {end}; their dispatches pause meanwhile.",
        name=name,
        start=start,
        end=end,
    )
