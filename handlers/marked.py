"""Conversation steps that match only while their marker is in the user's data.

Several conversations wait for a user's next text (an answer's note, an extension's date, a
look-back's note). Each marks what it waits for in user_data; a step built here matches only
while its marker is there, and starting an answer drops the others' markers, so the text goes
to what the user began last instead of a conversation they left unfinished.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from telegram import Update
from telegram.ext import MessageHandler, filters

from handlers.drafts import UserDrafts

UserData = Mapping[int, UserDrafts]
MARKS = frozenset(f.name for f in dataclasses.fields(UserDrafts))


class WhileMarked(MessageHandler[Any, Any]):
    """A MessageHandler that matches only while the user's drafts have field `key` set."""

    def __init__(
        self, key: str, user_data: UserData, filter_: filters.BaseFilter, callback: Any
    ) -> None:
        super().__init__(filter_, callback)
        if key not in MARKS:  # a typo would make a step that never matches
            raise ValueError(f"UserDrafts has no field {key!r}")
        self._key = key
        self._user_data = user_data

    def check_update(self, update: object) -> Any:
        """The MessageHandler's answer, or None while the marker is missing."""
        user = update.effective_user if isinstance(update, Update) else None
        drafts = self._user_data.get(user.id) if user is not None else None
        mark = getattr(drafts, self._key) if drafts is not None else None
        if mark is None or mark is False:
            return None
        return super().check_update(update)
