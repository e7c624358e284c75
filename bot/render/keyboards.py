"""Inline keyboards shared by beats and handlers."""

from __future__ import annotations

from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n import Tr

# callback data: ans:<measure id>:<action>; the answer conversation re-checks everything
ACTIONS = ("ok", "risk", "block", "done", "note")


def answer_keyboard(t: Tr, measures: Sequence[tuple[int, str]]) -> InlineKeyboardMarkup:
    """Two rows per measure: on track · at risk · blocked, then done · write an update."""
    rows: list[list[InlineKeyboardButton]] = []
    for measure_id, code in measures:
        rows.append(
            [
                InlineKeyboardButton(
                    t._("{code} ✅ on track", code=code), callback_data=f"ans:{measure_id}:ok"
                ),
                InlineKeyboardButton(t._("⚠️ at risk"), callback_data=f"ans:{measure_id}:risk"),
                InlineKeyboardButton(t._("⛔ blocked"), callback_data=f"ans:{measure_id}:block"),
            ]
        )
        rows.append(
            [
                InlineKeyboardButton(
                    t._("{code} ✔️ done", code=code), callback_data=f"ans:{measure_id}:done"
                ),
                InlineKeyboardButton(
                    t._("✍️ write an update"), callback_data=f"ans:{measure_id}:note"
                ),
            ]
        )
    return InlineKeyboardMarkup(rows)
