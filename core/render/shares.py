"""Co-units' shares in words: the liaison's dispatch, the words the lead owner sees, the review."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from core.i18n import Tr
from core.render import callbacks
from core.render.dispatch import answer_by_line
from core.render.measures import short
from core.render.plain_keys import Key, Keyboard

TEXT_LIMIT = 60  # a measure's text in a share line: enough to recognise it


def share_dispatch(
    t: Tr, name: str, items: Sequence[tuple[str, str, str, str]], today: date, by: datetime | None
) -> str:
    """The liaison's own dispatch line: (code, text, lead unit, co-unit) of each share."""
    lines = [
        t._(
            "{code} {text} (lead unit: {lead}; your unit: {unit})",
            code=code, text=short(text, TEXT_LIMIT), lead=lead, unit=unit,
        )
        for code, text, lead, unit in items
    ]  # fmt: skip
    return "\n".join(
        [
            t._("📋 Co-unit share for this week"),
            t._("{name}, please report your unit's part of these measures:", name=name),
            "",
            *lines,
            "",
            *answer_by_line(t, by, today),
            t._("Press a measure to answer your unit's part."),
        ]
    )


def share_keyboard(t: Tr, items: Sequence[tuple[int, str]]) -> Keyboard:
    """One button per share: (measure id, code)."""
    return Keyboard(
        [
            [
                Key(
                    t._("Report {code}", code=code),
                    callback_data=callbacks.ShareAnswer(mid).pack(),
                )
            ]
            for mid, code in items
        ]
    )


def co_unit_words(
    t: Tr, said: Sequence[tuple[str, str, int | None, datetime]], today: date
) -> list[str]:
    """What the co-units last said of their shares, for the lead owner answering."""
    if not said:
        return []
    lines = [t._("Co-units' latest words:")]
    for unit, note, percent, at in said:
        words = (
            t._("{pct}, {note}", pct=t.pct(percent / 100), note=note)
            if percent is not None
            else note
        )
        lines.append(
            t._("{unit} ({date}): {words}", unit=unit, date=t.when(at.date(), today), words=words)
        )
    return lines


def never_reported_lines(t: Tr, silent: Mapping[str, Sequence[str]]) -> list[str]:
    """The review's block: co-units that never reported on their share."""
    if not silent:
        return []
    items = t.join(t._("{unit} ({codes})", unit=u, codes=t.join(c)) for u, c in silent.items())
    return ["", t._("Co-units that never reported on their share: {items}", items=items)]
