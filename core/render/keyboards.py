"""Inline keyboards shared by beats and handlers; every one stays within Telegram's limits."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.domain.lights import light
from core.domain.model import MeasureFacts
from core.i18n import Tr
from core.render import callbacks, closing
from core.render.board_buttons import open_board
from core.render.labels import LIGHT_ICON
from core.render.limits import INLINE_BUTTONS, fit, page
from core.render.plain_keys import Key, Keyboard

# a phone screen of buttons; with the paging row a page stays far below Telegram's 100
PAGE_SIZE = 10
LABEL = 32  # characters of "🔴 1.2.3 title…" on one button
assert PAGE_SIZE + 2 <= INLINE_BUTTONS


def measure_label(m: MeasureFacts, today: date) -> str:
    """🔴 1.2.3 short title, cut at a word boundary."""
    return fit(f"{LIGHT_ICON[light(m, today)]} {m.code} {' '.join(m.text.split())}", LABEL)


def measures_keyboard(
    t: Tr,
    items: Sequence[tuple[int, MeasureFacts]],
    today: date,
    *,
    scope: str,
    person_id: int,
    number: int = 0,
    replyable: bool = False,
) -> Keyboard | None:
    """One button per measure (in the given order, red and yellow first), paged.

    replyable marks a dispatch's or reminder's buttons, so a reply to it is known for an answer.
    """
    if not items:
        return None
    kind = callbacks.Listed if replyable else callbacks.Open
    p = page(len(items), PAGE_SIZE, number)
    rows = [
        [Key(measure_label(m, today), callback_data=kind(measure_id).pack())]
        for measure_id, m in items[p.start : p.stop]
    ]
    nav = []
    if p.has_prev:
        back = callbacks.Paging(scope, person_id, p.number - 1).pack()
        nav.append(Key(t._("◀ Previous page"), callback_data=back))
    if p.has_next:
        more = callbacks.Paging(scope, person_id, p.number + 1).pack()
        nav.append(
            Key(
                t._("More ({page}/{pages}) ▶", page=p.number + 2, pages=p.count),
                callback_data=more,
            )
        )
    if nav:
        rows.append(nav)
    return Keyboard(rows)


def answer_choices(t: Tr, measure_id: int) -> Keyboard:
    """The answers for one measure: on track · at risk · blocked, then done · write an update."""

    def button(label: str, action: str) -> Key:
        return Key(label, callback_data=callbacks.Answer(measure_id, action).pack())

    return Keyboard(
        [
            [
                button(t._("✅ On track"), "ok"),
                button(t._("⚠️ At risk"), "risk"),
                button(t._("⛔ Blocked"), "block"),
            ],
            [button(t._("✔️ Done"), "done"), button(t._("✍️ Write an update"), "note")],
            [
                Key(
                    t._("📅 Ask for more time"),
                    callback_data=callbacks.Extend(measure_id).pack(),
                ),
                Key(t._("📜 Record a rule"), callback_data=callbacks.Outcome(measure_id).pack()),
            ],
        ]
    )


LETTER_BUTTONS = 12  # the most overdue red items get one; the rest by /letter CODE


def letter_keyboard(t: Tr, items: Sequence[tuple[int, str]]) -> Keyboard | None:
    """Under the review: a work prompt letter button per red item (measure id, code), three a row."""
    buttons = [
        Key(
            fit(t._("Letter {code}", code=code), LABEL),
            callback_data=callbacks.IssueLetter(measure_id).pack(),
        )
        for measure_id, code in items[:LETTER_BUTTONS]
    ]
    if not buttons:
        return None
    return Keyboard([buttons[i : i + 3] for i in range(0, len(buttons), 3)])


def chase_keyboard(t: Tr, measure_id: int, *, blocked: bool = False) -> Keyboard:
    """Under an escalation: follow up (督办, recorded) and see the latest answer; under a blocked
    alert (which already quotes the answer): follow up."""
    follow = Key(t._("Follow up"), callback_data=callbacks.FollowUp(measure_id).pack())
    if blocked:
        return Keyboard([[follow]])
    latest = callbacks.Chase(measure_id, "latest").pack()
    return Keyboard([[follow, Key(t._("Latest answer"), callback_data=latest)]])


def red_buttons(t: Tr, red: Sequence[tuple[int, str]], *, letters: bool) -> Keyboard | None:
    """督办 buttons under red items (and, for coordinators, work prompt letters)."""
    letter_rows = letter_keyboard(t, red) if letters else None
    rows: list[Sequence[Key]] = list(letter_rows.inline_keyboard) if letter_rows else []
    rows += closing.follow_up_buttons(t, red)
    return Keyboard(rows) if rows else None


def with_board(t: Tr, markup: Keyboard | None, board: str | None) -> Keyboard | None:
    """The buttons, and under them the board's link (a group has no web_app buttons)."""
    if board is None:
        return markup
    rows = [
        *(markup.inline_keyboard if markup else ()),
        [Key(open_board(t), url=board)],
    ]
    return Keyboard(rows)
