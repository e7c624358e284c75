"""WhileMarked: a step matches only while the user's typed drafts hold its marker (issue 23)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from telegram import Chat, Message, Update, User
from telegram.ext import filters

from handlers.drafts import SpotCheckDraft, UserDrafts
from handlers.marked import WhileMarked


def _text(user_id: int) -> Update:
    user = User(user_id, "someone", is_bot=False)
    chat = Chat(user_id, Chat.PRIVATE)
    message = Message(1, datetime(2024, 9, 30, tzinfo=UTC), chat, from_user=user, text="不属实")
    return Update(1, message=message)


async def _noop(*_: object) -> None:
    return None


def test_a_step_waits_for_its_marker_only() -> None:
    users = {7: UserDrafts(), 8: UserDrafts(spotcheck=SpotCheckDraft(id=3, programme_id=1))}
    step = WhileMarked("spotcheck", users, filters.TEXT, _noop)
    assert step.check_update(_text(7)) is None  # nothing open
    assert step.check_update(_text(9)) is None  # no drafts at all
    assert step.check_update(_text(8))  # the note of the open spot check
    naming = WhileMarked("naming", {7: UserDrafts(naming=True)}, filters.TEXT, _noop)
    assert naming.check_update(_text(7)) and not naming.check_update(_text(8))


def test_a_marker_no_draft_has_is_refused_at_once() -> None:
    with pytest.raises(ValueError, match="spot_check"):
        WhileMarked("spot_check", {}, filters.TEXT, _noop)
