"""临期提醒's words: to the owner, and to the responsible leader."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from core.i18n import Tr
from core.render.measures import short


@dataclass(frozen=True)
class Reminded:
    """One measure in a reminder: its deadline and the working days left before it."""

    code: str
    text: str
    deadline: date
    left: int  # working days after today up to the deadline
    owner: str


def reminder(t: Tr, items: Sequence[Reminded], today: date, *, leader: bool) -> str:
    """临期提醒：… then one line per measure; the leader's lines name the owner."""
    if leader:
        head = t._(
            "Deadline reminder: these measures, for which you are the responsible leader, are due soon. Please keep an eye on their progress."
        )
    else:
        head = t._(
            "Deadline reminder: these measures of yours are due soon. Please press on with them; when one is done, ask for its sign-off."
        )
    lines = [head, ""]
    for m in items:
        due = t.n_(
            "due {date}, {n} working day left",
            "due {date}, {n} working days left",
            m.left,
            date=t.weekday_date(m.deadline, today),
        )
        parts = [f"{m.code} {short(m.text)}", due]
        if leader:
            parts.append(t._("owner: {name}", name=m.owner))
        lines.append("• " + " · ".join(parts))
    return "\n".join(lines)
