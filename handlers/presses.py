"""Button presses: a CallbackQueryHandler per button kind that decodes the press for its callback."""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any, TypeVar

from telegram import Update
from telegram.ext import Application, CallbackQueryHandler

from bot.context import CadenceContext
from core.render.callback_codec import Button, decode, pattern

RT = TypeVar("RT")


# As aiogram's CallbackData.filter() injects the decoded button, the callback reads
# context.pressed(Kind): None for forged or stale data, which it still answers in its own words.
class ButtonHandler(CallbackQueryHandler[CadenceContext, RT]):
    """Takes the presses of one button kind (the base Button: every press) and decodes them."""

    def __init__(
        self,
        callback: Callable[[Update, CadenceContext], Coroutine[Any, Any, RT]],
        kind: type[Button] = Button,
        *,
        block: bool = True,
    ) -> None:
        super().__init__(callback, pattern=None if kind is Button else pattern(kind), block=block)
        self.kind = kind

    def collect_additional_context(
        self,
        context: CadenceContext,
        update: Update,
        application: Application[Any, CadenceContext, Any, Any, Any, Any],
        check_result: Any,
    ) -> None:
        """Decode the press once, for the gate and the callback."""
        super().collect_additional_context(context, update, application, check_result)
        query = update.callback_query
        context.button = decode(query.data if query else None, self.kind)
