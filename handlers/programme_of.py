"""The programme an update of a two-step conversation is about: from the row the pressed button
names, else from the draft the first step opened (whatever /use chose since)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from telegram import Update

from bot.context import CadenceContext
from core.render.callback_codec import Button
from handlers.drafts import UserDrafts, drafts
from handlers.gate import ProgrammeOf

B = TypeVar("B", bound=Button)


class _Owned(Protocol):
    @property
    def programme_id(self) -> int: ...


def row_or_draft(
    kind: type[B],
    row: type[Any],
    row_id: Callable[[B], int],
    draft: Callable[[UserDrafts], _Owned | None],
) -> ProgrammeOf:
    """A gate's programme_of: a press of `kind` names a `row` by `row_id`; any other update
    belongs to the open `draft`, if there is one."""

    async def programme_of(update: Update, context: CadenceContext) -> int | None:
        button = context.pressed(kind)
        if button is not None:
            found: _Owned | None = await context.session.get(row, row_id(button))
            return found.programme_id if found is not None else None
        open_ = draft(drafts(context))
        return open_.programme_id if open_ is not None else None

    return programme_of
