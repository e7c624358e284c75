"""The edge of the plain keyboards (core.render.plain_keys): PTB's markup made from them, and
a message's own buttons read back as one."""

from __future__ import annotations

from typing import overload

from telegram import InlineKeyboardMarkup

from core.render.plain_keys import Keyboard


@overload
def markup(keys: Keyboard | InlineKeyboardMarkup) -> InlineKeyboardMarkup: ...
@overload
def markup(keys: None) -> None: ...
@overload
def markup(keys: Keyboard | InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None: ...
def markup(keys: Keyboard | InlineKeyboardMarkup | None) -> InlineKeyboardMarkup | None:
    """PTB's markup for a plain keyboard (one already PTB's passes through)."""
    if keys is None or isinstance(keys, InlineKeyboardMarkup):
        return keys
    return InlineKeyboardMarkup.de_json(keys.to_dict(), None)


def plain(shown: InlineKeyboardMarkup | None) -> Keyboard | None:
    """A message's buttons as a plain keyboard."""
    return Keyboard.from_dict(shown.to_dict()) if shown is not None else None
